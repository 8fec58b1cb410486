import type { Client } from "openapi-fetch";
import { checkBaseUrl } from "./base-url.js";
import { type ApiError, ConfigurationError, ResponseShapeError, ValidationError, sealError, type Violation } from "./errors.js";
import { headerViolations } from "./headers.js";
import { DEFAULT_MAX_RESPONSE_BYTES } from "./read-body.js";
import { createRawClient, sendInit, type SendInit } from "./openapi-fetch-adapter.js";
import { createLevelledLogger, type LevelledLogger, type Logger, type LogLevel } from "./logger.js";
import type { OperationInfo, OperationTable } from "./operations.js";
import { Redactor } from "./redact.js";
import type { RetryOptions } from "./retry.js";
import {
  attemptsOf,
  bodyTextOf,
  createTransport,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
  requestIdOf,
  type CallContext,
  type CallOptions,
  type TransportHooks,
} from "./transport.js";
import { assertValid, collectViolations } from "./validation.js";
import type { HttpSender, WireHeaders } from "./wire.js";

/** Options every vendor client accepts, besides its credentials. */
export interface CommonClientOptions {
  /** The vendor's base URL; for ZStack it includes the context path (`http://mn:8080/zstack`). */
  baseUrl: string;
  /** Allow plain http to a non-loopback host. Default false. */
  allowInsecureHttp?: boolean;
  /**
   * One deadline per call in ms: the token or session fetch, every attempt, every retry wait and
   * job polling together. Default 30 000; a whole number from 1 to 2^31-1.
   */
  timeoutMs?: number;
  /** Cap on a single attempt, inside the deadline, so a stalled idempotent request is retried. Default: none. */
  attemptTimeoutMs?: number;
  /** Retry policy, or false to never retry. Defaults in README ("Retries"). */
  retry?: RetryOptions | false;
  /** Where log lines go. Default `console`. Lines are redacted. */
  logger?: Logger;
  /** Default "warn"; "debug" shows request and response summaries. */
  logLevel?: LogLevel;
  /** Check requests against the spec before sending. Default true. */
  validate?: boolean;
  /** Check success bodies against the spec; a mismatch throws ResponseShapeError. Default true. */
  validateResponses?: boolean;
  /**
   * A fetch implementation (proxies, custom agents). When given, it is used instead of the Node
   * transport. Default: on Node the undici transport (README "Performance"), elsewhere `globalThis.fetch`.
   */
  fetch?: typeof fetch;
  /** What moves the bytes (e.g. `undiciSender({ connections: 16 })` from `@signalbridge/core/node`); `fetch` is ignored when this is set. */
  sender?: HttpSender;
  /** Headers added to every request; they replace the client's own of the same name, whatever the case. */
  headers?: Record<string, string>;
  /** Cap on one answer's body in bytes, counted after decompression. Default 4 MiB (4 194 304). */
  maxResponseBytes?: number;
}

/** What the vendor's request looked like, for validation: the openapi-fetch `params` plus `body`. */
export interface RequestInput {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
  body?: unknown;
  /** How the body goes on the wire. Default "json"; "form" for application/x-www-form-urlencoded. */
  bodyFormat?: "json" | "form";
}

/** A finished exchange with the vendor, before any judgement of success. */
export interface Exchange {
  readonly operation: OperationInfo;
  readonly status: number;
  readonly ok: boolean;
  /** The body parsed as JSON; the raw text when it is not JSON; undefined when empty. */
  readonly body: unknown;
  readonly isJson: boolean;
  readonly text: string;
  readonly headers: WireHeaders;
  readonly requestId: string | undefined;
  readonly attempts: number | undefined;
  /** The client's redactor: vendor errors built from this exchange are redacted with it. */
  readonly redactor: Redactor;
}

/** How a vendor turns a "no" into its ApiError subclass (lives in the vendor's src/errors.ts). */
export interface VendorErrors {
  /** A non-2xx answer. May return a ResponseShapeError when the answer is not the vendor's. */
  fromResponse(exchange: Exchange): ApiError | ResponseShapeError;
  /** A 2xx answer that carries an error in its body (EnOS). */
  fromSuccessBody?(exchange: Exchange): ApiError | undefined;
}

export type { SendInit } from "./openapi-fetch-adapter.js";

type Sender = (init: SendInit) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** The ids of an operation table: a typo does not compile (it would validate against nothing). */
export type OperationId<Ops extends OperationTable> = Extract<keyof Ops, string>;

