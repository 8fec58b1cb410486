/**
 * EnOS simulator: the APIM token service, the API gateway's signature check and the Application
 * Portal message-rule APIs, with state in memory.
 *
 * What it follows (specs/enos.yaml and ../shared/vendor-notes/enos.md):
 * - Token get/refresh: `encryption` = sha256hex(appKey + timestamp + appSecret); one token per
 *   AK (get returns the same token while valid, with the remaining `expire`); results in-band in
 *   `status` with HTTP 200: 1001 replayed encryption, 1002 unknown appKey, 1003 bad encryption,
 *   1004 invalid parameter, 1202 empty parameter, 1203 token expired (refresh), 1204 refresh failed.
 * - Gateway: `apim-accesstoken` + `apim-timestamp` + `apim-signature` (sha256hex of token +
 *   sorted query k1v1… + raw body + timestamp + appSecret) on every business call; refusals are
 *   HTTP 401 `{message}` with `apim_status` 4011 (expired: refresh, with `apim_refreshtoken`) or
 *   4012 (unknown token: re-issue); bodies over 1 MiB 413; unknown routes 404.
 * - App Portal: business errors in-band, HTTP 200 `{code, message, data: null}`: 31400, 31404,
 *   31600, 31601 (a user or group would be linked to more than 6 rules, counted across calls),
 *   31602, 31604, 31607. Unknown body fields are ignored (like Jackson), which is why the spec
 *   closes the request bodies on the client side.
 *
 * Inferred where the sources are silent (marked "inferred" below): HTTP statuses of in-band
 * codes (200), the gateway's texts for 404/signature failures, the user-token errors, the
 * timestamp skew, `createdAt` as epoch ms, relations on update replacing the old ones, and a
 * multi-rule create being all-or-nothing.
 */
import { createHash, randomBytes } from "node:crypto";
import { systemClock, type SandboxClock } from "../kit/clock.js";
import type { SimReply, SimRequest, SpecViolation, VendorSimulator } from "../kit/types.js";

export interface EnosSimulatorOptions {
  /** The application's Access Key. Default "sandbox-app-key-0001". */
  appKey?: string;
  /** The application's Secret Key. Default "sandbox-app-secret-0001". */
  appSecret?: string;
  /** The OU that has acquired the app. Default "o-sandbox-ou-1". */
  orgId?: string;
  /** Gateway token lifetime in seconds. Default 7200 (the documented default). */
  tokenLifetimeSeconds?: number;
  /** Accepted distance of `apim-timestamp` from the server clock. Default 15 min (not documented; inferred). */
  maxClockSkewMs?: number;
  /** Message rules per user or user group. Default 6 (documented). */
  maxRulesPerIdentifier?: number;
  /** The gateway's clock: tokens and the timestamp check follow it. Default real time; tests pass a `ManualClock`. */
  clock?: SandboxClock;
}

interface Token {
  value: string;
  appKey: string;
  expiresAt: number;
  refreshToken: string;
}

interface Relation {
  type: 0 | 1;
  identifiers: string[];
}

interface Rule {
  orgId: string;
  appId: string;
  ruleId: string;
  ruleName: string;
  messageRule: Record<string, string[] | null>;
  isEnable: 0 | 1;
  relations: Relation[];
  createdBy: string;
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
}

interface Org {
  /** Whether the OU has acquired the application. */
  hasApp: boolean;
  users: Set<string>;
  groups: Set<string>;
}

const TOKEN_SERVICE = "apim-token-service";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The gateway's signature base: query names sorted (first value each), k1v1k2v2…, raw body. */
export function gatewayParamsData(query: URLSearchParams, rawBody: string): string {
  const names = [...new Set(query.keys())].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((n) => n + (query.get(n) ?? "")).join("") + rawBody;
}

