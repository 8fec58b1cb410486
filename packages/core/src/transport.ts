import { NetworkError, RedirectError, ResponseTooLargeError, SignalBridgeError, TimeoutError, ValidationError } from "./errors.js";
import { HeaderMap, headerViolations } from "./headers.js";
import type { LightRequest } from "./light-request.js";
import type { Transport } from "./openapi-fetch-adapter.js";
import type { LevelledLogger } from "./logger.js";
import { createOperationMatcher, type OperationInfo, type OperationTable } from "./operations.js";
import type { Redactor } from "./redact.js";
import type { WireAnswer } from "./wire.js";
import { decideRetry, resolveRetryPolicy, sleep, type AttemptOutcome, type RetryOptions } from "./retry.js";
import { fetchSender, type HttpSender, type WireHeaders } from "./wire.js";

/** One attempt, as the vendor's auth code sees it before it leaves: it may add headers. */
export interface OutgoingRequest {
  readonly operation: OperationInfo;
  readonly method: string;
  readonly url: string;
  /** Case-insensitive: `set("Authorization", …)` replaces any other spelling. */
  readonly headers: HeaderMap;
  /** The exact bytes that will be sent (signatures are computed over them). */
  readonly body: string | undefined;
  /** 1 for the first send. */
  readonly attempt: number;
  /**
   * Aborts when the call's deadline passes or its caller aborts: auth code that waits (for a
   * token fetch) must give up with it, so the token fetch is inside the call's one deadline.
   */
  readonly signal: AbortSignal;
}

/** An answer, read once, for the vendor's code to classify. */
export interface ReceivedResponse {
  readonly status: number;
  readonly headers: WireHeaders;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json(): unknown;
}

/**
 * How a vendor reads an answer:
 * - "credential-rejected": the vendor refused the token/session as expired or unknown. The
 *   request was not processed; it is re-sent once with a renewed credential.
 * - "not-processed": a gateway said it did not pass the request on (429-like); always safe to retry.
 * - "final": a definitive vendor answer, never retried even for idempotent operations.
 * - undefined: let the transport decide from the status code.
 */
export type Verdict = "credential-rejected" | "not-processed" | "final" | undefined;

/** Vendor knowledge the shared transport needs. Lives in the vendor package (src/auth.ts). */
export interface TransportHooks {
  authorize?(request: OutgoingRequest): void | Promise<void>;
  classify?(response: ReceivedResponse, request: OutgoingRequest): Verdict;
  /** Forget the credential used by `request`, so the next authorize gets a new one. */
  renewCredential?(request: OutgoingRequest): void | Promise<void>;
}

/** Per-call options: the last argument of every named method. */
export interface CallOptions {
  /**
   * The whole call's deadline in ms: the token or session fetch, every attempt, every retry wait
   * and (ZStack) the job polling. Default: the client's `timeoutMs` (30 000).
   */
  timeoutMs?: number;
  /**
   * Cap on one attempt in ms, inside the call's deadline: a stalled attempt of an idempotent
   * operation is then abandoned and retried. Default: none (an attempt may use the whole deadline).
   */
  attemptTimeoutMs?: number;
  /** Retry overrides for this call, or false for none. */
  retry?: RetryOptions | false;
  /** Aborts the call (and any retry wait); composed with the timeout. */
  signal?: AbortSignal;
  /** Extra request headers; they replace the client's own of the same name, whatever the case. */
  headers?: Record<string, string>;
}

/** What a named method hands the transport: the call's options plus what core adds. */
export interface CallContext extends CallOptions {
  /** The spec operationId, so the transport need not match the URL. */
  operation?: string;
  /** Epoch ms when the whole call must end; set once per named call (a ZStack job's submit and polls share it). */
  deadline?: number;
}

