import createClient, { type Client } from "openapi-fetch";
import { checkBaseUrl } from "./base-url.js";
import { ApiError, ResponseShapeError, ValidationError, sealError } from "./errors.js";
import { LightRequest } from "./light-request.js";
import { createLevelledLogger, type LevelledLogger, type Logger, type LogLevel } from "./logger.js";
import type { OperationInfo, OperationTable } from "./operations.js";
import { Redactor } from "./redact.js";
import type { RetryOptions } from "./retry.js";
import {
  attemptsOf,
  bodyTextOf,
  createTransport,
  DEFAULT_TIMEOUT_MS,
  requestIdOf,
  type CallOptions,
  type TransportHooks,
} from "./transport.js";
import { assertValid, collectViolations } from "./validation.js";

/** Options every vendor client accepts, besides its credentials. */
export interface CommonClientOptions {
  /** The vendor's base URL; for ZStack it includes the context path (`http://mn:8080/zstack`). */
  baseUrl: string;
  /** Allow plain http to a non-loopback host. Default false. */
  allowInsecureHttp?: boolean;
  /** Per-attempt timeout in ms. Default 30 000. */
  timeoutMs?: number;
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
  /** A fetch implementation (proxies, custom agents). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Headers added to every request. */
  headers?: Record<string, string>;
}

/** What the vendor's request looked like, for validation: the openapi-fetch `params` plus `body`. */
export interface RequestInput {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
  body?: unknown;
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
  readonly headers: Headers;
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

/** The init that named methods spread into `.raw` calls. */
export interface SendInit {
  /** The body is read by the transport already; "stream" keeps openapi-fetch from reading it again. */
  parseAs: "stream";
  signal?: AbortSignal;
  signalbridge: CallOptions & { operation: string };
}

type Sender = (init: SendInit) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export interface ApiClient<Paths extends {}> {
  readonly vendor: string;
  readonly raw: Client<Paths>;
  readonly logger: LevelledLogger;
  /** This client's secrets (pinned credentials, current and superseded tokens) and the scrubbing that uses them. */
  readonly redactor: Redactor;
  readonly baseUrl: string;
  readonly operations: OperationTable;
  /** Validate, send, read: never throws for a vendor's answer (only for bad input, timeouts, network). */
  exchange(operationId: string, input: RequestInput, send: Sender, call?: CallOptions): Promise<Exchange>;
  /** Validate, send, and return the success body; throws the vendor's typed error otherwise. */
  invoke<T>(operationId: string, input: RequestInput, send: Sender, call?: CallOptions): Promise<T>;
  /** The vendor error for a failed exchange. */
  errorOf(exchange: Exchange): ApiError | ResponseShapeError;
  /** Check a success body against the spec (when enabled) and return it typed. */
  accept<T>(exchange: Exchange): T;
}

export interface CreateApiClientOptions {
  vendor: string;
  operations: OperationTable;
  options: CommonClientOptions;
  errors: VendorErrors;
  /** Builds the vendor's auth hooks; receives the client so it can call its token endpoint. */
  hooks?: (api: ApiClient<any>) => TransportHooks;
}

/** The shared engine under every vendor client: openapi-fetch plus the signalbridge transport. */
export function createApiClient<Paths extends {}>(config: CreateApiClientOptions): ApiClient<Paths> {
  const { vendor, operations, options, errors } = config;
  const baseUrl = checkBaseUrl(vendor, options.baseUrl, options.allowInsecureHttp);
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
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: options.retry,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    headers: options.headers,
  });

  const raw = createClient<Paths>({
    baseUrl,
    fetch: transport as unknown as typeof fetch,
    Request: LightRequest as unknown as typeof Request,
  });

  const operation = (id: string): OperationInfo => {
    const op = operations[id];
    if (!op) throw new Error(`${vendor}: unknown operation ${id} (the generated operation table does not have it)`);
    return op;
  };

  const api: ApiClient<Paths> = {
    vendor,
    raw,
    logger,
    redactor,
    baseUrl,
    operations,

    async exchange(operationId, input, send, call = {}) {
      const op = operation(operationId);
      if (validateRequests && op.validateRequest) {
        assertValid(op.validateRequest, input, op.ruleMessages, { vendor, operation: op.id, redactor });
      }
      // Always, even with validation off: "", "." and ".." would make the URL address another
      // resource (the list instead of one item, the parent path) instead of failing.
      const badSegments = Object.entries(input.path ?? {}).filter(([, v]) => v === "" || v === "." || v === ".." || v === undefined || v === null);
      if (badSegments.length) {
        throw new ValidationError(
          badSegments.map(([name, v]) => ({
            path: `path.${name}`,
            rule: "pathSegment",
            message: `path.${name}: must be a non-empty value other than "." and ".." (got ${v === "" ? "an empty string" : JSON.stringify(v ?? null)})`,
          })),
          { vendor, operation: op.id, redactor },
        );
      }
      const init: SendInit = { parseAs: "stream", signalbridge: { ...call, operation: op.id } };
      if (call.signal) init.signal = call.signal;
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

    async invoke<T>(operationId: string, input: RequestInput, send: Sender, call?: CallOptions): Promise<T> {
      const exchange = await api.exchange(operationId, input, send, call);
      if (!exchange.ok) throw api.errorOf(exchange);
      return api.accept<T>(exchange);
    },
  };
  Object.assign(hooks, config.hooks?.(api));
  return api;
}

/** A short, safe description of a body that is not what we expected. */
export function describeText(text: string): string {
  if (/^\s*</.test(text)) return "an HTML page";
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 120 ? `"${oneLine.slice(0, 117)}..."` : `"${oneLine}"`;
}
