import {
  ApiError,
  AuthenticationError,
  describeText,
  asJsonObject,
  trimmedText,
  type ApiErrorInit,
  type JsonObject,
  type Exchange,
  type VendorErrors,
} from "@signalbridge/core";
import type { ErrorCode } from "./generated/error-codes.js";

export const VENDOR = "eiam";

/** The two shapes in which EIAM says no. */
export type EiamErrorShape = "business" | "oauth";

/** EIAM's field on top of ApiError's, shared by its API and authentication errors. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript requires this signature of a mixin base
function withEiamShape<Base extends new (...args: any[]) => ApiError>(base: Base) {
  return class extends base {
    /** Which of the vendor's two error bodies it was; undefined for a body in neither shape (proxy page, 5xx). */
    readonly shape: EiamErrorShape | undefined;

    constructor(...args: any[]) {
      super(args[0] as ApiErrorInit);
      this.shape = (args[0] as { shape?: EiamErrorShape }).shape;
    }
  };
}

type EiamErrorInit = ApiErrorInit & { shape?: EiamErrorShape | undefined };

/**
 * EIAM said no: a business error `{error_code, error_msg}` (`NOTICE.0004`, `COM.0601`, …) or an
 * OAuth2 error `{error, error_description}` (`insufficient_scope`, `access_denied`, …).
 */
export class EiamApiError extends withEiamShape(ApiError) {
  /** The vendor's code, trimmed (the vendor's examples sometimes carry a leading space), or undefined. */
  declare readonly code: ErrorCode | undefined;
  constructor(init: EiamErrorInit) {
    super(init);
  }
}

/**
 * EIAM refused the credentials: `401 invalid_client` from the token endpoint (wrong client_id or
 * client_secret), or `400 invalid_token` that a token renewal could not fix (a caller-supplied
 * `accessToken`, or a fresh token refused again).
 */
export class EiamAuthenticationError extends withEiamShape(AuthenticationError) {
  declare readonly code: ErrorCode | undefined;
  constructor(init: EiamErrorInit) {
    super(init);
  }
}

/** OAuth2 error codes are lower-case snake_case words; Spring's `{error: "Internal Server Error"}` is not one. */
const OAUTH_CODE = /^[a-z][a-z_]*$/;

/**
 * The OAuth2 error list's descriptions echo the token: "Invalid access token: {token}",
 * "Access token expired:{token}". Tokens this client handles are in its redactor and scrubbed anyway;
 * this also covers a token we never saw (another process's).
 */
const TOKEN_ECHO = /(access token(?: expired)?\s*:\s*)[^\s"',;]+/gi;

function withoutToken<T>(value: T): T {
  if (typeof value === "string") return value.replace(TOKEN_ECHO, "$1[redacted]") as T;
  const o = asJsonObject(value);
  if (!o) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === "string" ? v.replace(TOKEN_ECHO, "$1[redacted]") : v;
  return out as T;
}

function fallbackMessage(exchange: Exchange, o: JsonObject | undefined): string {
  const m = trimmedText(o?.message) ?? trimmedText(o?.error) ?? trimmedText(o?.msg);
  if (m) return m;
  if (o) return `HTTP ${exchange.status} with a JSON body in neither of the vendor's error shapes`;
  if (typeof exchange.text !== "string" || exchange.text === "") return `HTTP ${exchange.status} with an empty body`;
  // Scrubbed before it is shortened: a cut must not split a secret and leave half of it.
  return describeText(exchange.redactor.scrubText(exchange.text));
}

/** How EIAM says no, parsed into EiamApiError / EiamAuthenticationError. */
export const eiamErrors: VendorErrors = {
  fromResponse(exchange) {
    const o = asJsonObject(exchange.body);
    const base = {
      vendor: VENDOR,
      operation: exchange.operation.id,
      status: exchange.status,
      requestId: exchange.requestId,
      attempts: exchange.attempts,
      // ApiError redacts it (and every other field) with the client's redactor.
      body: withoutToken(o ?? exchange.body),
      redactor: exchange.redactor,
    };

    const businessCode = trimmedText(o?.error_code);
    if (businessCode !== undefined) {
      return new EiamApiError({
        ...base,
        shape: "business",
        code: businessCode,
        message: trimmedText(o?.error_msg) ?? businessCode,
      });
    }

    const oauthCode = trimmedText(o?.error);
    if (oauthCode !== undefined && OAUTH_CODE.test(oauthCode)) {
      const init = {
        ...base,
        shape: "oauth" as const,
        code: oauthCode,
        message: withoutToken(trimmedText(o?.error_description) ?? oauthCode),
      };
      // invalid_token reaches the caller only when renewing the token did not help (or was not
      // possible); invalid_client / unauthorized_user come with 401.
      return oauthCode === "invalid_token" || exchange.status === 401 ? new EiamAuthenticationError(init) : new EiamApiError(init);
    }

    const init = { ...base, shape: undefined, code: undefined, message: fallbackMessage(exchange, o) };
    return exchange.status === 401 ? new EiamAuthenticationError(init) : new EiamApiError(init);
  },
};
