/**
 * Bamboo Cloud IDaaS EIAM simulator: the Identity API token endpoint and the in-site notice APIs
 * (asyncSend, getSendResult), with state in memory.
 *
 * What it follows (specs/bamboocloud-eiam.yaml and ../shared/vendor-notes/bamboocloud-eiam.md):
 * - `POST /api/v2/tenant/token`: HTTP Basic base64(client_id:client_secret) (or client_id /
 *   client_secret form fields, as the SSO page shows), form body `grant_type=client_credentials`;
 *   200 `{access_token, token_type: "bearer", expires_in, scope: "all", id_token}`; 401
 *   `invalid_client` "Bad client credentials"; 400 `unsupported_grant_type` / `invalid_request`.
 * - Resource calls: `Authorization: Bearer …`; an unknown token is 400 `invalid_token`
 *   "Invalid access token: {token}", an expired one 400 `invalid_token` "Access token
 *   expired:{token}" (the OAuth2 error list's texts, which echo the token).
 * - asyncSend: every rule of the seed with its code, checked in the order a Java server would
 *   (deserialization, then emptiness, then lengths and counts, then the recipients rule, then the
 *   quota): COM.0601 for a body that cannot be read or a value of the wrong type (including an
 *   unknown message_type, which is an enum), NOTICE.0004–0008, 0010, 0011, NOTICE.INSITE.0004 when
 *   `all` is not true and both lists are empty or absent, NOTICE.INSITE.0003 past the daily quota.
 *   Unknown fields are ignored (like Jackson), which is why the spec closes the body on the
 *   client side. Success is `{"noitce_id": …}`, the spelling of the vendor's own example.
 * - Notices go UNSENT → SENDING → FINISHED over time; getSendResult; NOTICE.0001 for unknown ids.
 *
 * Inferred where the sources are silent (marked "inferred" below): reusing a client's valid token
 * on a new token request with the remaining `expires_in` (the vendor's examples show 1799 and
 * 1719); the answer for a missing Authorization header (400 `invalid_request`, from the OAuth2
 * error list); the answer for a missing API permission (400 `insufficient_scope`; the notes list
 * it and `access_denied` as candidates); the quota's size and day boundary (the vendor gives no
 * number; counted per calendar day in China time); Spring Boot's default error body for unknown
 * paths and wrong methods; the status timings.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { systemClock, type SandboxClock } from "../kit/clock.js";
import { SpecIndex } from "../kit/spec.js";
import type { SimReply, SimRequest, SpecViolation, VendorSimulator } from "../kit/types.js";

export interface EiamSimulatorOptions {
  /** The application's client_id. Default "sandbox-eiam-client". */
  clientId?: string;
  /** The application's client_secret. Default "sandbox-eiam-secret-0001". */
  clientSecret?: string;
  /** Token lifetime in seconds. Default 1800 (the documented default). */
  expiresIn?: number;
  /** API permission codes granted to the application. Default ["app_notice_msg"]. */
  permissions?: string[];
  /** In-site notices accepted per day before NOTICE.INSITE.0003. Default 1000 (the vendor's number is not documented). */
  dailyQuota?: number;
  /** A notice is UNSENT for this long after it was accepted. Default 200 ms (inferred). */
  sendingAfterMs?: number;
  /** …and SENDING until this long after it was accepted, then FINISHED. Default 1000 ms (inferred). */
  finishedAfterMs?: number;
  /** The server's clock: tokens, notice status and the daily quota follow it. Default real time; tests pass a `ManualClock`. */
  clock?: SandboxClock;
}

export type EiamNoticeStatus = "UNSENT" | "SENDING" | "FINISHED";

interface Token {
  value: string;
  clientId: string;
  issuedAt: number;
  expiresAt: number;
}

interface Notice {
  notice_id: string;
  title: string;
  content: string;
  message_type: string;
  user_names: string[];
  org_codes: string[];
  all: boolean;
  acceptedAt: number;
}

const TOKEN_PATH = "/api/v2/tenant/token";
const TENANT_PREFIX = "/api/v2/tenant/";
const SPEC_FILE = "bamboocloud-eiam.yaml";
const CHINA_OFFSET_MS = 8 * 3600_000;

