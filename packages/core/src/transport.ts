import { NetworkError, SignalBridgeError, TimeoutError } from "./errors.js";
import type { LightRequest } from "./light-request.js";
import type { LevelledLogger } from "./logger.js";
import { createOperationMatcher, type OperationInfo, type OperationTable } from "./operations.js";
import type { Redactor } from "./redact.js";
import { backoffDelay, parseRetryAfter, resolveRetryPolicy, sleep, type RetryOptions } from "./retry.js";

/** One attempt, as the vendor's auth code sees it before it leaves: it may add headers. */
export interface OutgoingRequest {
  readonly operation: OperationInfo;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  /** The exact bytes that will be sent (signatures are computed over them). */
  readonly body: string | undefined;
  /** 1 for the first send. */
  readonly attempt: number;
}

/** An answer, read once, for the vendor's code to classify. */
export interface ReceivedResponse {
  readonly status: number;
  readonly headers: Headers;
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

/** Per-call options, passed by named methods as the `signalbridge` init key. */
export interface CallOptions {
  /** Per-attempt timeout in ms. Default: the client's `timeoutMs` (30 000). */
  timeoutMs?: number;
  /** Retry overrides for this call, or false for none. */
  retry?: RetryOptions | false;
  /** Aborts the call (and any retry wait); composed with the timeout. */
  signal?: AbortSignal;
  /** Extra request headers. */
  headers?: Record<string, string>;
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
  retry: RetryOptions | false | undefined;
  fetch: typeof fetch;
  headers?: Record<string, string> | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

// What the transport learnt about each response it returned: the body exactly as received (so
// the client never re-reads or re-serializes it) and how many sends it took.
const receipts = new WeakMap<Response, { text: string; attempts: number }>();

/** How many sends produced this response (1 = no retry). */
export function attemptsOf(response: Response | undefined): number | undefined {
  return response ? receipts.get(response)?.attempts : undefined;
}

/** The body text of a response returned by the transport, exactly as the vendor sent it. */
export function bodyTextOf(response: Response): string | undefined {
  return receipts.get(response)?.text;
}

/** Request id headers that vendors and their gateways commonly set. */
export function requestIdOf(headers: Headers | undefined): string | undefined {
  if (!headers) return undefined;
  return headers.get("x-request-id") ?? headers.get("x-requestid") ?? headers.get("request-id") ?? headers.get("x-trace-id") ?? undefined;
}

// Failures in which the request provably never left: nothing can have been processed.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT", "CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "ERR_TLS_CERT_ALTNAME_INVALID",
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

class TimeoutSignal extends Error {}

/** The `fetch` handed to openapi-fetch: auth, timeout, retry and logging around the real fetch. */
export function createTransport(options: TransportOptions): (request: LightRequest) => Promise<Response> {
  const { vendor, hooks, logger, redactor } = options;
  const match = createOperationMatcher(options.operations);
  const basePath = new URL(options.baseUrl).pathname.replace(/\/$/, "");
  const fetchImpl = options.fetch;

  const resolveOperation = (req: LightRequest): OperationInfo => {
    const named = (req.signalbridge as { operation?: string } | undefined)?.operation;
    if (named && options.operations[named]) return options.operations[named]!;
    const pathname = new URL(req.url).pathname;
    const rel = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
    // An unknown operation (a path the spec does not have) is treated as not idempotent.
    return match(req.method, rel) ?? { id: `${req.method} ${rel}`, method: req.method, path: rel, idempotent: false };
  };

  const clientPolicy = resolveRetryPolicy(options.retry);

  return async function signalbridgeFetch(req: LightRequest): Promise<Response> {
    const call = (req.signalbridge ?? {}) as CallOptions & { operation?: string };
    const operation = resolveOperation(req);
    const policy = call.retry === undefined ? clientPolicy : resolveRetryPolicy(options.retry, call.retry);
    const timeoutMs = call.timeoutMs ?? options.timeoutMs;
    const callerSignal = call.signal ?? req.signal;
    const started = Date.now();
    // Built afresh for every attempt, because auth writes into them (a new token on a retry).
    const headersForAttempt = (): Record<string, string> => {
      const headers: Record<string, string> = { ...options.headers };
      req.headers.forEach((v, k) => (headers[k] = v));
      if (call.headers) Object.assign(headers, call.headers);
      return headers;
    };

    let sends = 0;
    let retries = 0;
    let renewed = false;
    for (;;) {
      sends++;
      const outgoing: OutgoingRequest = {
        operation, method: req.method, url: req.url, headers: headersForAttempt(), body: req.body, attempt: sends,
      };
      if (hooks.authorize) await hooks.authorize(outgoing);
      const debug = logger.enabled("debug");
      if (debug) {
        logger.log("debug", `→ ${outgoing.method} ${redactor.scrubText(outgoing.url)} (${vendor} ${operation.id}, attempt ${sends})`, {
          headers: redactor.redactHeaders(outgoing.headers),
          bodyBytes: outgoing.body?.length ?? 0,
        });
      }

      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new TimeoutSignal()), timeoutMs);
      const onCallerAbort = () => controller.abort(callerSignal!.reason);
      if (callerSignal) {
        if (callerSignal.aborted) {
          clearTimeout(timer);
          throw callerSignal.reason;
        }
        callerSignal.addEventListener("abort", onCallerAbort, { once: true });
      }

      let response: Response;
      let text: string;
      try {
        response = await fetchImpl(outgoing.url, {
          method: outgoing.method,
          headers: outgoing.headers,
          body: outgoing.body,
          signal: controller.signal,
        });
        text = await response.text();
      } catch (error) {
        if (callerSignal?.aborted) throw callerSignal.reason;
        const timedOut = controller.signal.reason instanceof TimeoutSignal;
        const code = timedOut ? undefined : systemCode(error);
        const reached = timedOut || !code || !NOT_SENT_CODES.has(code);
        const safe = !reached || operation.idempotent;
        const delay = backoffDelay(retries + 1, policy);
        if (safe && sends < policy.maxAttempts && Date.now() - started + delay <= policy.maxElapsedMs) {
          retries++;
          logger.log("warn", `${vendor} ${operation.id}: ${timedOut ? "timed out" : code ?? "network error"}; retrying in ${delay} ms`);
          await sleep(delay, callerSignal);
          continue;
        }
        if (error instanceof SignalBridgeError) throw error;
        const context = { vendor, operation: operation.id, attempts: sends, cause: error, redactor };
        if (timedOut) {
          throw new TimeoutError(`${vendor} ${operation.id} got no answer within ${timeoutMs} ms`, {
            ...context, timeoutMs, mayHaveReachedServer: true,
          });
        }
        const detail = code ?? (error instanceof Error ? error.message : String(error));
        throw new NetworkError(`${vendor} ${operation.id}: no answer from ${new URL(outgoing.url).host} (${detail})`, {
          ...context, code, mayHaveReachedServer: reached,
        });
      } finally {
        clearTimeout(timer);
        callerSignal?.removeEventListener("abort", onCallerAbort);
      }

      let parsed: unknown;
      let parsedOnce = false;
      const received: ReceivedResponse = {
        status: response.status,
        headers: response.headers,
        text,
        json() {
          if (!parsedOnce) {
            parsedOnce = true;
            try {
              parsed = text ? JSON.parse(text) : undefined;
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
          bodyBytes: text.length,
          verdict,
        });
      }

      if (verdict === "credential-rejected" && !renewed && hooks.renewCredential) {
        // The vendor refused the credential before doing anything: renew it once and re-send.
        renewed = true;
        logger.log("info", `${vendor} ${operation.id}: credential rejected as expired; renewing once`);
        await hooks.renewCredential(outgoing);
        continue;
      }

      const retryable =
        verdict === "not-processed" ||
        (verdict === undefined && (response.status === 429 || (operation.idempotent && (response.status >= 500 || response.status === 408))));
      if (retryable && sends < policy.maxAttempts) {
        const delay = parseRetryAfter(response.headers.get("retry-after"), policy.maxRetryAfterMs) ?? backoffDelay(retries + 1, policy);
        if (Date.now() - started + delay <= policy.maxElapsedMs) {
          retries++;
          logger.log("warn", `${vendor} ${operation.id}: HTTP ${response.status}; retrying in ${delay} ms`);
          await sleep(delay, callerSignal);
          continue;
        }
      }

      // Named methods read the body from the receipt and ask openapi-fetch not to touch it
      // (parseAs "stream"), so their successful answers are returned as they are. `.raw` callers
      // and openapi-fetch's error path read the body themselves: they get a fresh copy.
      let out = response;
      if (!call.operation || !response.ok) {
        const nullBody = response.status === 204 || response.status === 205 || response.status === 304;
        out = new Response(nullBody ? null : text, { status: response.status, statusText: response.statusText, headers: response.headers });
      }
      receipts.set(out, { text, attempts: sends });
      return out;
    }
  };
}