export interface TransportOptions {
  vendor: string;
  baseUrl: string;
  operations: OperationTable;
  hooks: TransportHooks;
  logger: LevelledLogger;
  /** The client's redactor, for debug lines and the errors the transport builds. */
  redactor: Redactor;
  timeoutMs: number;
  attemptTimeoutMs: number | undefined;
  retry: RetryOptions | false | undefined;
  fetch: typeof fetch;
  /** What moves the bytes; default: `fetchSender(fetch)`. */
  sender?: HttpSender | undefined;
  headers?: Record<string, string> | undefined;
  /** Cap on one answer's body, counted after decompression. */
  maxResponseBytes: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** setTimeout's largest delay; a longer timeout would fire at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

// What the transport learnt about each response it returned: the body exactly as received (so
// the client never re-reads or re-serializes it) and how many sends it took.
const receipts = new WeakMap<object, { text: string; attempts: number }>();

/** How many sends produced this response (1 = no retry). */
export function attemptsOf(response: object | undefined): number | undefined {
  return response ? receipts.get(response)?.attempts : undefined;
}

/** The body text of a response returned by the transport, exactly as the vendor sent it. */
export function bodyTextOf(response: object): string | undefined {
  return receipts.get(response)?.text;
}

/** Request id headers that vendors and their gateways commonly set. */
export function requestIdOf(headers: WireHeaders | undefined): string | undefined {
  if (!headers) return undefined;
  return headers.get("x-request-id") ?? headers.get("x-requestid") ?? headers.get("request-id") ?? headers.get("x-trace-id") ?? undefined;
}

// Failures in which the request provably never left: nothing can have been processed.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

function systemCode(error: unknown): string | undefined {
  let cur: unknown = error;
  for (let depth = 0; cur && typeof cur === "object" && depth < 5; depth++) {
    const c = cur as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof c.code === "string" && c.code !== "ERR_INVALID_ARG_TYPE") return c.code;
    cur = Array.isArray(c.errors) && c.errors.length ? c.errors[0] : c.cause;
  }
  return undefined;
}

const NOT_SENT: AttemptOutcome = { kind: "not-sent" };
const NO_ANSWER: AttemptOutcome = { kind: "no-answer" };

/** The abort reason of a call whose deadline passed (told apart from the caller's own abort). */
class DeadlineReached extends Error {}
/** The abort reason of one attempt that went over `attemptTimeoutMs`. */
class AttemptTimedOut extends Error {}

/** The origin a redirect points at, scrubbed, or undefined when it names none we can read. */
function redirectTarget(location: string | null, from: string, redactor: Redactor): string | undefined {
  if (!location) return undefined;
  try {
    return redactor.scrubText(new URL(location, from).origin);
  } catch {
    return undefined;
  }
}