export function createEnosSimulator(options: EnosSimulatorOptions = {}) {
  const clock = options.clock ?? systemClock;
  const appKey = options.appKey ?? "sandbox-app-key-0001";
  const appSecret = options.appSecret ?? "sandbox-app-secret-0001";
  const orgId = options.orgId ?? "o-sandbox-ou-1";
  const otherOrgId = "o-sandbox-ou-2"; // exists, has not acquired the app
  const lifetimeMs = (options.tokenLifetimeSeconds ?? 7200) * 1000;
  const maxSkewMs = options.maxClockSkewMs ?? 15 * 60_000;
  const maxRules = options.maxRulesPerIdentifier ?? 6;

  const fixtures = {
    orgId,
    /** The app's Access Key is its appId in the App Portal. */
    appId: appKey,
    /** An OU that exists but has not acquired the app (31404). */
    otherOrgId,
    users: ["u-alice", "u-bob", "u-carol"],
    groups: ["g-ops", "g-field"],
    /** App Portal user tokens (Authorization: Bearer), by user, issued for `orgId`. */
    userTokens: { "u-alice": "APP_PORTAL_S_sandbox-alice", "u-bob": "APP_PORTAL_S_sandbox-bob" } as Record<string, string>,
    /** A user token issued for `otherOrgId` (its OU does not equal orgId). */
    otherOrgUserToken: "APP_PORTAL_S_sandbox-dave-ou2",
  };

  let tokens = new Map<string, Token>();
  let currentByAppKey = new Map<string, string>();
  let seenEncryptions = new Set<string>();
  let rules = new Map<string, Rule>();
  let orgs = new Map<string, Org>();
  let ruleSeq = 0;

  function reset(): void {
    tokens = new Map();
    currentByAppKey = new Map();
    seenEncryptions = new Set();
    rules = new Map();
    ruleSeq = 0;
    orgs = new Map([
      [orgId, { hasApp: true, users: new Set(fixtures.users), groups: new Set(fixtures.groups) }],
      [otherOrgId, { hasApp: false, users: new Set(["u-dave"]), groups: new Set() }],
    ]);
  }
  reset();

  const userTokens = () =>
    new Map<string, { userId: string; orgId: string }>([
      ...Object.entries(fixtures.userTokens).map(([userId, t]) => [t, { userId, orgId }] as const),
      [fixtures.otherOrgUserToken, { userId: "u-dave", orgId: otherOrgId }],
    ]);

  // ---- answers in the vendor's shapes ----
  const json = (body: unknown, status = 200): SimReply => ({ status, headers: { "content-type": "application/json;charset=UTF-8" }, body });
  const tokenAnswer = (status: number, msg: string, data?: unknown): SimReply =>
    json(data === undefined ? { status, msg, business: TOKEN_SERVICE } : { status, msg, business: TOKEN_SERVICE, data });
  const portal = (code: number, message: string, data: unknown = null): SimReply => json({ code, message, data });
  const ok = (data: unknown) => portal(0, "OK", data);
  const gateway = (status: number, message: string, extra: Record<string, unknown> = {}): SimReply => json({ message, ...extra }, status);

  // ---- token service ----
  function issue(key: string, now: number): Token {
    const value = `apim-${randomBytes(16).toString("hex")}`;
    const token = { value, appKey: key, expiresAt: now + lifetimeMs, refreshToken: `rt-${randomBytes(12).toString("hex")}` };
    tokens.set(value, token);
    currentByAppKey.set(key, value);
    return token;
  }

  const tokenData = (t: Token, now: number) => ({ accessToken: t.value, expire: Math.max(0, Math.floor((t.expiresAt - now) / 1000)) });

  function tokenService(req: SimRequest, refresh: boolean): SimReply {
    if (req.bodyError) return tokenAnswer(1004, "Invalid parameter: the body is not JSON");
    const v = req.violations.filter((x) => x.keyword !== "additionalProperties");
    if (v.some((x) => x.keyword === "required")) return tokenAnswer(1202, "Parameter is empty");
    if (v.some((x) => x.keyword === "type")) return tokenAnswer(1004, "Invalid parameter");
    const body = req.body as { appKey: string; encryption: string; timestamp: number; accessToken?: string };
    if (body.appKey === "" || body.encryption === "" || (refresh && body.accessToken === ""))
      return tokenAnswer(1202, "Parameter is empty");
    if (body.appKey !== appKey) return tokenAnswer(1002, "appKey does not exist");
    if (body.encryption !== sha256(body.appKey + String(body.timestamp) + appSecret)) return tokenAnswer(1003, "encryption is not valid");
    if (seenEncryptions.has(body.encryption)) return tokenAnswer(1001, "Repeated request: duplicated encryption");
    seenEncryptions.add(body.encryption);

    if (!refresh) {
      const current = tokens.get(currentByAppKey.get(appKey) ?? "");
      const token = current && current.expiresAt > req.now ? current : issue(appKey, req.now);
      return tokenAnswer(0, "SUCCESS", tokenData(token, req.now));
    }
    const old = tokens.get(body.accessToken!);
    if (!old || old.appKey !== body.appKey) return tokenAnswer(1204, "Failed to refresh access token");
    if (old.expiresAt <= req.now) return tokenAnswer(1203, "Access token has expired");
    tokens.delete(old.value);
    return tokenAnswer(0, "SUCCESS", tokenData(issue(appKey, req.now), req.now));
  }

  // ---- gateway ----
  function gatewayCheck(req: SimRequest): SimReply | undefined {
    const token = req.headers["apim-accesstoken"];
    const signature = req.headers["apim-signature"];
    const timestamp = req.headers["apim-timestamp"];
    if (!token || !signature || !timestamp) return gateway(401, "Invalid authentication credentials");
    const known = tokens.get(token);
    if (!known) return gateway(401, "Invalid authentication credentials", { apim_status: 4012 });
    if (known.expiresAt <= req.now) {
      return gateway(401, "Invalid authentication credentials", { apim_status: 4011, apim_refreshtoken: known.refreshToken });
    }
    // inferred: the skew the gateway tolerates is not documented
    if (!/^\d+$/.test(timestamp) || Math.abs(Number(timestamp) - req.now) > maxSkewMs) {
      return gateway(401, "Invalid authentication credentials");
    }
    const expected = sha256(token + gatewayParamsData(req.query, req.rawBody) + timestamp + appSecret);
    if (signature !== expected) return gateway(401, "Invalid authentication credentials");
    return undefined;
  }

  // ---- App Portal ----
  /** The first spec violation, as the App Portal's in-band code. Unknown fields are ignored. */
  function portalViolation(req: SimRequest): SimReply | undefined {
    const relevant = req.violations.filter(
      (v) => v.keyword !== "additionalProperties" && v.keyword !== "if" && !(v.keyword === "maxItems" && v.pointer === "/rules"),
    );
    if (!relevant.length) return undefined;
    const at = (v: SpecViolation) => (v.keyword === "required" ? `${v.pointer}/${String(v.params.missingProperty)}` : v.pointer);
    const q = relevant.find((v) => v.in === "query");
    if (q) return portal(31400, "OU ID is required");
    const marks = (v: SpecViolation) => /^\/rules\/\d+\/messageRule(\/|$)|^\/messageRule(\/|$)/.test(at(v));
    const tooMany = relevant.find((v) => marks(v) && v.keyword === "maxProperties");
    if (tooMany) return portal(31602, "The number of marks in the message rule exceeds the limit");
    const none = relevant.find(
      (v) => marks(v) && (v.keyword === "minProperties" || (v.keyword === "required" && /messageRule$/.test(at(v)))),
    );
    if (none) return portal(31604, "Message rule marks are required");
    const content = relevant.find((v) => marks(v));
    if (content) return portal(31600, "The content of the message rule is invalid");
    const first = relevant[0]!;
    return portal(31400, `Parameter is invalid: ${at(first).replace(/^\//, "").replace(/\//g, ".") || "body"}`);
  }

  /** Who the call is recorded as: the Bearer token's user, else the app. */
  function actor(req: SimRequest, ou: string, appId: string): { id: string } | SimReply {
    const auth = req.headers.authorization;
    if (!auth) return { id: appId };
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const user = m ? userTokens().get(m[1]!) : undefined;
    if (!user) return portal(31401, "Please login first"); // inferred: the App Portal's "not logged in" code
    if (user.orgId !== ou) return portal(31607, "Organization structure error"); // inferred: token OU ≠ orgId
    return { id: user.userId };
  }

  function org(req: SimRequest): { ou: string; org: Org } | SimReply {
    const ou = req.query.get("orgId") ?? "";
    if (ou.trim() === "") return portal(31400, "OU ID is required");
    const found = orgs.get(ou);
    if (!found) return portal(31404, "OU does not exist");
    if (!found.hasApp) return portal(31404, "The OU has not acquired the application");
    return { ou, org: found };
  }

  const isReply = (x: unknown): x is SimReply =>
    typeof x === "object" && x !== null && "status" in x && typeof (x as SimReply).status === "number";

  function checkRelations(o: Org, relations: Relation[]): SimReply | undefined {
    for (const r of relations) {
      for (const id of r.identifiers) {
        const exists = r.type === 0 ? o.users.has(id) : o.groups.has(id);
        if (!exists) return portal(31404, `${r.type === 0 ? "User" : "User group"} ${id} does not exist`);
      }
    }
    return undefined;
  }

  /** 31601 when linking `adding` more rules (besides `except`) would take someone over the limit. */
  function checkLimit(ou: string, relations: Relation[], adding: number, except?: string): SimReply | undefined {
    for (const r of relations) {
      for (const id of new Set(r.identifiers)) {
        let count = 0;
        for (const rule of rules.values()) {
          if (rule.orgId !== ou || rule.ruleId === except) continue;
          if (rule.relations.some((x) => x.type === r.type && x.identifiers.includes(id))) count++;
        }
        if (count + adding > maxRules) {
          return portal(
            31601,
            `The number of message rules exceeds the limit: ${id} would be linked to ${count + adding} rules (at most ${maxRules})`,
          );
        }
      }
    }
    return undefined;
  }

  const toInt = (v: unknown, fallback: 0 | 1): 0 | 1 => (v === undefined || v === null ? fallback : Number(v) === 0 ? 0 : 1);
  const normRelations = (rs: unknown): Relation[] =>
    ((rs as Relation[] | undefined) ?? []).map((r) => ({ type: Number(r.type) === 1 ? 1 : 0, identifiers: [...r.identifiers] }));

  function create(req: SimRequest): SimReply {
    const o = org(req);
    if (isReply(o)) return o;
    const bad = portalViolation(req);
    if (bad) return bad;
    const body = req.body as {
      appId: string;
      rules: Array<{ ruleName: string; messageRule: Rule["messageRule"]; isEnable?: unknown }>;
      relations?: unknown;
    };
    if (body.appId !== appKey) return portal(31404, "Application does not exist");
    const who = actor(req, o.ou, body.appId);
    if (isReply(who)) return who;
    const relations = normRelations(body.relations);
    const missing = checkRelations(o.org, relations);
    if (missing) return missing;
    const over = checkLimit(o.ou, relations, body.rules.length);
    if (over) return over;
    // inferred: all-or-nothing (nothing is stored unless every check passed)
    const ids: string[] = [];
    for (const r of body.rules) {
      const ruleId = `mr${String(++ruleSeq).padStart(4, "0")}${randomBytes(4).toString("hex")}`;
      rules.set(ruleId, {
        orgId: o.ou,
        appId: body.appId,
        ruleId,
        ruleName: r.ruleName,
        messageRule: r.messageRule,
        isEnable: toInt(r.isEnable, 1),
        relations,
        createdBy: who.id,
        createdAt: req.now,
        updatedBy: who.id,
        updatedAt: req.now,
      });
      ids.push(ruleId);
    }
    return ok(ids);
  }

  const view = (r: Rule) => ({
    appId: r.appId,
    ruleId: r.ruleId,
    ruleName: r.ruleName,
    relations: r.relations,
    messageRule: r.messageRule,
    isEnable: r.isEnable,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedBy: r.updatedBy,
    updatedAt: r.updatedAt,
  });

  function search(req: SimRequest): SimReply {
    const o = org(req);
    if (isReply(o)) return o;
    const bad = portalViolation(req);
    if (bad) return bad;
    const body = req.body as { appId?: string; identifier?: string; identifierType?: number; ruleIds: string[]; createdBy?: string };
    if (body.appId !== undefined && body.appId !== appKey) return portal(31404, "Application does not exist");
    const who = actor(req, o.ou, appKey);
    if (isReply(who)) return who;
    const list = [...rules.values()].filter(
      (r) =>
        r.orgId === o.ou &&
        (body.appId === undefined || r.appId === body.appId) &&
        (body.ruleIds.length === 0 || body.ruleIds.includes(r.ruleId)) && // inferred: an empty list lists all
        (body.createdBy === undefined || r.createdBy === body.createdBy) &&
        (body.identifier === undefined ||
          r.relations.some(
            (x) => (body.identifierType === undefined || x.type === body.identifierType) && x.identifiers.includes(body.identifier!),
          )),
    );
    return ok({ messageRuleList: list.map(view) });
  }

  function update(req: SimRequest): SimReply {
    const o = org(req);
    if (isReply(o)) return o;
    const bad = portalViolation(req);
    if (bad) return bad;
    const body = req.body as {
      ruleId: string;
      ruleName?: string;
      isEnable?: unknown;
      messageRule: Rule["messageRule"];
      relations?: unknown;
    };
    const rule = rules.get(body.ruleId);
    if (!rule || rule.orgId !== o.ou) return portal(31404, "Message rule does not exist");
    const who = actor(req, o.ou, rule.appId);
    if (isReply(who)) return who;
    let relations = rule.relations;
    if (body.relations !== undefined) {
      relations = normRelations(body.relations); // inferred: replaces the old links
      const missing = checkRelations(o.org, relations);
      if (missing) return missing;
      const over = checkLimit(o.ou, relations, 1, rule.ruleId);
      if (over) return over;
    }
    rules.set(rule.ruleId, {
      ...rule,
      ruleName: body.ruleName ?? rule.ruleName,
      isEnable: body.isEnable === undefined ? rule.isEnable : toInt(body.isEnable, rule.isEnable),
      messageRule: body.messageRule,
      relations,
      updatedBy: who.id,
      updatedAt: req.now,
    });
    return ok(true);
  }

  function remove(req: SimRequest): SimReply {
    const o = org(req);
    if (isReply(o)) return o;
    const body = req.body as { ruleIds?: unknown };
    const broken = req.violations.some((v) => v.in === "body" && v.keyword !== "additionalProperties");
    if (broken || !Array.isArray(body?.ruleIds) || body.ruleIds.length === 0) {
      return portal(31400, "Rule ID is required");
    }
    const ids = body.ruleIds as string[];
    const who = actor(req, o.ou, appKey);
    if (isReply(who)) return who;
    const missing = ids.find((id) => rules.get(id)?.orgId !== o.ou);
    if (missing) return portal(31404, `Message rule ${missing} does not exist`);
    for (const id of ids) rules.delete(id);
    return ok(true);
  }

  const simulator = {
    vendor: "enos" as const,
    clock,
    specFile: "enos.yaml",
    basePath: "",
    credentials: { appKey, appSecret, orgId, appId: appKey },
    fixtures,

    handle(req: SimRequest): SimReply {
      if (!req.operationId) return gateway(404, "no Route matched with those values"); // inferred (gateway text)
      if (req.operationId === "getAccessToken") return tokenService(req, false);
      if (req.operationId === "refreshAccessToken") return tokenService(req, true);
      if (req.bodyError) return gateway(400, "Cannot process request body");
      const refused = gatewayCheck(req);
      if (refused) return refused;
      const ct = (req.headers["content-type"] ?? "").toLowerCase();
      if (req.rawBody !== "" && !ct.includes("json")) {
        // inferred: the App Portal is a Spring service; its default error page for a non-JSON body
        return json(
          { timestamp: new Date(req.now).toISOString(), status: 415, error: "Unsupported Media Type", path: req.path.split("?")[0] },
          415,
        );
      }
      if (req.rawBody === "") return portal(31400, "Request body is required");
      switch (req.operationId) {
        case "createMessageRules":
          return create(req);
        case "searchMessageRules":
          return search(req);
        case "updateMessageRules":
          return update(req);
        case "deleteMessageRules":
          return remove(req);
        default:
          return gateway(404, "no Route matched with those values");
      }
    },

    tooLarge(): SimReply {
      return gateway(413, "Request size limit exceeded");
    },

    state() {
      return {
        tokens: [...tokens.values()].map((t) => ({
          appKey: t.appKey,
          expiresAt: new Date(t.expiresAt).toISOString(),
          expired: t.expiresAt <= clock.now(),
        })),
        rules: [...rules.values()],
      };
    },

    reset,

    expireTokens(): void {
      const past = clock.now() - 1;
      for (const t of tokens.values()) t.expiresAt = past;
    },
  } satisfies VendorSimulator & Record<string, unknown>;
  return simulator;
}
