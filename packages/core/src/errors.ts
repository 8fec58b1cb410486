import { redactValue, scrubText } from "./redact.js";

/** Discriminant shared by every signalbridge error: `switch (err.kind)` narrows like `instanceof`. */
export type ErrorKind =
  | "validation"
  | "api"
  | "authentication"
  | "timeout"
  | "network"
  | "response-shape"
  | "response-too-large"
  | "redirect"
  | "configuration";

export interface ErrorContext {
  /** Vendor key, e.g. "zstack", "eiam", "enos". */
  vendor?: string;
  /** The spec's operationId. */
  operation?: string;
  /** How many times the request was sent (1 = no retry). */
  attempts?: number;
  cause?: unknown;
}

/** Base class of every error thrown by signalbridge. */
export class SignalBridgeError extends Error {
  readonly kind: ErrorKind = "configuration";
  readonly vendor: string | undefined;
  readonly operation: string | undefined;
  attempts: number | undefined;

  constructor(message: string, context: ErrorContext = {}) {
    // Messages are scrubbed of registered secret values here, once, so no subclass can leak one.
    super(scrubText(message), context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.vendor = context.vendor;
    this.operation = context.operation;
    this.attempts = context.attempts;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, kind: this.kind, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && key !== "cause") out[key] = redactValue(value);
    }
    return out;
  }
}

/** Thrown before sending when the caller's input breaks the operation's spec. Nothing was sent. */
export interface Violation {
  /** Where, as a dotted path into what the caller passed: `body.title`, `query.orgId`. */
  path: string;
  /** The JSON Schema keyword that failed: maxLength, required, enum, … */
  rule: string;
  /** A readable sentence naming the field, the rule and the offending size or type. */
  message: string;
}

export class ValidationError extends SignalBridgeError {
  override readonly kind = "validation" as const;
  readonly violations: readonly Violation[];

  constructor(violations: Violation[], context: ErrorContext = {}) {
    const head = context.operation ? `${context.operation}: invalid request` : "invalid request";
    super(`${head} (nothing was sent): ${violations.map((v) => v.message).join("; ")}`, context);
    this.violations = violations;
  }
}

export interface ApiErrorInit extends ErrorContext {
  vendor: string;
  operation: string;
  status: number;
  code: string | undefined;
  message: string;
  requestId?: string | undefined;
  body?: unknown;
}

/** The vendor answered and said no. Vendor packages subclass it (ZStackApiError, …). */
export class ApiError extends SignalBridgeError {
  override readonly kind: "api" | "authentication" = "api";
  override readonly vendor: string;
  override readonly operation: string;
  readonly status: number;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  /** The vendor's answer as received, with secret-named fields and known secret values masked. */
  readonly body: unknown;

  constructor(init: ApiErrorInit) {
    const where = `${init.vendor} ${init.operation}`;
    const code = init.code ? ` ${init.code}` : "";
    super(`${where} failed: HTTP ${init.status}${code}: ${init.message}`, init);
    this.vendor = init.vendor;
    this.operation = init.operation;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    // Kept redacted: a vendor's answer can carry tokens (EnOS apim_refreshtoken, echoed sessions),
    // and util.inspect / console.log print fields that toJSON never sees.
    this.body = redactValue(init.body);
  }
}

/** The vendor refused the credentials (wrong secret, unknown key, session that cannot be renewed). */
export class AuthenticationError extends ApiError {
  override readonly kind = "authentication" as const;
}

export interface TimeoutErrorInit extends ErrorContext {
  timeoutMs: number;
  /** False only when the request provably never left this process. */
  mayHaveReachedServer: boolean;
}

/** The request (or a job it started) did not finish within its deadline. */
export class TimeoutError extends SignalBridgeError {
  override readonly kind = "timeout" as const;
  readonly timeoutMs: number;
  readonly mayHaveReachedServer: boolean;