/** The `fetch` handed to openapi-fetch: auth, deadline, retry and logging around the real fetch. */
export function createTransport(options: TransportOptions): Transport {
  const { vendor, hooks, logger, maxResponseBytes, redactor } = options;
  const match = createOperationMatcher(options.operations);
  const basePath = new URL(options.baseUrl).pathname.replace(/\/$/, "");
  const send = options.sender ?? fetchSender(options.fetch);
  const clientHeaders = options.headers;

  const resolveOperation = (req: LightRequest, named: string | undefined): OperationInfo => {
    if (named && options.operations[named]) return options.operations[named]!;
    const pathname = new URL(req.url).pathname;
    const rel = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
    // An unknown operation (a path the spec does not have) is treated as not idempotent.
    return match(req.method, rel) ?? { id: `${req.method} ${rel}`, method: req.method, path: rel, idempotent: false };
  };

  const clientPolicy = resolveRetryPolicy(options.retry);

  return async function signalbridgeFetch(req: LightRequest, named?: CallContext & { operation: string }): Promise<Response> {
    const call: CallContext = named ?? {};
    const operation = resolveOperation(req, call.operation);
    const context = { vendor, operation: operation.id, redactor };
    const callHeaderViolations = headerViolations(call.headers, "headers");
    if (callHeaderViolations.length) throw new ValidationError(callHeaderViolations, context);
    const policy = call.retry === undefined ? clientPolicy : resolveRetryPolicy(options.retry, call.retry);
    const timeoutMs = call.timeoutMs ?? options.timeoutMs;
    const attemptTimeoutMs = call.attemptTimeoutMs ?? options.attemptTimeoutMs;
    const callerSignal = call.signal ?? req.signal;
    if (callerSignal?.aborted) throw callerSignal.reason;
    const started = Date.now();
    const deadline = call.deadline ?? started + timeoutMs;

    // One controller for the whole call: the deadline and the caller's signal end whatever is
    // under way, be it the token fetch, an attempt, the body read or a retry wait.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DeadlineReached()), Math.max(0, deadline - started));
    const onCallerAbort = () => controller.abort(callerSignal!.reason);
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    const signal = controller.signal;
    const timedOut = () => signal.reason instanceof DeadlineReached;

    let sends = 0;
    let retries = 0;
    let renewed = false;
    // Whether any attempt may have reached the server: a deadline that passes during the token
    // fetch of the first attempt leaves nothing processed.
    let mayHaveReached = false;
    let earlierReached = false;
    const fail = (error: unknown): never => {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timedOut()) {
        throw new TimeoutError(`${vendor} ${operation.id} did not finish within ${timeoutMs} ms (timeoutMs)`, {
          ...context,
          attempts: sends,
          cause: error,
          timeoutMs,
          mayHaveReachedServer: mayHaveReached,
        });
      }
      throw error;
    };
    const decide = (outcome: AttemptOutcome) => {
      const now = Date.now();
      const state = {
        sends,
        retries,
        renewed,
        canRenew: hooks.renewCredential !== undefined,
        elapsedMs: now - started,
        remainingMs: deadline - now,
      };
      return decideRetry(outcome, operation, policy, state, Math.random, now);
    };

    try {
      for (;;) {
        sends++;
        earlierReached = mayHaveReached;
        const headers = new HeaderMap(clientHeaders, req.headers);
        const outgoing: OutgoingRequest = {
          operation,
          method: req.method,
          url: req.url,
          headers,
          body: req.body,
          attempt: sends,
          signal,
        };
        try {
          if (hooks.authorize) await hooks.authorize(outgoing);
        } catch (error) {
          fail(error);
        }
        if (signal.aborted) fail(signal.reason);
        // The caller's own headers replace what auth set (a caller's Authorization wins).
        headers.merge(clientHeaders).merge(call.headers);
        const debug = logger.enabled("debug");
        if (debug) {
          logger.log("debug", `→ ${outgoing.method} ${redactor.scrubText(outgoing.url)} (${vendor} ${operation.id}, attempt ${sends})`, {
            headers: redactor.redactHeaders(headers.toRecord()),
            bodyBytes: outgoing.body?.length ?? 0,
          });
        }

        let wire: WireAnswer;
        const attempt = attemptTimeoutMs === undefined ? undefined : attemptSignal(signal, attemptTimeoutMs);
        try {
          mayHaveReached = true;
          wire = await send({
            url: outgoing.url,
            method: outgoing.method,
            headers: headers.toRecord(),
            body: outgoing.body,
            signal: attempt?.signal ?? signal,
            maxResponseBytes,
          });
        } catch (error) {
          if (signal.aborted) fail(error);
          const attemptTimedOut = attempt?.signal.reason instanceof AttemptTimedOut;
          const code = attemptTimedOut ? undefined : systemCode(error);
          const reached = attemptTimedOut || !code || !NOT_SENT_CODES.has(code);
          if (!reached) mayHaveReached = earlierReached;
          const decision = decide(reached ? NO_ANSWER : NOT_SENT);
          if (decision.action === "retry") {
            retries++;
            logger.log(
              "warn",
              `${vendor} ${operation.id}: ${attemptTimedOut ? "attempt timed out" : (code ?? "network error")}; retrying in ${decision.afterMs} ms`,
            );
            await sleep(decision.afterMs, signal).catch(fail);
            continue;
          }
          if (error instanceof SignalBridgeError) throw error;
          if (attemptTimedOut) {
            throw new TimeoutError(`${vendor} ${operation.id}: attempt ${sends} got no answer within ${attemptTimeoutMs} ms`, {
              ...context,
              attempts: sends,
              cause: error,
              timeoutMs: attemptTimeoutMs!,
              mayHaveReachedServer: true,
            });
          }
          const detail = code ?? (error instanceof Error ? error.message : String(error));
          throw new NetworkError(`${vendor} ${operation.id}: no answer from ${new URL(outgoing.url).host} (${detail})`, {
            ...context,
            attempts: sends,
            cause: error,
            code,
            mayHaveReachedServer: reached,
          });
        } finally {
          attempt?.dispose();
        }

        if (wire.kind === "redirect") {
          const target = wire.opaque ? undefined : redirectTarget(wire.location, outgoing.url, redactor);
          const status = wire.status;
          throw new RedirectError(
            `${vendor} ${operation.id}: the server answered with a redirect (HTTP ${status || "3xx"}) to ${target ?? "an undisclosed location"}; ` +
              `signalbridge never follows redirects (credentials would go along). The request may have been processed; check the base URL`,
            { ...context, attempts: sends, status, targetOrigin: target },
          );
        }
        if (wire.kind === "too-large") {
          throw new ResponseTooLargeError(
            `${vendor} ${operation.id}: the HTTP ${wire.status} answer is larger than maxResponseBytes (${maxResponseBytes} bytes); reading stopped there. ` +
              `The request may have been processed`,
            { ...context, attempts: sends, status: wire.status, maxResponseBytes },
          );
        }

        const response = wire;
        let parsed: unknown;
        let parsedOnce = false;
        const body = wire.text;
        const received: ReceivedResponse = {
          status: response.status,
          headers: response.headers,
          text: body,
          json() {
            if (!parsedOnce) {
              parsedOnce = true;
              try {
                parsed = body ? JSON.parse(body) : undefined;
              } catch {
                parsed = undefined;
              }
            }
            return parsed;
          },
        };
        const verdict = hooks.classify?.(received, outgoing);
        if (debug) {
          logger.log("debug", `← ${response.status} ${vendor} ${operation.id} in ${Date.now() - started} ms`, {
            requestId: requestIdOf(response.headers),
            bodyBytes: body.length,
            verdict,
          });
        }

        const decision = decide({ kind: "answer", status: response.status, verdict, retryAfter: response.headers.get("retry-after") });
        if (decision.action === "renew") {
          // The vendor refused the credential before doing anything: renew it once and re-send.
          renewed = true;
          logger.log("info", `${vendor} ${operation.id}: credential rejected as expired; renewing once`);
          await hooks.renewCredential!(outgoing);
          continue;
        }
        if (decision.action === "retry") {
          retries++;
          logger.log("warn", `${vendor} ${operation.id}: HTTP ${response.status}; retrying in ${decision.afterMs} ms`);
          await sleep(decision.afterMs, signal).catch(fail);
          continue;
        }

        // Named methods read the body from the receipt and ask openapi-fetch not to touch it
        // (parseAs "stream"): a light answer object serves them. `.raw` callers and
        // openapi-fetch's error path read the body themselves: they get a real Response.
        const ok = response.status >= 200 && response.status < 300;
        let out: Response;
        if (call.operation && ok) out = lightResponse(response) as unknown as Response;
        else {
          const nullBody = response.status === 204 || response.status === 205 || response.status === 304;
          out = new Response(nullBody ? null : body, {
            status: response.status,
            statusText: response.statusText,
            headers: toHeaders(response.headers),
          });
        }
        receipts.set(out, { text: body, attempts: sends });
        return out;
      }
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    }
  };
}

/** A signal for one attempt: the call's signal, or `ms`, whichever ends first. */
function attemptSignal(call: AbortSignal, ms: number): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new AttemptTimedOut()), ms);
  const onCall = () => controller.abort(call.reason);
  call.addEventListener("abort", onCall, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      call.removeEventListener("abort", onCall);
    },
  };
}

/**
 * What openapi-fetch reads of a successful answer to a named method (status, ok, headers; the
 * body stays unread with parseAs "stream"); building a WHATWG Response for it would cost more.
 */
function lightResponse(answer: { status: number; statusText: string; headers: WireHeaders }) {
  return { status: answer.status, statusText: answer.statusText, ok: true, headers: answer.headers, body: null };
}

function toHeaders(headers: WireHeaders): Headers {
  if (typeof Headers !== "undefined" && headers instanceof Headers) return headers;
  const out = new Headers();
  const entries = (headers as { entries?: () => Iterable<[string, string]> }).entries?.();
  if (entries) for (const [k, v] of entries) out.append(k, v);
  return out;
}
