import { defaultRedactor, type Redactor } from "./redact.js";

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
  /**
   * The redactor of the client the error belongs to: every field of the error is redacted with
   * it when the error is built. Default: the process-wide one, which knows no client's secrets.
   */
  redactor?: Redactor | undefined;
}

// Which client's redactor built an error. A WeakMap, not a field: a redactor is never serialized or inspected.
const owners = new WeakMap<SignalBridgeError, Redactor>();

/**
 * The redactor an error was built with. Subclasses (in vendor packages too) redact each field
 * they add with it: `this.vendorError = redactorOf(this).redactValue(init.vendorError)`.
 */
export function redactorOf(error: SignalBridgeError): Redactor {
  return owners.get(error) ?? defaultRedactor;
}

/** A field value redacted with the error's own client's redactor (any depth, keys and values). */
const redacted = <T>(error: SignalBridgeError, value: T): T => redactorOf(error).redactValue(value) as T;

/** Base class of every error thrown by signalbridge. */
export class SignalBridgeError extends Error {
  readonly kind: ErrorKind = "configuration";
  readonly vendor: string | undefined;
  readonly operation: string | undefined;
  attempts: number | undefined;

  constructor(message: string, context: ErrorContext = {}) {
    const redactor = context.redactor ?? defaultRedactor;
    // The message (hence the stack, which starts with it) and the cause chain are redacted here,
    // once, so no subclass can leak them; subclasses redact each field they add with
    // `redactorOf(this)`, and the client seals every error it hands out (`sealError`).
    super(redactor.scrubText(message), context.cause === undefined ? undefined : { cause: redactor.redactValue(context.cause) });
    owners.set(this, redactor);
    this.name = new.target.name;
    this.vendor = redacted(this, context.vendor);
    this.operation = redacted(this, context.operation);
    this.attempts = context.attempts;
  }

  toJSON(): Record<string, unknown> {
    const redactor = redactorOf(this);
    const out: Record<string, unknown> = { name: this.name, kind: this.kind, message: redactor.scrubText(this.message) };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && key !== "cause") out[key] = redactor.redactValue(value);
    }
    return out;
  }
}

/**
 * Redact every part of a signalbridge error in place with `redactor` (message, stack, every own
 * field at any depth, the cause chain), and make it the error's redactor. The client applies it
 * to every error it hands out, so a field a subclass forgot to redact, or an error built without
 * the client's redactor, still carries none of the client's secrets. Other values are returned
 * untouched (a caller's abort reason is the caller's).
 */
export function sealError<T>(error: T, redactor: Redactor): T {
  if (!(error instanceof SignalBridgeError)) return error;
  const e = error as unknown as Record<string, unknown>;
  e.message = redactor.scrubText(error.message);
  if (typeof error.stack === "string") e.stack = redactor.scrubText(error.stack);
  for (const key of Object.keys(e)) e[key] = redactor.redactValue(e[key]);
  if (Object.hasOwn(e, "cause")) {
    Object.defineProperty(e, "cause", { value: redactor.redactValue(e.cause), enumerable: false, writable: true, configurable: true });
  }
  owners.set(error, redactor);
  return error;
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
    this.violations = redacted(this, violations);
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
  /** The client's redactor (`exchange.redactor`, `api.redactor`): vendor errors always carry one. */
  redactor: Redactor;
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
    this.vendor = redacted(this, init.vendor);
    this.operation = redacted(this, init.operation);
    this.status = init.status;
    this.code = redacted(this, init.code);
    // A hostile gateway can put anything in a request-id header.
    this.requestId = redacted(this, init.requestId);
    // Kept redacted: a vendor's answer can carry tokens (EnOS apim_refreshtoken, echoed sessions),
    // and util.inspect / console.log print fields that toJSON never sees.
    this.body = redacted(this, init.body);
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
    super(`${message} (${init.mayHaveReachedServer ? "the request may have reached the server" : "the request was not sent"})`, init);
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
    this.code = redacted(this, init.code);
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
    this.body = redacted(this, init.body);
    this.violations = redacted(this, init.violations ?? []);
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
