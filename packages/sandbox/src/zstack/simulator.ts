/**
 * ZStack Cloud simulator: the REST server's HTTP layer (Authorization checks, X-Job-UUID, plain
 * text 4xx), the API pipeline (session check, @APIParam validation, interceptors) and the SNS
 * DingTalk at-person APIs, with state in memory.
 *
 * What it follows (specs/zstack.yaml and ../shared/vendor-notes/zstack.md, which cite
 * zstackio/zstack and the premium SNS code in ZSvirt/zsvirt):
 * - Login `PUT /v1/accounts/login` `{logInByAccount: {accountName, password: sha512hex}}`, sync:
 *   200 `{inventory: SessionInventory}` or 503 ID.1000. Sessions last `sessionTimeoutSeconds`
 *   (default 7200) from login and are not extended by use. Logout and ValidateSession need no auth.
 * - Every other API needs `Authorization`: missing → 400 `missing header 'Authorization'`, another
 *   scheme → 400 `Authorization type must be 'OAuth'`. An unknown or expired session is NOT refused
 *   at the HTTP layer: sync APIs answer 503 `{error: ID.1001}`, async ones 202 and then the poll
 *   answers 503 ID.1001.
 * - AccessKey: `Authorization: ZStack <id>:<base64 HMAC-SHA1(secret, METHOD\nDate\nURI)>` with URI the
 *   decoded path without context path and query; `Date` within ±15 min of the server's wall clock,
 *   zone ignored (`rest/checkTimeZone=false`). Failures are plain text: 400 (no Date, bad Date, bad
 *   id:signature format), 403 (skew `requestTimeTooSkewed`, unknown key, wrong signature).
 * - Async APIs (Add, Update, Remove): 202 `{location, apiTimeout}` with the location on the node's
 *   "internal" address (option `locationOrigin`, so clients must rewrite it); the job answers
 *   202 `{}` while running (`jobDurationMs`), then 200 with the result or 503 `{error}`, and 404
 *   `the job has been expired` after `jobExpirySeconds` (default 10800) or for an unknown uuid.
 *   Parameter errors come at poll time: SYS.1007 (missing field, too long, phone format, duplicate,
 *   bad resourceUuid, bad deleteMode), SYS.1003 (unknown endpoint, at-person or tag).
 * - String @APIParam fields are trimmed before they are checked and stored (`APIMessage.validate`).
 * - X-Job-UUID: 32 characters or 400; reused on POST/PUT/DELETE → 400 `Duplicate job uuid[..]`.
 *   X-API-Timeout (seconds) sets `apiTimeout` (ms).
 * - Query: `q` repeated (`=`, `!=`, `>`, `<`, `>=`, `<=`, `?=`, `!?=`, `~=`, `!~=`, ` is null`,
 *   ` not null`; no operator → 400), `limit` (default 1000) and `start` (integers, else 400),
 *   `count`, `replyWithCount`, `sort=±field`, `fields` (first value, comma-split); answers
 *   `{inventories, total?, schema}`. The optional path `/at-persons/{uuid}` adds `uuid=`.
 * - Remove by (endpointUuid, phoneNumber), query parameters only; succeeds when nothing matches,
 *   and at once for an unknown but UUID-shaped endpointUuid; a non-UUID one is SYS.1003.
 * - Unknown path → 404 `no api mapping to <path>`; known path, wrong method → 405; a body that is
 *   not JSON → 500 (the exception text); a JSON value of the wrong type → 400.
 *
 * Inferred where the sources are silent (marked "inferred" below): the exact `description` texts of
 * the error codes, the 400/405/500/413 texts, the order of the AccessKey checks, that system tags on
 * at-persons match no registered pattern (SYS.1007), the read-only account for ID.1002, the default
 * apiTimeout (30 min), and sorting and comparing dates by time.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { SpecIndex } from "../kit/spec.js";
import type { SimReply, SimRequest, VendorSimulator } from "../kit/types.js";

export interface ZStackSimulatorOptions {
  /** The admin account. Default "admin" / "Sandbox#Admin1". */
  accountName?: string;
  password?: string;
  /** Session lifetime (identity/session.timeout). Default 7200 s. */
  sessionTimeoutSeconds?: number;
  /** Sessions per account (identity/session.maxConcurrent). Default 500. */
  maxConcurrentSessions?: number;
  /** The node's IANA time zone: dates in answers and the AccessKey `Date` check. Default "Asia/Shanghai". */
  timeZone?: string;
  /** Origin written into 202 locations (the node's own address). Default "http://172.20.0.10:8080"; "self" = the real one. */
  locationOrigin?: string;
  /** How long an async job runs before its result is available. Default 150 ms. */
  jobDurationMs?: number;
  /** How long a finished job's result is kept (rest/completedApi.expiredPeriod). Default 10800 s. */
  jobExpirySeconds?: number;
  /** apiTimeout of async calls without X-API-Timeout, ms. Default 1 800 000 (inferred). */
  defaultApiTimeoutMs?: number;
  /** Accepted AccessKey `Date` skew. Default 15 min (RestConstants.REQUEST_DURATION_MINUTES). */
  maxClockSkewMinutes?: number;
}

