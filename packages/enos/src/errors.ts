import {
  ApiError,
  AuthenticationError,
  asJsonObject,
  describeText,
  type Exchange,
  type JsonObject,
  type VendorErrors,
} from "@signalbridge/core";
import type { ErrorCode } from "./generated/error-codes.js";

export const VENDOR = "enos";

/** Token-service operations: their answers carry `status` (or the doc's `stauts`), not `code`. */
export const TOKEN_OPERATIONS: ReadonlySet<string> = new Set(["getAccessToken", "refreshAccessToken"]);

/**
 * Token-service codes that mean "these app credentials are refused" (unknown appKey, wrong
 * secret). Nothing a retry or a renewal can fix, hence AuthenticationError.
 */
const REFUSED_CREDENTIALS = new Set(["1002", "1003"]);

/** App Portal success codes: 0 since v2.2 (doc 2.4.0), 200 on the 2.1–2.3 generation. */
const SUCCESS_CODES = new Set(["0", "200"]);

/** EnOS said no: an App Portal 31xxx code, a token-service 1xxx status or a gateway answer. */
export class EnosApiError extends ApiError {
  /** The vendor's code, trimmed: `"31404"`, `"1003"`, gateway `apim_status` `"4011"`, or undefined. */
  declare readonly code: ErrorCode | undefined;
}

/** The gateway or the token service refused the application's credentials. */
export class EnosAuthenticationError extends AuthenticationError {
  declare readonly code: ErrorCode | undefined;
}

const codeText = (v: unknown): string | undefined =>
  typeof v === "number" || (typeof v === "string" && v.trim() !== "") ? String(v).trim() : undefined;

/** `status`, or the `stauts` misspelling of the vendor's Get Access Token sample. */
export function tokenStatusOf(body: unknown): string | undefined {
  const o = asJsonObject(body);
  return o ? codeText(o.status ?? o.stauts) : undefined;
}

function messageOf(o: JsonObject | undefined, fallback: string): string {
  const m = o?.message ?? o?.msg;
  return typeof m === "string" && m.trim() !== "" ? m.trim() : fallback;
}

function requestIdOf(exchange: Exchange, o: JsonObject | undefined): string | undefined {
  return exchange.requestId ?? (typeof o?.requestId === "string" ? o.requestId : undefined);
}

/** How EnOS says no, parsed into EnosApiError / EnosAuthenticationError. */
export const enosErrors: VendorErrors = {
  fromResponse(exchange) {
    const op = exchange.operation.id;
    const o = exchange.isJson ? asJsonObject(exchange.body) : undefined;
    // Gateway bodies carry `message` (+ `apim_status` on 401); an upstream error may carry an
    // App Portal envelope `{code, message}`, or on the token service `{status, msg}`. (A Spring
    // error page `{status: 415, error, path}` has a `status` that is only the HTTP status again.)
    const code = codeText(o?.apim_status) ?? codeText(o?.code) ?? (TOKEN_OPERATIONS.has(op) ? tokenStatusOf(o) : undefined);
    // Scrubbed before it is shortened: a cut must not split a secret and leave half of it.
    const fallback =
      exchange.text === "" ? `HTTP ${exchange.status} with an empty body` : describeText(exchange.redactor.scrubText(exchange.text));
    const init = {
      vendor: VENDOR,
      operation: op,
      status: exchange.status,
      code,
      message: messageOf(o, fallback),
      requestId: requestIdOf(exchange, o),
      body: exchange.body,
      attempts: exchange.attempts,
      redactor: exchange.redactor,
    };
    // 401 is the gateway's "Invalid authentication credentials"; the transport has already
    // renewed the token once, so this is a refusal.
    return exchange.status === 401 ? new EnosAuthenticationError(init) : new EnosApiError(init);
  },

  fromSuccessBody(exchange) {
    const op = exchange.operation.id;
    const o = exchange.isJson ? asJsonObject(exchange.body) : undefined;
    if (!o) return undefined; // a non-object body is a ResponseShapeError, found by the validator
    let code: string | undefined;
    if (TOKEN_OPERATIONS.has(op)) {
      code = tokenStatusOf(o);
      if (code === undefined || code === "0") return undefined;
    } else {
      // The App Portal envelope; a bare `status` (a token-service 1203 passed on) is read too.
      code = codeText(o.code) ?? (o.code === undefined ? tokenStatusOf(o) : undefined);
      if (code === undefined || SUCCESS_CODES.has(code)) return undefined;
    }
    const init = {
      vendor: VENDOR,
      operation: op,
      status: exchange.status,
      code,
      message: messageOf(o, `code ${code}`),
      requestId: requestIdOf(exchange, o),
      body: exchange.body,
      attempts: exchange.attempts,
      redactor: exchange.redactor,
    };
    return TOKEN_OPERATIONS.has(op) && REFUSED_CREDENTIALS.has(code) ? new EnosAuthenticationError(init) : new EnosApiError(init);
  },
};