export interface ApiClient<Paths extends {}, Ops extends OperationTable = OperationTable> {
  readonly vendor: string;
  readonly raw: Client<Paths>;
  readonly logger: LevelledLogger;
  /** This client's secrets (pinned credentials, current and superseded tokens) and the scrubbing that uses them. */
  readonly redactor: Redactor;
  readonly baseUrl: string;
  readonly operations: Ops;
  /** Validate, send, read: never throws for a vendor's answer (only for bad input, timeouts, network). */
  exchange(operationId: OperationId<Ops>, input: RequestInput, send: Sender, call?: CallOptions): Promise<Exchange>;
  /**
   * The call's options with its one deadline fixed now: pass the result to every exchange of a
   * call that makes several (a ZStack job's submit and polls), so that all share that deadline.
   */
  startCall<C extends CallOptions>(call?: C): C & { deadline: number };
  /** Validate, send, and return the success body; throws the vendor's typed error otherwise. */
  invoke<T>(operationId: OperationId<Ops>, input: RequestInput, send: Sender, call?: CallOptions): Promise<T>;
  /** The vendor error for a failed exchange. */
  errorOf(exchange: Exchange): ApiError | ResponseShapeError;
  /** Check a success body against the spec (when enabled) and return it typed. */
  accept<T>(exchange: Exchange): T;
}

export interface CreateApiClientOptions<Ops extends OperationTable = OperationTable> {
  vendor: string;
  /** The generated operation table (`src/generated/operations.ts`). */
  operations: Ops;
  options: CommonClientOptions;
  errors: VendorErrors;
  /** Builds the vendor's auth hooks; receives the client so it can call its token endpoint. */
  hooks?: (api: ApiClient<any, Ops>) => TransportHooks;
}

/**
 * The shared engine under every vendor client: openapi-fetch plus the signalbridge transport.
 * `platformSender` is what moves the bytes when the caller passed neither `sender` nor `fetch`:
 * the Node entry (index.node.ts) passes the undici sender; elsewhere it is fetch.
 */
export function createApiClient<Paths extends {}, Ops extends OperationTable = OperationTable>(
  config: CreateApiClientOptions<Ops>,
  platformSender?: () => HttpSender | undefined,
): ApiClient<Paths, Ops> {
  const { vendor, operations, options, errors } = config;
  const baseUrl = checkBaseUrl(vendor, options.baseUrl, options.allowInsecureHttp);
  const timeoutMs = checkTimeoutMs(vendor, "timeoutMs", options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const attemptTimeoutMs =
    options.attemptTimeoutMs === undefined ? undefined : checkTimeoutMs(vendor, "attemptTimeoutMs", options.attemptTimeoutMs);
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1) {
    throw new ConfigurationError(`${vendor}: maxResponseBytes must be a whole number of bytes ≥ 1 (got ${String(maxResponseBytes)})`, {
      vendor,
    });
  }
  const headerProblems = headerViolations(options.headers, "headers");
  if (headerProblems.length) {
    throw new ConfigurationError(`${vendor}: ${headerProblems.map((v) => v.message).join("; ")}`, { vendor });
  }
  const redactor = new Redactor({ owner: vendor });
  const logger = createLevelledLogger(options.logger, options.logLevel, redactor);
  const validateRequests = options.validate !== false;
  const validateResponses = options.validateResponses !== false;
  const hooks: TransportHooks = {};

  const transport = createTransport({
    vendor,
    baseUrl,
    operations,
    hooks,
    logger,
    redactor,
    timeoutMs,
    attemptTimeoutMs,
    retry: options.retry,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    sender: options.sender ?? (options.fetch ? undefined : platformSender?.()),
    headers: options.headers,
    maxResponseBytes,
  });

  const raw = createRawClient<Paths>(baseUrl, transport);

  const operation = (id: string): OperationInfo => {
    const op = operations[id];
    if (!op) throw new Error(`${vendor}: unknown operation ${id} (the generated operation table does not have it)`);
    return op;
  };

  const api: ApiClient<Paths, Ops> = {
    vendor,
    raw,
    logger,
    redactor,
    baseUrl,
    operations,

    startCall(call) {
      const c = (call ?? {}) as CallContext;
      if (c.deadline !== undefined) return c as never;
      const ms = c.timeoutMs === undefined ? timeoutMs : checkTimeoutMs(vendor, "call.timeoutMs", c.timeoutMs);
      if (c.attemptTimeoutMs !== undefined) checkTimeoutMs(vendor, "call.attemptTimeoutMs", c.attemptTimeoutMs);
      return { ...c, deadline: Date.now() + ms } as never;
    },

    async exchange(operationId, input, send, call = {}) {
      const op = operation(operationId);
      const ctx = { vendor, operation: op.id, redactor };
      // Serialize once and validate that serialization: a toJSON, a getter or an inherited
      // property can then no longer make the bytes sent differ from what was checked.
      const { checked, bytes } = snapshotBody(input, ctx);
      if (validateRequests && op.validateRequest) {
        assertValid(op.validateRequest, checked, op.ruleMessages, ctx);
      }
      const wireProblems = wireViolations(checked);
      if (wireProblems.length) throw new ValidationError(wireProblems, ctx);
      // Always, even with validation off: "", "." and ".." would make the URL address another
      // resource (the list instead of one item, the parent path) instead of failing.
      const badSegments = Object.entries(input.path ?? {}).filter(
        ([, v]) => v === "" || v === "." || v === ".." || v === undefined || v === null,
      );
      if (badSegments.length) {
        throw new ValidationError(
          badSegments.map(([name, v]) => ({
            path: `path.${name}`,
            rule: "pathSegment",
            message: `path.${name}: must be a non-empty value other than "." and ".." (got ${v === "" ? "an empty string" : JSON.stringify(v ?? null)})`,
          })),
          ctx,
        );
      }
      const init = sendInit(transport, { ...api.startCall(call), operation: op.id }, bytes);
      const result = await send(init).catch((error: unknown) => {
        throw sealError(error, redactor);
      });
      const response = result.response;
      // The transport kept the body exactly as received; openapi-fetch's own parse (it JSON-parses
      // error bodies whatever `parseAs` says) is not used.
      const text = bodyTextOf(response) ?? "";
      let body: unknown = text === "" ? undefined : text;
      let isJson = false;
      if (text !== "") {
        try {
          body = JSON.parse(text);
          isJson = true;
        } catch {
          // not JSON: vendors answer some errors in plain text (ZStack 4xx) or HTML (proxies)
        }
      }
      return {
        operation: op,
        status: response.status,
        ok: response.ok,
        body,
        isJson,
        text,
        headers: response.headers,
        // read only when someone asks (errors do): header lookups are not free on every call
        get requestId() {
          return requestIdOf(response.headers);
        },
        attempts: attemptsOf(response),
        redactor,
      };
    },

    errorOf(exchange) {
      return sealError(errors.fromResponse(exchange), redactor);
    },

    accept<T>(exchange: Exchange): T {
      const op = exchange.operation;
      const ctx = { vendor, operation: op.id, attempts: exchange.attempts, status: exchange.status, body: exchange.body, redactor };
      if (exchange.text !== "" && !exchange.isJson) {
        throw new ResponseShapeError(
          `${vendor} ${op.id}: HTTP ${exchange.status} answer is not JSON (${describeText(redactor.scrubText(exchange.text))})`,
          ctx,
        );
      }
      const inBand = errors.fromSuccessBody?.(exchange);
      if (inBand) throw sealError(inBand, redactor);
      const validator = op.validateResponse?.[String(exchange.status)];
      if (validateResponses && validator) {
        const violations = collectViolations(validator, exchange.body);
        if (violations.length) {
          throw new ResponseShapeError(
            `${vendor} ${op.id}: HTTP ${exchange.status} answer does not match the spec: ${violations.map((v) => v.message).join("; ")}`,
            { ...ctx, violations },
          );
        }
      }
      return exchange.body as T;
    },

    async invoke<T>(operationId: OperationId<Ops>, input: RequestInput, send: Sender, call?: CallOptions): Promise<T> {
      const exchange = await api.exchange(operationId, input, send, call);
      if (!exchange.ok) throw api.errorOf(exchange);
      return api.accept<T>(exchange);
    },
  };
  Object.assign(hooks, config.hooks?.(api));
  return api;
}