interface Account {
  uuid: string;
  name: string;
  passwordSha512: string;
  /** May only query (inferred fixture for ID.1002). */
  readOnly: boolean;
}

interface Session {
  uuid: string;
  accountUuid: string;
  createdAt: number;
  expiresAt: number;
}

interface AtPerson {
  uuid: string;
  phoneNumber: string;
  endpointUuid: string;
  remark?: string | undefined;
  createdAt: number;
  lastOpAt: number;
}

interface Job {
  uuid: string;
  operation: string;
  doneAt: number;
  expiresAt: number;
  status: number;
  body: unknown;
}

type Principal = { account: Account } | { error: SimReply };

/** An answer decided while reading the request (a plain-text 400/500 of the REST layer). */
class Answer extends Error {
  constructor(readonly reply: SimReply) {
    super("answer");
  }
}

const DINGTALK = "org.zstack.sns.platform.dingtalk";
const MSG = {
  AddSNSDingTalkAtPerson: `${DINGTALK}.APIAddSNSDingTalkAtPersonMsg`,
  UpdateAtPersonOfAtDingTalkEndpoint: `${DINGTALK}.APIUpdateAtPersonOfAtDingTalkEndpointMsg`,
  RemoveSNSDingTalkAtPerson: `${DINGTALK}.APIRemoveSNSDingTalkAtPersonMsg`,
  LogInByAccount: "org.zstack.header.identity.APILogInByAccountMsg",
} as const;

const UUID_SHAPED = /^[0-9a-f]{32}$/;
const QUERYABLE = ["uuid", "phoneNumber", "endpointUuid", "createDate", "lastOpDate", "remark"] as const;
const ASYNC = new Set(["AddSNSDingTalkAtPerson", "UpdateAtPersonOfAtDingTalkEndpoint", "RemoveSNSDingTalkAtPerson"]);
const NO_AUTH = new Set(["LogInByAccount", "LogOut", "ValidateSession", "getApiJobResult"]);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const sha512 = (text: string) => createHash("sha512").update(text, "utf8").digest("hex");
const newUuid = () => {
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return b.toString("hex");
};
/** Java's String.trim(): strips every char ≤ U+0020 at both ends. */
const javaTrim = (s: string) => s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "");
/** commons-lang StringUtils.isBlank. */
const isBlank = (s: string | undefined) => s === undefined || /^[\s\x1c-\x1f]*$/.test(s);

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

/**
 * The limits the server checks, read from the spec (`x-server-pattern` is the server's own regex,
 * applied after trimming; the spec's `pattern` is its trim-tolerant form for clients).
 */
function serverRules(spec: SpecIndex) {
  const add = (pointer: string, keyword: string) => spec.bodyRule("AddSNSDingTalkAtPerson", pointer, keyword);
  const update = (pointer: string) => spec.bodyRule<number>("UpdateAtPersonOfAtDingTalkEndpoint", pointer, "maxLength");
  return {
    addPhoneMax: add("/params/phoneNumber", "maxLength") as number,
    addRemarkMax: add("/params/remark", "maxLength") as number,
    updatePhoneMax: update("/updateAtPersonOfAtDingTalkEndpoint/phoneNumber"),
    updateRemarkMax: update("/updateAtPersonOfAtDingTalkEndpoint/remark"),
    dingDingPhone: new RegExp(add("/params/phoneNumber", "x-server-pattern") as string),
    zstackUuid: new RegExp(add("/params/resourceUuid", "pattern") as string),
  };
}

