import {
  ApiError,
  AuthenticationError,
  describeText,
  isJsonObject,
  redactorOf,
  trimmedText,
  type ApiErrorInit,
  type Exchange,
  type VendorErrors,
} from "@signalbridge/core";
import type { ErrorCode } from "./generated/error-codes.js";
import type { components } from "./generated/schema.js";

/** The vendor's error object as it arrives in `{"error": …}` (HTTP 503, sync answer or poll). */
export type ZStackErrorObject = components["schemas"]["ErrorCode"];

/** The codes that mean "these credentials were refused": wrong password, invalid/expired session. */
const CREDENTIAL_CODES = new Set(["ID.1000", "ID.1001"]);

export interface ZStackErrorInit extends ApiErrorInit {
  code: ErrorCode | undefined;
  /** The vendor's `error` object, when the answer had one. */
  vendorError?: ZStackErrorObject | undefined;
  /** The codes of `cause`, `cause.cause`, … and `causes[]`, outermost first. */
  causeCodes?: string[];
  /** The api-jobs uuid, when the error came from polling an async call. */
  jobUuid?: string | undefined;
}

/** ZStack's fields on top of ApiError's, shared by its API and authentication errors. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript requires this signature of a mixin base
function withZStackFields<Base extends new (...args: any[]) => ApiError>(base: Base) {
  return class extends base {
    declare readonly code: ErrorCode | undefined;
    /** The vendor's `error` object, when the answer had one. */
    readonly vendorError: ZStackErrorObject | undefined;
    /** The codes of the cause chain, outermost first. */
    readonly causeCodes: readonly string[];
    /** The api-jobs uuid, when the error came from polling an async call. */
    readonly jobUuid: string | undefined;

    constructor(...args: any[]) {
      super(args[0] as ApiErrorInit);
      const init = args[0] as ZStackErrorInit;
      // Redacted like every field of the error: the vendor's error object is the answer itself,
      // and its details can echo a session uuid or a password.
      const redactor = redactorOf(this);
      this.vendorError = redactor.redactValue(init.vendorError) as ZStackErrorObject | undefined;
      this.causeCodes = redactor.redactValue(init.causeCodes ?? []) as string[];
      this.jobUuid = redactor.redactValue(init.jobUuid) as string | undefined;
    }

    /** True when `code` is the top-level code or appears anywhere in the cause chain. */
    hasCode(code: ErrorCode): boolean {
      return this.code === code || this.causeCodes.includes(code);
    }
  };
}

/** ZStack said no: `{"error": ErrorCode}` with HTTP 503, or a plain-text 4xx/5xx. */
export class ZStackApiError extends withZStackFields(ApiError) {
  declare readonly code: ErrorCode | undefined;
  constructor(init: ZStackErrorInit) {
    super(init);
  }
}

/**
 * ZStack refused the credentials: ID.1000 (wrong account name or password), ID.1001 (invalid or
 * expired session that could not be renewed) or an AccessKey refusal (HTTP 403, plain text).
 */
export class ZStackAuthenticationError extends withZStackFields(AuthenticationError) {
  declare readonly code: ErrorCode | undefined;
  constructor(init: ZStackErrorInit) {
    super(init);
  }
}

export type AnyZStackError = ZStackApiError | ZStackAuthenticationError;

/** The `error` object of a `{"error": {...}}` body, when the body is one. */
export function vendorErrorOf(body: unknown): ZStackErrorObject | undefined {
  if (!isJsonObject(body) || !isJsonObject(body.error)) return undefined;
  return body.error as ZStackErrorObject;
}

/** Codes of the cause chain (`cause`, recursively, and `causes[]`), trimmed, outermost first. */
export function causeCodesOf(error: ZStackErrorObject): string[] {
  const out: string[] = [];
  const visit = (e: unknown, depth: number) => {
    if (!isJsonObject(e) || depth > 16) return;
    const code = trimmedText(e.code);
    if (depth > 0 && code) out.push(code);
    visit(e.cause, depth + 1);
    if (Array.isArray(e.causes)) for (const c of e.causes) visit(c, depth + 1);
  };
  visit(error, 0);
  return out;
}

/** A readable sentence: the details (or description) of the error and of its root cause. */
function messageOf(error: ZStackErrorObject): string {
  const own = trimmedText(error.details) ?? trimmedText(error.description) ?? trimmedText(error.code) ?? "unknown error";
  let root: unknown = error.cause;
  let last: Record<string, unknown> | undefined;
  for (let depth = 0; isJsonObject(root) && depth < 16; depth++) {
    last = root;
    root = root.cause;
  }
  if (!last) return own;
  const why = trimmedText(last.details) ?? trimmedText(last.description);
  const code = trimmedText(last.code);
  return why && why !== own ? `${own} (cause${code ? ` ${code}` : ""}: ${why})` : own;
}

/**
 * ZStack serves its API under a context path (`/zstack`). Its REST server answers an unknown API
 * with `no api mapping to …`; any other 404 on an operation of the spec means the request never
 * reached that server, most often because the configured base URL lacks the context path.
 */
export const CONTEXT_PATH_HINT =
  "the ZStack base URL must include the /zstack context path (e.g. http://10.0.0.5:8080/zstack); a 404 here usually means it is missing";

function withContextPathHint(status: number, answer: string, message: string): string {
  const text = answer.trim();
  if (status !== 404 || text.startsWith("no api mapping to") || text.includes("/zstack context path")) return message;
  return `${message} (${CONTEXT_PATH_HINT})`;
}

export interface ErrorOrigin {
  /** The operation to name (for a poll: the async call that created the job). */
  operation?: string;
  jobUuid?: string | undefined;
}

/** Turn a non-2xx answer into the vendor's error. */
export function zstackErrorFromResponse(exchange: Exchange, origin: ErrorOrigin = {}): AnyZStackError {
  const base = {
    vendor: "zstack",
    operation: origin.operation ?? exchange.operation.id,
    status: exchange.status,
    requestId: exchange.requestId,
    body: exchange.body,
    attempts: exchange.attempts,
    jobUuid: origin.jobUuid,
    redactor: exchange.redactor,
  };
  const vendorError = exchange.isJson ? vendorErrorOf(exchange.body) : undefined;
  if (vendorError) {
    const code = trimmedText(vendorError.code);
    const causeCodes = causeCodesOf(vendorError);
    const init: ZStackErrorInit = { ...base, code, message: messageOf(vendorError), vendorError, causeCodes };
    const refused = [code, ...causeCodes].some((c) => c !== undefined && CREDENTIAL_CODES.has(c));
    return refused ? new ZStackAuthenticationError(init) : new ZStackApiError(init);
  }
  // Plain text (ZStack's 4xx and 500 answers), an HTML page from a proxy, or an empty body.
  // Scrubbed before it is shortened: a cut must not split a secret and leave half of it.
  const text =
    exchange.text.trim() === "" ? `empty HTTP ${exchange.status} answer` : describeText(exchange.redactor.scrubText(exchange.text));
  const message = origin.jobUuid === undefined ? withContextPathHint(exchange.status, exchange.text, text) : text;
  const init: ZStackErrorInit = { ...base, code: undefined, message };
  return exchange.status === 403 ? new ZStackAuthenticationError(init) : new ZStackApiError(init);
}

/** True when the error (or its cause chain) is ID.1001: the session was invalid or expired. */
export function isSessionRejected(error: unknown): boolean {
  return (error instanceof ZStackAuthenticationError || error instanceof ZStackApiError) && error.hasCode("ID.1001");
}

export const zstackErrors: VendorErrors = {
  fromResponse: (exchange) => zstackErrorFromResponse(exchange),
};
