/**
 * Retries: the one place that decides whether an attempt is sent again, and when. The transport
 * reports what happened (`AttemptOutcome`), vendors only classify answers into verdicts
 * (`Verdict`), and `decideRetry` turns both plus the policy into "retry after N ms", "renew the
 * credential and re-send" or "final". Bounded attempts and total time, exponential backoff with
 * jitter, Retry-After honoured, never past the call's deadline.
 */
import type { Verdict } from "./transport.js";
export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** Backoff before the first retry, doubled for each further one. Default 200 ms. */
  initialDelayMs?: number;
  /** Cap of one backoff. Default 5 s. */
  maxDelayMs?: number;
  /** No retry starts after this much time since the first attempt. Default 30 s. */
  maxElapsedMs?: number;
  /** A vendor's Retry-After is honoured up to this much. Default 30 s. */
  maxRetryAfterMs?: number;
}

export type ResolvedRetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetryPolicy = Object.freeze({
  maxAttempts: 3,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  maxElapsedMs: 30_000,
  maxRetryAfterMs: 30_000,
});

const NO_RETRY: ResolvedRetryPolicy = Object.freeze({ ...DEFAULT_RETRY, maxAttempts: 1 });

/** Later layers win: defaults ← client options ← call options. `false` turns retries off. */
export function resolveRetryPolicy(...layers: Array<RetryOptions | false | undefined>): ResolvedRetryPolicy {
  let policy = DEFAULT_RETRY;
  for (const layer of layers) {
    if (layer === false) policy = NO_RETRY;
    else if (layer) policy = { ...policy, ...stripUndefined(layer) };
  }
  return policy;
}

function stripUndefined(o: RetryOptions): RetryOptions {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so no retry is immediate. */
export function backoffDelay(retryNumber: number, policy: ResolvedRetryPolicy, random = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date, capped; undefined when absent or
 * unreadable (the caller then falls back to backoff).
 */
export function parseRetryAfter(value: string | null | undefined, capMs: number, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(capMs, Math.max(0, Math.round(ms)));
}

/** setTimeout as a promise that an AbortSignal can cut short (rejecting with the signal's reason). */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** What happened to one attempt, as far as retrying is concerned. */
export type AttemptOutcome =
  /** The request provably never left (connection refused, DNS failure): nothing was processed. */
  | { readonly kind: "not-sent" }
  /** Sent, then no answer (reset, attempt timeout): it may have been processed. */
  | { readonly kind: "no-answer" }
  /** An HTTP answer, with the vendor's verdict on it and its Retry-After header. */
  | { readonly kind: "answer"; readonly status: number; readonly verdict: Verdict; readonly retryAfter?: string | null | undefined }
  /** A 3xx, never followed; the server answered, so it may have processed the request. */
  | { readonly kind: "redirect" }
  /** An answer over maxResponseBytes: downloading it again would cost as much again. */
  | { readonly kind: "too-large" };

/** Where the call stands when an attempt has ended. */
export interface RetryState {
  /** Sends so far, the one that just ended included. */
  readonly sends: number;
  /** Retries so far (backoff grows with them). */
  readonly retries: number;
  /** Whether this call renewed its credential already (it does so at most once). */
  readonly renewed: boolean;
  /** Whether the vendor can renew a credential at all. */
  readonly canRenew: boolean;
  /** Milliseconds since the call started. */
  readonly elapsedMs: number;
  /** Milliseconds left before the call's deadline. */
  readonly remainingMs: number;
}

export type RetryDecision =
  | { readonly action: "retry"; readonly afterMs: number }
  | { readonly action: "renew" }
  | { readonly action: "final" };

const FINAL: RetryDecision = Object.freeze({ action: "final" });
const RENEW: RetryDecision = Object.freeze({ action: "renew" });

/** Whether re-sending is harmless after `outcome` (README, "Retries"). */
function mayResend(outcome: AttemptOutcome, idempotent: boolean): boolean {
  switch (outcome.kind) {
    case "not-sent":
      return true;
    case "no-answer":
      return idempotent;
    case "answer":
      if (outcome.verdict === "not-processed") return true;
      if (outcome.verdict !== undefined) return false;
      return outcome.status === 429 || (idempotent && (outcome.status >= 500 || outcome.status === 408));
    default:
      return false;
  }
}

/**
 * The retry decision, pure: the same outcome, operation, policy and state always give the same
 * answer (the jitter comes from `random`, the Retry-After date is read against `now`).
 */
export function decideRetry(
  outcome: AttemptOutcome,
  operation: { readonly idempotent: boolean },
  policy: ResolvedRetryPolicy,
  state: RetryState,
  random: () => number = Math.random,
  now: number = Date.now(),
): RetryDecision {
  if (outcome.kind === "answer" && outcome.verdict === "credential-rejected" && !state.renewed && state.canRenew) return RENEW;
  if (!mayResend(outcome, operation.idempotent) || state.sends >= policy.maxAttempts) return FINAL;
  const fromHeader = outcome.kind === "answer" ? parseRetryAfter(outcome.retryAfter, policy.maxRetryAfterMs, now) : undefined;
  const afterMs = fromHeader ?? backoffDelay(state.retries + 1, policy, random);
  if (afterMs >= state.remainingMs || state.elapsedMs + afterMs > policy.maxElapsedMs) return FINAL;
  return { action: "retry", afterMs };
}
