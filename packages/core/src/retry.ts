/**
 * Retry policy: bounded attempts and total time, exponential backoff with jitter, Retry-After
 * honoured. *Whether* a failure may be retried is decided by the transport (idempotency, "not
 * processed" answers); this module only says *when* and *how often*.
 */
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
export function resolveRetryPolicy(
  ...layers: Array<RetryOptions | false | undefined>
): ResolvedRetryPolicy {
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