  constructor(message: string, init: TimeoutErrorInit) {
    super(
      `${message} (${init.mayHaveReachedServer ? "the request may have reached the server" : "the request was not sent"})`,
      init,
    );
    this.timeoutMs = init.timeoutMs;
    this.mayHaveReachedServer = init.mayHaveReachedServer;
  }
}

export interface NetworkErrorInit extends ErrorContext {
  mayHaveReachedServer: boolean;
  /** The system error code when there is one: ECONNREFUSED, ECONNRESET, ENOTFOUND, … */
  code?: string | undefined;
}

/** No HTTP answer: refused, reset, DNS failure, TLS failure. */
export class NetworkError extends SignalBridgeError {
  override readonly kind = "network" as const;
  readonly mayHaveReachedServer: boolean;
  readonly code: string | undefined;

  constructor(message: string, init: NetworkErrorInit) {
    super(message, init);
    this.mayHaveReachedServer = init.mayHaveReachedServer;
    this.code = init.code;
  }
}

/** The vendor answered something its spec does not allow (HTML page, malformed JSON, missing field). */
export class ResponseShapeError extends SignalBridgeError {
  override readonly kind = "response-shape" as const;
  readonly status: number;
  readonly body: unknown;
  readonly violations: readonly Violation[];

  constructor(message: string, init: ErrorContext & { status: number; body: unknown; violations?: Violation[] }) {
    super(message, init);
    this.status = init.status;
    this.body = redactValue(init.body);
    this.violations = init.violations ?? [];
  }
}

export interface RedirectErrorInit extends ErrorContext {
  status: number;
  /** The origin the server pointed at (`https://other.example`), or undefined when it named none or the browser hid it. */
  targetOrigin: string | undefined;
}

/**
 * The server answered with a redirect (3xx). signalbridge never follows one: a redirect to another
 * origin would carry credentials, bodies and signatures there. The server answered, so a
 * non-idempotent request may have been processed; it is never re-sent.
 */
export class RedirectError extends SignalBridgeError {
  override readonly kind = "redirect" as const;
  readonly status: number;
  readonly targetOrigin: string | undefined;
  readonly mayHaveReachedServer = true;

  constructor(message: string, init: RedirectErrorInit) {
    super(message, init);
    this.status = init.status;
    this.targetOrigin = init.targetOrigin;
  }
}

export interface ResponseTooLargeErrorInit extends ErrorContext {
  status: number;
  /** The cap (`maxResponseBytes`) the answer went over. */
  maxResponseBytes: number;
}

/**
 * The answer's body (counted after decompression) went over `maxResponseBytes`. Reading stopped at
 * the cap and the connection was closed; the answer is never downloaded again.
 */
export class ResponseTooLargeError extends SignalBridgeError {
  override readonly kind = "response-too-large" as const;
  readonly status: number;
  readonly maxResponseBytes: number;
  readonly mayHaveReachedServer = true;

  constructor(message: string, init: ResponseTooLargeErrorInit) {
    super(message, init);
    this.status = init.status;
    this.maxResponseBytes = init.maxResponseBytes;
  }
}

/** A client was configured wrongly (missing credential, insecure base URL). Thrown at construction. */
export class ConfigurationError extends SignalBridgeError {
  override readonly kind = "configuration" as const;
}

export const isSignalBridgeError = (e: unknown): e is SignalBridgeError => e instanceof SignalBridgeError;
export const isValidationError = (e: unknown): e is ValidationError => e instanceof ValidationError;
export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
export const isAuthenticationError = (e: unknown): e is AuthenticationError => e instanceof AuthenticationError;
export const isTimeoutError = (e: unknown): e is TimeoutError => e instanceof TimeoutError;
export const isNetworkError = (e: unknown): e is NetworkError => e instanceof NetworkError;
export const isRedirectError = (e: unknown): e is RedirectError => e instanceof RedirectError;
export const isResponseTooLargeError = (e: unknown): e is ResponseTooLargeError => e instanceof ResponseTooLargeError;
export const isResponseShapeError = (e: unknown): e is ResponseShapeError => e instanceof ResponseShapeError;