export function createZStackSimulator(options: ZStackSimulatorOptions = {}) {
  const spec = new SpecIndex("zstack.yaml");
  const rules = serverRules(spec);
  const accountName = options.accountName ?? "admin";
  const password = options.password ?? "Sandbox#Admin1";
  const sessionMs = (options.sessionTimeoutSeconds ?? 7200) * 1000;
  const maxSessions = options.maxConcurrentSessions ?? 500;
  const timeZone = options.timeZone ?? "Asia/Shanghai";
  const jobDurationMs = options.jobDurationMs ?? 150;
  const jobExpiryMs = (options.jobExpirySeconds ?? 10_800) * 1000;
  const defaultApiTimeoutMs = options.defaultApiTimeoutMs ?? 1_800_000;
  const maxSkewMs = (options.maxClockSkewMinutes ?? 15) * 60_000;
  let locationOrigin = options.locationOrigin && options.locationOrigin !== "self" ? options.locationOrigin : "http://172.20.0.10:8080";

  const fixtures = {
    /** Pre-seeded SNS DingTalk endpoints (`SNSDingTalkEndpointVO`). */
    dingTalkEndpoints: [
      { uuid: "7b9b311a1a6c445bbe48c02b52f91ef6", name: "ops-alarm-dingtalk" },
      { uuid: "2c5e4f0d9a8b4c7e8f6a5b4c3d2e1f0a", name: "dba-alarm-dingtalk" },
    ],
    /** Tag uuids (`TagPatternVO`) usable in `tagUuids`. */
    tagUuids: ["4f1c2e0f1c1b4d8a9c3b2a1d0e9f8a7b"],
    /** An at-person seeded on the first endpoint. */
    atPersons: [{ uuid: "9f8e7d6c5b4a4c3d8e2f1a0b9c8d7e6f", phoneNumber: "+86-13912345678", endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6", remark: "oncall lead" }],
    /** A second account that may query but not change anything (answers ID.1002). */
    readOnlyAccount: { accountName: "viewer", password: "Sandbox#Viewer1" },
    /** An AccessKey of the admin account. */
    accessKey: { accessKeyId: "SBXAKIDzstack0000001", accessKeySecret: "sbx-ak-secret-zstack-0000000000000001" },
    /** The node's time zone (for the AccessKey Date header). */
    timeZone,
  };

  const admin: Account = { uuid: "36c27e8ff05c4780bf6d2fa65700f22e", name: accountName, passwordSha512: sha512(password), readOnly: false };
  const viewer: Account = { uuid: "5d0c6f4e3b2a4c1d9e8f7a6b5c4d3e2f", name: fixtures.readOnlyAccount.accountName, passwordSha512: sha512(fixtures.readOnlyAccount.password), readOnly: true };
  const accounts = [admin, viewer];
  const accessKeys = new Map([[fixtures.accessKey.accessKeyId, { secret: fixtures.accessKey.accessKeySecret, account: admin }]]);

  let sessions = new Map<string, Session>();
  let atPersons = new Map<string, AtPerson>();
  let jobs = new Map<string, Job>();
  let created = 0;

  function reset(): void {
    sessions = new Map();
    jobs = new Map();
    atPersons = new Map();
    const t0 = Date.now();
    for (const p of fixtures.atPersons) atPersons.set(p.uuid, { ...p, createdAt: t0, lastOpAt: t0 });
  }
  reset();

  // ---- formats ----
  const wallFormat = new Intl.DateTimeFormat("en-US", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });
  /** The node's wall-clock time of an instant, as if it were UTC (ms). */
  const wallClock = (instant: number) => {
    const p = Object.fromEntries(wallFormat.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  };
  /** Gson's default date format on JDK 8: `MMM d, yyyy h:mm:ss a`, node-local time, no zone. */
  const vendorDate = (instant: number) => {
    const d = new Date(wallClock(instant));
    const h = d.getUTCHours();
    const mm = String(d.getUTCMinutes()).padStart(2, "0");
    const ss = String(d.getUTCSeconds()).padStart(2, "0");
    return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${mm}:${ss} ${h < 12 ? "AM" : "PM"}`;
  };
  /** `EEE, dd MMM yyyy HH:mm:ss z` → wall-clock ms (zone ignored), or undefined. */
  const parseDateHeader = (value: string) => {
    const m = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) \S+$/.exec(value.trim());
    const month = m ? MONTHS.indexOf(m[3]!) : -1;
    if (!m || month < 0) return undefined;
    return Date.UTC(Number(m[4]), month, Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7]));
  };

  // ---- answers in the vendor's shapes ----
  const text = (status: number, body: string): SimReply => ({ status, headers: { "content-type": "text/plain;charset=utf-8" }, body });
  const json = (status: number, body: unknown): SimReply => ({ status, headers: { "content-type": "application/json;charset=utf-8" }, body });
  const errorBody = (code: string, details: string) => ({ error: { code, description: DESCRIPTIONS[code] ?? code, details } });
  const fail = (code: string, details: string): SimReply => json(503, errorBody(code, details));

  const inventory = (p: AtPerson) => {
    const inv: Record<string, unknown> = {
      uuid: p.uuid, phoneNumber: p.phoneNumber, endpointUuid: p.endpointUuid, createDate: vendorDate(p.createdAt), lastOpDate: vendorDate(p.lastOpAt),
    };
    if (p.remark !== undefined) inv.remark = p.remark; // Gson omits nulls
    return inv;
  };

  // ---- HTTP layer: Authorization ----
  function authenticate(req: SimRequest): Principal | { session: string } {
    const header = req.headers["authorization"];
    if (header === undefined) return { error: text(400, "missing header 'Authorization'") };
    const [scheme, ...rest] = header.split(" ");
    const credential = rest.join(" ").trim();
    if (scheme === "OAuth") return { session: credential }; // checked later, in the API pipeline
    if (scheme !== "ZStack") return { error: text(400, "Authorization type must be 'OAuth'") };
    // AccessKey (inferred order of the checks)
    const m = /^([^:\s]+):(\S+)$/.exec(credential);
    if (!m) return { error: text(400, "Invalid header[Authorization], it must be 'ZStack AccessKeyId:Signature'") };
    const date = req.headers["date"];
    if (date === undefined) return { error: text(400, "'Date' must be incuded in request header") };
    const wall = parseDateHeader(date);
    if (wall === undefined) return { error: text(400, `Invalid header[Date], it must be in the format 'EEE, dd MMM yyyy HH:mm:ss z': ${date}`) };
    const key = accessKeys.get(m[1]!);
    if (!key) return { error: text(403, `access key id: ${m[1]} does not existed or disabled`) };
    if (Math.abs(wall - wallClock(req.now)) > maxSkewMs) return { error: text(403, "requestTimeTooSkewed") };
    let uri = req.path.split("?")[0]!;
    try {
      uri = decodeURIComponent(uri);
    } catch {
      // keep as sent
    }
    const expected = createHmac("sha1", key.secret).update(`${req.method}\n${date}\n${uri}`, "utf8").digest();
    const given = Buffer.from(m[2]!, "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { error: text(403, "wrong accessKey signature") };
    return { account: key.account };
  }

  /** The API pipeline's session check: ID.1001 for an unknown or expired session. */
  function principal(req: SimRequest, auth: { session: string } | { account: Account }): Principal {
    if ("account" in auth) return auth;
    const s = sessions.get(auth.session);
    if (!s || s.expiresAt <= req.now) return { error: fail("ID.1001", "Session expired") };
    return { account: accounts.find((a) => a.uuid === s.accountUuid)! };
  }

  // ---- body reading as the REST server does it (problems throw an Answer) ----
  function readBody(req: SimRequest, key: string, action: boolean): Record<string, unknown> {
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
    if (action && !(key in body)) throw new Answer(text(400, `the body doesn't contain action mapping to the URL[${req.path.split("?")[0]}]`));
    return body;
  }

  function object(v: unknown, field: string): Record<string, unknown> {
    if (v === undefined || v === null) return {};
    if (typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    throw new Answer(text(400, `field[${field}] must be an object`)); // inferred text
  }

  /** Gson binding of one string field: numbers and booleans are coerced, objects and arrays are a type mismatch. */
  function str(v: unknown, field: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    throw new Answer(text(400, `field[${field}] must be a string`)); // inferred text (TypeVerifier)
  }

  function strList(v: unknown, field: string): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return v.map(String);
    throw new Answer(text(400, `field[${field}] must be a list of strings`)); // inferred text
  }

  // ---- @APIParam checks (after trimming), answering SYS.1007 / SYS.1003 ----
  const mandatory = (field: string, msg: string) => fail("SYS.1007", `field[${field}] of message[${msg}] is mandatory, can not be null`);
  const tooLong = (field: string, msg: string, max: number, actual: number) =>
    fail("SYS.1007", `field[${field}] of message[${msg}] exceeds max length of string. expected was <= ${max}, actual was ${actual}`);
  const notFound = (field: string, uuid: string, type: string) => fail("SYS.1003", `invalid field[${field}], resource[uuid:${uuid}, type:${type}] not found`);
  const endpointExists = (uuid: string) => fixtures.dingTalkEndpoints.some((e) => e.uuid === uuid);
  const systemTagsRefused = (tags: string[] | undefined) =>
    tags?.length ? fail("SYS.1007", `no system tag matches the system tag[${tags[0]}] for resource type SNSDingTalkAtPersonVO`) : undefined; // inferred

  // ---- jobs ----
  function submitJob(req: SimRequest, operation: string, outcome: () => SimReply): SimReply {
    const jobUuid = req.headers["x-job-uuid"] ?? newUuid();
    const seconds = req.headers["x-api-timeout"];
    const apiTimeout = seconds !== undefined && /^\d+$/.test(seconds.trim()) ? Number(seconds.trim()) * 1000 : defaultApiTimeoutMs;
    const result = outcome();
    const doneAt = req.now + jobDurationMs;
    jobs.set(jobUuid, { uuid: jobUuid, operation, doneAt, expiresAt: doneAt + jobExpiryMs, status: result.status, body: result.body });
    return json(202, { location: `${locationOrigin}/zstack/v1/api-jobs/${jobUuid}`, apiTimeout });
  }

  function pollJob(req: SimRequest): SimReply {
    const job = jobs.get(req.pathParams.uuid ?? "");
    if (!job || job.expiresAt <= req.now) {
      if (job) jobs.delete(job.uuid);
      return text(404, "the job has been expired");
    }
    if (job.doneAt > req.now) return json(202, {});
    return json(job.status, job.body);
  }

  // ---- the APIs ----
  function login(req: SimRequest): SimReply {
    const f = object(readBody(req, "logInByAccount", true).logInByAccount, "logInByAccount");
    const name = str(f.accountName, "accountName");
    const pw = str(f.password, "password");
    if (name === undefined) return mandatory("accountName", MSG.LogInByAccount);
    if (pw === undefined) return mandatory("password", MSG.LogInByAccount);
    const account = accounts.find((a) => a.name === javaTrim(name));
    if (!account || account.passwordSha512 !== javaTrim(pw)) return fail("ID.1000", "wrong account name or password");
    const live = [...sessions.values()].filter((s) => s.accountUuid === account.uuid && s.expiresAt > req.now);
    if (live.length >= maxSessions) return fail("ID.1006", `the account[${account.name}] has reached the max concurrent session number ${maxSessions}`);
    const session: Session = { uuid: newUuid(), accountUuid: account.uuid, createdAt: req.now, expiresAt: req.now + sessionMs };
    sessions.set(session.uuid, session);
    return json(200, {
      inventory: {
        uuid: session.uuid, accountUuid: account.uuid, userUuid: account.uuid, userType: "AccountVO",
        createDate: vendorDate(session.createdAt), expiredDate: vendorDate(session.expiresAt),
      },
    });
  }

  /** The pipeline's first steps for a mutating call: session (ID.1001), then permission (ID.1002). */
  function allowed(who: Principal, msg: string): SimReply | undefined {
    if ("error" in who) return who.error;
    if (who.account.readOnly) return fail("ID.1002", `the account[${who.account.name}] has no permission to call ${msg}`);
    return undefined;
  }

  function add(req: SimRequest, who: Principal): SimReply {
    const body = readBody(req, "params", false);
    const p = object(body.params, "params");
    const phone = str(p.phoneNumber, "phoneNumber");
    const endpoint = str(p.endpointUuid, "endpointUuid");
    const remark = str(p.remark, "remark");
    const resourceUuid = str(p.resourceUuid, "resourceUuid");
    const tags = strList(p.tagUuids, "tagUuids");
    const systemTags = strList(body.systemTags, "systemTags");
    strList(body.userTags, "userTags");
    return submitJob(req, "AddSNSDingTalkAtPerson", () => {
      const msg = MSG.AddSNSDingTalkAtPerson;
      const denied = allowed(who, msg);
      if (denied) return denied;
      if (phone === undefined) return mandatory("phoneNumber", msg);
      const phoneNumber = javaTrim(phone);
      if (phoneNumber.length > rules.addPhoneMax) return tooLong("phoneNumber", msg, rules.addPhoneMax, phoneNumber.length);
      if (endpoint === undefined) return mandatory("endpointUuid", msg);
      const endpointUuid = javaTrim(endpoint);
      if (!endpointExists(endpointUuid)) return notFound("endpointUuid", endpointUuid, "SNSDingTalkEndpointVO");
      const note = remark === undefined ? undefined : javaTrim(remark);
      if (note !== undefined && note.length > rules.addRemarkMax) return tooLong("remark", msg, rules.addRemarkMax, note.length);
      for (const t of tags ?? []) if (!fixtures.tagUuids.includes(javaTrim(t))) return notFound("tagUuids", t, "TagPatternVO");
      if (resourceUuid !== undefined && !rules.zstackUuid.test(resourceUuid)) {
        return fail("SYS.1007", `resourceUuid[${resourceUuid}] is not a valid uuid. A valid uuid is a UUID(v4 recommended) with '-' stripped. see http://en.wikipedia.org/wiki/Universally_unique_identifier for format of UUID, the regular expression ZStack uses to validate a UUID is '[0-9a-f]{8}[0-9a-f]{4}[1-5][0-9a-f]{3}[89ab][0-9a-f]{3}[0-9a-f]{12}'`);
      }
      const refused = systemTagsRefused(systemTags);
      if (refused) return refused;
      // SNSApiInterceptor
      if (!rules.dingDingPhone.test(phoneNumber)) return fail("SYS.1007", `invalid phone number[${phoneNumber}], the DingDing phone number is like +86-12388889999`);
      if ([...atPersons.values()].some((x) => x.endpointUuid === endpointUuid && x.phoneNumber === phoneNumber)) {
        return fail("SYS.1007", `phone number[${phoneNumber}] already exists`);
      }
      const uuid = resourceUuid ?? newUuid();
      if (atPersons.has(uuid)) return fail("SYS.1000", `resource[uuid:${uuid}] already exists: duplicate entry for the primary key`); // inferred text
      const person: AtPerson = { uuid, phoneNumber, endpointUuid, remark: note, createdAt: req.now, lastOpAt: req.now };
      atPersons.set(uuid, person);
      created++;
      return json(200, { inventory: inventory(person) });
    });
  }

  function update(req: SimRequest, who: Principal): SimReply {
    const body = readBody(req, "updateAtPersonOfAtDingTalkEndpoint", true);
    const p = object(body.updateAtPersonOfAtDingTalkEndpoint, "updateAtPersonOfAtDingTalkEndpoint");
    const endpoint = str(p.endpointUuid, "endpointUuid");
    const phone = str(p.phoneNumber, "phoneNumber");
    const remark = str(p.remark, "remark");
    const systemTags = strList(body.systemTags, "systemTags");
    strList(body.userTags, "userTags");
    const uuid = req.pathParams.uuid ?? "";
    return submitJob(req, "UpdateAtPersonOfAtDingTalkEndpoint", () => {
      const msg = MSG.UpdateAtPersonOfAtDingTalkEndpoint;
      const denied = allowed(who, msg);
      if (denied) return denied;
      const person = atPersons.get(javaTrim(uuid));
      if (!person) return notFound("uuid", uuid, "SNSDingTalkAtPersonVO");
      if (endpoint === undefined) return mandatory("endpointUuid", msg);
      const endpointUuid = javaTrim(endpoint);
      if (!endpointExists(endpointUuid)) return notFound("endpointUuid", endpointUuid, "SNSDingTalkEndpointVO");
      const phoneNumber = phone === undefined ? undefined : javaTrim(phone);
      if (phoneNumber !== undefined && phoneNumber.length > rules.updatePhoneMax) return tooLong("phoneNumber", msg, rules.updatePhoneMax, phoneNumber.length);
      const note = remark === undefined ? undefined : javaTrim(remark);
      if (note !== undefined && note.length > rules.updateRemarkMax) return tooLong("remark", msg, rules.updateRemarkMax, note.length);
      const refused = systemTagsRefused(systemTags);
      if (refused) return refused;
      if (phoneNumber !== undefined && !isBlank(phoneNumber)) {
        if (!rules.dingDingPhone.test(phoneNumber)) return fail("SYS.1007", `invalid phone number[${phoneNumber}], the DingDing phone number is like +86-12388889999`);
        // the interceptor's check includes the at-person itself (setting its own number again fails)
        if ([...atPersons.values()].some((x) => x.endpointUuid === endpointUuid && x.phoneNumber === phoneNumber)) {
          return fail("SYS.1007", `phone number[${phoneNumber}] already exists`);
        }
        person.phoneNumber = phoneNumber;
      }
      if (note !== undefined) person.remark = note;
      person.lastOpAt = req.now;
      return json(200, { inventory: inventory(person) });
    });
  }

  function remove(req: SimRequest, who: Principal): SimReply {
    const endpointUuid = javaTrim(req.pathParams.endpointUuid ?? "");
    const phoneNumber = javaTrim(req.pathParams.phoneNumber ?? "");
    const deleteMode = req.query.get("deleteMode");
    const systemTags = req.query.getAll("systemTags");
    return submitJob(req, "RemoveSNSDingTalkAtPerson", () => {
      const denied = allowed(who, MSG.RemoveSNSDingTalkAtPerson);
      if (denied) return denied;
      if (deleteMode !== null && deleteMode !== "Permissive" && deleteMode !== "Enforcing") {
        return fail("SYS.1007", `valid value for field[deleteMode] of message[${MSG.RemoveSNSDingTalkAtPerson}] are [Enforcing, Permissive], but ${deleteMode} found`);
      }
      if (!endpointExists(endpointUuid)) {
        // successIfResourceNotExisting: a UUID-shaped id that does not exist succeeds at once
        if (UUID_SHAPED.test(endpointUuid)) return json(200, {});
        return notFound("endpointUuid", endpointUuid, "SNSDingTalkEndpointVO");
      }
      const refused = systemTagsRefused(systemTags);
      if (refused) return refused;
      for (const [uuid, p] of atPersons) if (p.endpointUuid === endpointUuid && p.phoneNumber === phoneNumber) atPersons.delete(uuid);
      return json(200, {});
    });
  }

  // ---- query ----
  type Condition = { field: string; op: string; value: string };
  const OPS = ["!?=", "!~=", "?=", "~=", "!=", ">=", "<=", "=", ">", "<"];

  function parseCondition(q: string): Condition | undefined {
    const nullOp = /^([^ ]+) (is null|not null)$/.exec(q);
    if (nullOp) return { field: nullOp[1]!, op: nullOp[2]!, value: "" };
    let best: { at: number; op: string } | undefined;
    for (const op of OPS) {
      const at = q.indexOf(op);
      if (at > 0 && (!best || at < best.at || (at === best.at && op.length > best.op.length))) best = { at, op };
    }
    if (!best) return undefined;
    return { field: q.slice(0, best.at), op: best.op, value: q.slice(best.at + best.op.length) };
  }

  const fieldValue = (p: AtPerson, field: string): string | number | undefined => {
    switch (field) {
      case "createDate":
        return p.createdAt;
      case "lastOpDate":
        return p.lastOpAt;
      default:
        return (p as unknown as Record<string, string | undefined>)[field];
    }
  };
  /** A date condition's value: the vendor format or epoch ms (inferred). */
  const dateValue = (v: string): number => {
    if (/^\d+$/.test(v)) return Number(v);
    const m = /^([A-Za-z]{3}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) ?([AP]M)$/i.exec(v.trim());
    if (!m) return Number.NaN;
    const hour = (Number(m[4]) % 12) + (m[7]!.toUpperCase() === "PM" ? 12 : 0);
    const wall = Date.UTC(Number(m[3]), MONTHS.indexOf(m[1]!), Number(m[2]), hour, Number(m[5]), Number(m[6]));
    return wall - (wallClock(wall) - wall);
  };
  const like = (pattern: string) =>
    new RegExp("^" + pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".") + "$", "s");

  function matches(p: AtPerson, c: Condition): boolean {
    const actual = fieldValue(p, c.field);
    if (c.op === "is null") return actual === undefined;
    if (c.op === "not null") return actual !== undefined;
    if (actual === undefined) return false;
    const isDate = typeof actual === "number";
    const cmp = (v: string) => (isDate ? (actual as number) - dateValue(v) : String(actual) < v ? -1 : String(actual) > v ? 1 : 0);
    switch (c.op) {
      case "=":
        return cmp(c.value) === 0;
      case "!=":
        return cmp(c.value) !== 0;
      case ">":
        return cmp(c.value) > 0;
      case "<":
        return cmp(c.value) < 0;
      case ">=":
        return cmp(c.value) >= 0;
      case "<=":
        return cmp(c.value) <= 0;
      case "?=":
        return c.value.split(",").some((v) => cmp(v) === 0);
      case "!?=":
        return !c.value.split(",").some((v) => cmp(v) === 0);
      case "~=":
        return like(c.value).test(String(isDate ? vendorDate(actual as number) : actual));
      case "!~=":
        return !like(c.value).test(String(isDate ? vendorDate(actual as number) : actual));
      default:
        return false;
    }
  }

  function query(req: SimRequest, byUuid: string | undefined): SimReply {
    const conditions: Condition[] = [];
    for (const q of req.query.getAll("q")) {
      const c = parseCondition(q);
      if (!c) return text(400, `Invalid query string[${q}], no operator found`); // inferred text
      conditions.push(c);
    }
    const int = (name: string): number | undefined | SimReply => {
      const v = req.query.get(name);
      if (v === null) return undefined;
      if (!/^-?\d+$/.test(v.trim()) || Math.abs(Number(v)) > 2_147_483_647) return text(400, `Invalid query parameter[${name}], ${v} is not an integer`); // inferred
      return Number(v);
    };
    const limit = int("limit");
    if (typeof limit === "object") return limit;
    const start = int("start");
    if (typeof start === "object") return start;
    if (byUuid !== undefined) conditions.push({ field: "uuid", op: "=", value: byUuid });
    for (const c of conditions) {
      if (!(QUERYABLE as readonly string[]).includes(c.field)) {
        return fail("SYS.1007", `condition name[${c.field}] is invalid, no such field on inventory class[${DINGTALK}.SNSDingTalkAtPersonInventory]`);
      }
    }
    const bool = (name: string) => (req.query.get(name) ?? "").trim().toLowerCase() === "true";
    let list = [...atPersons.values()].filter((p) => conditions.every((c) => matches(p, c)));
    const sort = req.query.get("sort");
    if (sort !== null && sort.trim() !== "") {
      const s = sort.trim(); // a "+" sent unencoded arrives as a space, which is trimmed away (inferred)
      const desc = s.startsWith("-");
      const field = s.replace(/^[+-]/, "");
      if (!(QUERYABLE as readonly string[]).includes(field)) return fail("SYS.1007", `sort field[${field}] is invalid, no such field on inventory class[${DINGTALK}.SNSDingTalkAtPersonInventory]`);
      list.sort((a, b) => {
        const x = fieldValue(a, field) ?? "";
        const y = fieldValue(b, field) ?? "";
        return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
      });
    }
    const total = list.length;
    if (bool("count")) return json(200, { total });
    list = list.slice(start ?? 0, (start ?? 0) + (limit ?? 1000));
    const fieldsParam = req.query.get("fields");
    const fields = fieldsParam ? fieldsParam.split(",").map((f) => f.trim()).filter(Boolean) : undefined;
    for (const f of fields ?? []) {
      if (!(QUERYABLE as readonly string[]).includes(f)) return fail("SYS.1007", `field[${f}] is not a field of inventory class[${DINGTALK}.SNSDingTalkAtPersonInventory]`);
    }
    const inventories = list.map((p) => {
      const inv = inventory(p);
      return fields ? Object.fromEntries(Object.entries(inv).filter(([k]) => fields.includes(k))) : inv;
    });
    const reply: Record<string, unknown> = { inventories };
    if (bool("replyWithCount")) reply.total = total;
    reply.schema = Object.fromEntries(inventories.map((_, i) => [`inventories[${i}]`, `${DINGTALK}.SNSDingTalkAtPersonInventory`]));
    return json(200, reply);
  }

  // ---- dispatch ----
  const simulator = {
    vendor: "zstack" as const,
    specFile: "zstack.yaml",
    spec,
    basePath: "/zstack",
    credentials: { auth: { accountName, password } },
    fixtures,

    handle(req: SimRequest): SimReply {
      const pathOnly = req.path.split("?")[0]!;
      if (!req.operationId) {
        if (req.wrongMethod) return text(405, `the method ${req.method} is not allowed on ${pathOnly}`); // inferred text
        return text(404, `no api mapping to ${pathOnly}`);
      }
      if (req.operationId === "getApiJobResult") return pollJob(req);
      if (req.operationId === "LogInByAccount") {
        try {
          return login(req);
        } catch (error) {
          if (error instanceof Answer) return error.reply;
          throw error;
        }
      }
      if (req.operationId === "LogOut") {
        sessions.delete(req.pathParams.sessionUuid ?? "");
        return json(200, {});
      }
      if (req.operationId === "ValidateSession") {
        const s = sessions.get(req.pathParams.sessionUuid ?? "");
        return json(200, { valid: Boolean(s && s.expiresAt > req.now) });
      }

      const auth = authenticate(req);
      if ("error" in auth) return auth.error;
      const jobUuid = req.headers["x-job-uuid"];
      if (jobUuid !== undefined) {
        if (jobUuid.length !== 32) return text(400, "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped");
        if (ASYNC.has(req.operationId) && jobs.has(jobUuid)) return text(400, `Duplicate job uuid[${jobUuid}]`);
      }
      const who = principal(req, auth);
      try {
        switch (req.operationId) {
          case "AddSNSDingTalkAtPerson":
            return add(req, who);
          case "UpdateAtPersonOfAtDingTalkEndpoint":
            return update(req, who);
          case "RemoveSNSDingTalkAtPerson":
            return remove(req, who);
        }
        if ("error" in who) return who.error;
        switch (req.operationId) {
          case "QuerySNSDingTalkAtPerson":
            return query(req, undefined);
          case "QuerySNSDingTalkAtPersonByUuid":
            return query(req, req.pathParams.uuid ?? "");
          default:
            return text(404, `no api mapping to ${pathOnly}`);
        }
      } catch (error) {
        if (error instanceof Answer) return error.reply;
        throw error;
      }
    },

    tooLarge(): SimReply {
      return text(413, "Request Entity Too Large"); // inferred (the servlet container's limit)
    },

    state() {
      return {
        endpoints: fixtures.dingTalkEndpoints,
        atPersons: [...atPersons.values()].map(inventory),
        sessions: [...sessions.values()].map((s) => ({
          uuid: `${s.uuid.slice(0, 6)}…`,
          account: accounts.find((a) => a.uuid === s.accountUuid)?.name,
          expiredDate: vendorDate(s.expiresAt),
          expired: s.expiresAt <= Date.now(),
        })),
        jobs: [...jobs.values()].map((j) => ({ uuid: j.uuid, operation: j.operation, status: j.doneAt > Date.now() ? 202 : j.status })),
        created,
      };
    },

    reset,

    expireTokens(): void {
      const past = Date.now() - 1;
      for (const s of sessions.values()) s.expiresAt = past;
    },

    listening(origin: string): void {
      if (options.locationOrigin === "self") locationOrigin = origin;
    },
  } satisfies VendorSimulator & Record<string, unknown>;
  return simulator;
}