/** Users and organizations the demo and tests can address (the vendor does not check them on send). */
const FIXTURE_USERS = ["ziceUser", "zhangaaa01", "lisi", "wangwu"];
const FIXTURE_ORGS = ["10000", "10001"];

type Json = Record<string, unknown>;

/** The vendor's messages per code, read from the spec's `x-error-codes` (Chinese where known). */
function loadMessages(doc: { paths: Record<string, Record<string, { "x-error-codes"?: Json[] }>> }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      for (const e of op["x-error-codes"] ?? []) {
        const code = String(e.code).trim();
        out[code] ??= String(e.message_zh ?? e.message_en ?? e.meaning);
      }
    }
  }
  return out;
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const isEmpty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
const base64url = (text: string) => Buffer.from(text).toString("base64url");

/** `20220809161411767-9524-8618BA3BB`: China-time timestamp to the ms, 4 digits, 9 hex. */
function newNoticeId(now: number): string {
  const d = new Date(now + CHINA_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const stamp = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${p(d.getUTCMilliseconds(), 3)}`;
  const digits = String(randomBytes(2).readUInt16BE(0) % 10000).padStart(4, "0");
  const hex = randomBytes(5).toString("hex").toUpperCase().slice(0, 9);
  return `${stamp}-${digits}-${hex}`;
}

const chinaDay = (now: number) => new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10);

export function createEiamSimulator(options: EiamSimulatorOptions = {}) {
  const clientId = options.clientId ?? "sandbox-eiam-client";
  const clientSecret = options.clientSecret ?? "sandbox-eiam-secret-0001";
  const expiresIn = options.expiresIn ?? 1800;
  const permissions = new Set(options.permissions ?? ["app_notice_msg"]);
  const dailyQuota = options.dailyQuota ?? 1000;
  const sendingAfterMs = options.sendingAfterMs ?? 200;
  const finishedAfterMs = Math.max(options.finishedAfterMs ?? 1000, sendingAfterMs);
  const clock = options.clock ?? systemClock;
  const spec = new SpecIndex(SPEC_FILE);
  const messages = loadMessages(spec.document as Parameters<typeof loadMessages>[0]);
  // The server's limits, read from the spec (String.length(): UTF-16 code units, like Ajv's unicode: false).
  const limit = (pointer: string, keyword: string) => spec.bodyRule<number>("sendInSiteNotice", pointer, keyword);
  const maxTitle = limit("/title", "maxLength");
  const maxContent = limit("/content", "maxLength");
  const maxUserNames = limit("/user_names", "maxItems");
  const maxOrgCodes = limit("/org_codes", "maxItems");

  let tokens = new Map<string, Token>();
  let notices = new Map<string, Notice>();
  let sentPerDay = new Map<string, number>();

  // ---- answers in the vendor's shapes ----------------------------------------------------
  const business = (code: string, status = 400): SimReply => ({
    status,
    body: { error_code: code, error_msg: messages[code] ?? code },
  });
  const oauth = (status: number, error: string, description: string): SimReply => ({
    status,
    headers: { "cache-control": "no-store", pragma: "no-cache" },
    body: { error, error_description: description },
  });
  // Inferred: what a Spring Boot service answers for a path or method it does not have.
  const springError = (status: number, error: string, request: SimRequest): SimReply => ({
    status,
    body: { timestamp: new Date(request.now).toISOString(), status, error, message: "", path: request.path.split("?")[0] },
  });

  const statusOf = (notice: Notice, now: number): EiamNoticeStatus => {
    const age = now - notice.acceptedAt;
    return age < sendingAfterMs ? "UNSENT" : age < finishedAfterMs ? "SENDING" : "FINISHED";
  };

  // ---- token endpoint ---------------------------------------------------------------------
  function issueToken(request: SimRequest): SimReply {
    if (request.method !== "POST") {
      return oauth(405, "method_not_allowed", `Request method '${request.method}' not supported`);
    }
    const form =
      isObject(request.body) && (request.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded") ? request.body : {};
    let id: string | undefined;
    let secret: string | undefined;
    const auth = request.headers.authorization ?? "";
    if (/^basic /i.test(auth)) {
      const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon >= 0) {
        id = decoded.slice(0, colon);
        secret = decoded.slice(colon + 1);
      }
    } else {
      // client_secret_post, as the SSO user-API page shows the same endpoint
      id = typeof form.client_id === "string" ? form.client_id : undefined;
      secret = typeof form.client_secret === "string" ? form.client_secret : undefined;
    }
    if (id !== clientId || secret !== clientSecret) return oauth(401, "invalid_client", "Bad client credentials");
    const grant = form.grant_type;
    if (grant === undefined || grant === "") return oauth(400, "invalid_request", "Missing grant type");
    if (grant !== "client_credentials") return oauth(400, "unsupported_grant_type", "grant_type not supported");

    // Inferred: like Spring's DefaultTokenServices, a valid token of this client is handed out
    // again with its remaining lifetime (the vendor's examples show expires_in 1799 and 1719).
    let token = [...tokens.values()].find((t) => t.clientId === id && t.expiresAt - request.now >= 1000);
    if (!token) {
      token = { value: randomUUID(), clientId: id, issuedAt: request.now, expiresAt: request.now + expiresIn * 1000 };
      tokens.set(token.value, token);
    }
    const header = base64url(JSON.stringify({ kid: "sandbox", alg: "RS256" }));
    const payload = base64url(JSON.stringify({ aud: id, scope: [...permissions], exp: Math.floor(token.expiresAt / 1000) }));
    return {
      status: 200,
      headers: { "cache-control": "no-store", pragma: "no-cache" },
      body: {
        access_token: token.value,
        token_type: "bearer",
        expires_in: Math.floor((token.expiresAt - request.now) / 1000),
        scope: "all",
        id_token: `${header}.${payload}.${randomBytes(16).toString("base64url")}`,
      },
    };
  }

  /** The resource server's bearer check: undefined when the token is good. */
  function checkBearer(request: SimRequest): SimReply | undefined {
    const auth = request.headers.authorization ?? "";
    const m = /^bearer\s+(\S+)\s*$/i.exec(auth);
    // Inferred: the OAuth2 error list's answer for a missing token.
    if (!m) return oauth(400, "invalid_request", "The 'token' parameter is required.");
    const token = tokens.get(m[1]!);
    if (!token) return oauth(400, "invalid_token", `Invalid access token: ${m[1]}`);
    if (token.expiresAt <= request.now) return oauth(400, "invalid_token", `Access token expired:${m[1]}`);
    // Inferred: the candidate answer for an application without the API permission.
    if (!permissions.has("app_notice_msg") && !permissions.has("all")) {
      return oauth(400, "insufficient_scope", "not enough scope permission");
    }
    return undefined;
  }

  // ---- asyncSend ----------------------------------------------------------------------------
  /** Deserialization (Jackson into the request DTO): anything unreadable is COM.0601. */
  function readable(request: SimRequest): boolean {
    const ct = (request.headers["content-type"] ?? "").toLowerCase();
    if (!ct.includes("json")) return false; // Spring refuses the media type; the vendor says "parameter error"
    if (request.bodyError || !isObject(request.body)) return false;
    const b = request.body;
    const optString = (v: unknown) => v === undefined || v === null || typeof v === "string";
    const optList = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.every((x) => typeof x === "string"));
    if (!optString(b.title) || !optString(b.content) || !optString(b.message_type)) return false;
    if (!optList(b.user_names) || !optList(b.org_codes)) return false;
    if (!(b.all === undefined || b.all === null || typeof b.all === "boolean")) return false;
    // message_type is an enum on the server: an unknown value does not deserialize
    if (typeof b.message_type === "string" && b.message_type !== "" && b.message_type !== "TEXT" && b.message_type !== "MARKDOWN")
      return false;
    return true;
  }

  /** Spec violations the vendor does not act on (it ignores unknown fields). */
  const ignored = (v: SpecViolation) => v.keyword === "additionalProperties";

  function send(request: SimRequest): SimReply {
    if (!readable(request)) return business("COM.0601");
    const b = request.body as Json;
    const title = (b.title as string | null | undefined) ?? "";
    const content = (b.content as string | null | undefined) ?? "";
    const userNames = (b.user_names as string[] | null | undefined) ?? [];
    const orgCodes = (b.org_codes as string[] | null | undefined) ?? [];
    if (isEmpty(title)) return business("NOTICE.0004");
    if (isEmpty(content)) return business("NOTICE.0005");
    if (isEmpty(b.message_type)) return business("NOTICE.0006");
    if (title.length > maxTitle) return business("NOTICE.0007");
    if (content.length > maxContent) return business("NOTICE.0008");
    if (userNames.length > maxUserNames) return business("NOTICE.0010");
    if (orgCodes.length > maxOrgCodes) return business("NOTICE.0011");
    const all = b.all === true;
    if (!all && userNames.length === 0 && orgCodes.length === 0) return business("NOTICE.INSITE.0004");
    // Every other spec violation has been answered above; one that slipped through is still refused.
    if (request.violations.some((v) => !ignored(v))) return business("COM.0601");

    const day = chinaDay(request.now);
    const sent = sentPerDay.get(day) ?? 0;
    if (sent >= dailyQuota) return business("NOTICE.INSITE.0003");
    sentPerDay.set(day, sent + 1);

    const notice: Notice = {
      notice_id: newNoticeId(request.now),
      title,
      content,
      message_type: b.message_type as string,
      user_names: [...userNames],
      org_codes: [...orgCodes],
      all,
      acceptedAt: request.now,
    };
    notices.set(notice.notice_id, notice);
    return { status: 200, body: { noitce_id: notice.notice_id } };
  }

  function sendResult(request: SimRequest): SimReply {
    const notice = notices.get(request.pathParams.notice_id ?? "");
    if (!notice) return business("NOTICE.0001");
    return { status: 200, body: { status: statusOf(notice, request.now) } };
  }

  // ---- the simulator ------------------------------------------------------------------------
  const simulator = {
    vendor: "eiam" as const,
    clock,
    specFile: SPEC_FILE,
    spec,
    basePath: "",
    /** What a client needs: the same option names as createEiamClient. */
    credentials: { clientId, clientSecret },
    fixtures: {
      userNames: FIXTURE_USERS,
      orgCodes: FIXTURE_ORGS,
      expiresIn,
      dailyQuota,
      statusTimingsMs: { sendingAfter: sendingAfterMs, finishedAfter: finishedAfterMs },
    },

    handle(request: SimRequest): SimReply {
      const path = request.path.split("?")[0]!;
      if (path === TOKEN_PATH) return issueToken(request);
      if (!path.startsWith(TENANT_PREFIX)) return springError(404, "Not Found", request);
      // The resource server's filter runs before routing: no token, no 404.
      const refused = checkBearer(request);
      if (refused) return refused;
      if (request.wrongMethod) return springError(405, "Method Not Allowed", request);
      switch (request.operationId) {
        case "sendInSiteNotice":
          return send(request);
        case "getInSiteNoticeSendResult":
          return sendResult(request);
        default:
          return springError(404, "Not Found", request);
      }
    },

    tooLarge(request: SimRequest): SimReply {
      return springError(413, "Payload Too Large", request);
    },

    state() {
      const now = clock.now();
      return {
        tokens: [...tokens.values()].map((t) => ({
          clientId: t.clientId,
          issuedAt: new Date(t.issuedAt).toISOString(),
          expiresAt: new Date(t.expiresAt).toISOString(),
          expired: t.expiresAt <= now,
        })),
        notices: [...notices.values()].map((n) => ({
          notice_id: n.notice_id,
          title: n.title,
          message_type: n.message_type,
          user_names: n.user_names,
          org_codes: n.org_codes,
          all: n.all,
          acceptedAt: new Date(n.acceptedAt).toISOString(),
          status: statusOf(n, now),
        })),
        sentToday: sentPerDay.get(chinaDay(now)) ?? 0,
        dailyQuota,
      };
    },

    reset() {
      tokens = new Map();
      notices = new Map();
      sentPerDay = new Map();
    },

    expireTokens() {
      const past = clock.now() - 1;
      for (const t of tokens.values()) t.expiresAt = Math.min(t.expiresAt, past);
    },
  } satisfies VendorSimulator & Record<string, unknown>;
  return simulator;
}