/** `timeoutMs` as setTimeout can honour it: a whole number of ms from 1 to 2^31-1. */
function checkTimeoutMs(vendor: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new ConfigurationError(
      `${vendor}: ${name} must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (got ${typeof value === "number" ? value : (JSON.stringify(value) ?? String(value))})`,
      { vendor },
    );
  }
  return value;
}

/** The body as it will be sent, and the input to validate: the body parsed back from those bytes. */
function snapshotBody(
  input: RequestInput,
  context: { vendor: string; operation: string },
): { checked: RequestInput; bytes: string | undefined } {
  if (input.body === undefined) return { checked: input, bytes: undefined };
  let json: string | undefined;
  try {
    json = JSON.stringify(input.body);
  } catch (error) {
    throw new ValidationError(
      [
        {
          path: "body",
          rule: "json",
          message: `body: must be JSON-serializable (${error instanceof Error ? error.message : String(error)})`,
        },
      ],
      context,
    );
  }
  if (json === undefined) return { checked: { ...input, body: undefined }, bytes: undefined };
  const body: unknown = JSON.parse(json);
  const bytes = input.bodyFormat === "form" ? new URLSearchParams(body as Record<string, string>).toString() : json;
  return { checked: { ...input, body }, bytes };
}

// A lone UTF-16 surrogate cannot be percent-encoded (encodeURIComponent throws a URIError).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What the spec cannot say but the wire requires: encodable path and query values, sendable headers. */
function wireViolations(input: RequestInput): Violation[] {
  const out: Violation[] = [];
  for (const where of ["path", "query"] as const) {
    for (const [name, value] of Object.entries(input[where] ?? {})) {
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => typeof v === "string" && LONE_SURROGATE.test(v))) {
        out.push({
          path: `${where}.${name}`,
          rule: "wellFormedUnicode",
          message: `${where}.${name}: must not contain a lone UTF-16 surrogate (it cannot be URL-encoded)`,
        });
      }
    }
  }
  const header = input.header as Record<string, unknown> | undefined;
  out.push(...headerViolations(header, "header"));
  return out;
}

/** A short, safe description of a body that is not what we expected. */
export function describeText(text: string): string {
  if (/^\s*</.test(text)) return "an HTML page";
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 120 ? `"${oneLine.slice(0, 117)}..."` : `"${oneLine}"`;
}
