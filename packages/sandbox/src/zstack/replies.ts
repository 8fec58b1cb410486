/** ZStack's answers in the vendor's shapes, and how the REST layer reads a request body. */
import { randomBytes } from "node:crypto";
import type { SimReply, SimRequest } from "../kit/types.js";

export const DINGTALK = "org.zstack.sns.platform.dingtalk";
export const MSG = {
  AddSNSDingTalkAtPerson: `${DINGTALK}.APIAddSNSDingTalkAtPersonMsg`,
  UpdateAtPersonOfAtDingTalkEndpoint: `${DINGTALK}.APIUpdateAtPersonOfAtDingTalkEndpointMsg`,
  RemoveSNSDingTalkAtPerson: `${DINGTALK}.APIRemoveSNSDingTalkAtPersonMsg`,
  LogInByAccount: "org.zstack.header.identity.APILogInByAccountMsg",
} as const;

// Error descriptions: the codes are the vendor's; the description texts are inferred.
const DESCRIPTIONS: Record<string, string> = {
  "SYS.1000": "An internal error happened in system",
  "SYS.1003": "Resource not found",
  "SYS.1007": "One or more API argument is invalid",
  "ID.1000": "Authentication error",
  "ID.1001": "The session is invalid, either wrong session id or the session has been expired",
  "ID.1002": "Permission denied",
  "ID.1006": "The number of concurrent sessions exceeds the limit",
};

/** An answer decided while reading the request (a plain-text 400/500 of the REST layer). */
export class Answer extends Error {
  constructor(readonly reply: SimReply) {
    super("answer");
  }
}

export const newUuid = () => {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return b.toString("hex");
};
/** Java's String.trim(): strips every char ≤ U+0020 at both ends. */
export const javaTrim = (s: string) => s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "");
/** commons-lang StringUtils.isBlank. */
export const isBlank = (s: string | undefined) => s === undefined || /^[\s\x1c-\x1f]*$/.test(s);

export const text = (status: number, body: string): SimReply => ({ status, headers: { "content-type": "text/plain;charset=utf-8" }, body });
export const json = (status: number, body: unknown): SimReply => ({
  status,
  headers: { "content-type": "application/json;charset=utf-8" },
  body,
});
const errorBody = (code: string, details: string) => ({ error: { code, description: DESCRIPTIONS[code] ?? code, details } });
export const fail = (code: string, details: string): SimReply => json(503, errorBody(code, details));

// ---- @APIParam checks (after trimming), answering SYS.1007 / SYS.1003 ----
export const mandatory = (field: string, msg: string) =>
  fail("SYS.1007", `field[${field}] of message[${msg}] is mandatory, can not be null`);
export const tooLong = (field: string, msg: string, max: number, actual: number) =>
  fail("SYS.1007", `field[${field}] of message[${msg}] exceeds max length of string. expected was <= ${max}, actual was ${actual}`);
export const notFound = (field: string, uuid: string, type: string) =>
  fail("SYS.1003", `invalid field[${field}], resource[uuid:${uuid}, type:${type}] not found`);

// ---- body reading as the REST server does it (problems throw an Answer) ----
export function readBody(req: SimRequest, key: string, action: boolean): Record<string, unknown> {
  if (req.rawBody.trim() === "") throw new Answer(text(400, "The request body is empty")); // inferred text
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.rawBody);
  } catch (error) {
    // inferred: Gson's exception surfaces as a plain 500
    throw new Answer(text(500, `com.google.gson.JsonSyntaxException: ${(error as Error).message}`));
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Answer(text(400, "the body must be a JSON object")); // inferred
  const body = parsed as Record<string, unknown>;
  // An action body names the action by its key; nothing maps to an unknown key (inferred text).
  if (action && !(key in body))
    throw new Answer(text(400, `the body doesn't contain action mapping to the URL[${req.path.split("?")[0]}]`));
  return body;
}

export function object(v: unknown, field: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new Answer(text(400, `field[${field}] must be an object`)); // inferred text
}

/** Gson binding of one string field: numbers and booleans are coerced, objects and arrays are a type mismatch. */
export function str(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  throw new Answer(text(400, `field[${field}] must be a string`)); // inferred text (TypeVerifier)
}

export function strList(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return v.map(String);
  throw new Answer(text(400, `field[${field}] must be a list of strings`)); // inferred text
}
