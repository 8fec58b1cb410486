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
 *
 * One module per concern: context.ts (options, fixtures, state), replies.ts (the vendor's answer
 * shapes and body binding), sessions.ts (Authorization, login, sessions), jobs.ts (async jobs),
 * at-persons.ts (Add/Update/Remove), query.ts (Query), dates.ts (the node's date formats).
 * This file routes a request through the REST layer and the API pipeline to them.
 */
import type { SimReply, SimRequest, VendorSimulator } from "../kit/types.js";
import { add, inventory, remove, seedAtPersons, update } from "./at-persons.js";
import { createContext, type ZStackSimulatorOptions } from "./context.js";
import { jobHeaderRefused, jobsState, pollJob } from "./jobs.js";
import { query } from "./query.js";
import { Answer, text } from "./replies.js";
import { authenticate, expireSessions, login, logOut, principal, sessionsState, validateSession } from "./sessions.js";

export type { ZStackSimulatorOptions } from "./context.js";

/** A REST-layer answer thrown while reading the body becomes the reply. */
function answering(run: () => SimReply): SimReply {
  try {
    return run();
  } catch (error) {
    if (error instanceof Answer) return error.reply;
    throw error;
  }
}

export function createZStackSimulator(options: ZStackSimulatorOptions = {}) {
  const ctx = createContext(options);
  const { fixtures } = ctx;

  function reset(): void {
    ctx.store = { sessions: new Map(), jobs: new Map(), atPersons: seedAtPersons(ctx, ctx.clock.now()), created: ctx.store.created };
  }
  reset();

  const simulator = {
    vendor: "zstack" as const,
    specFile: "zstack.yaml",
    spec: ctx.spec,
    clock: ctx.clock,
    basePath: "/zstack",
    credentials: { auth: { accountName: ctx.accountName, password: ctx.password } },
    fixtures,

    handle(req: SimRequest): SimReply {
      const pathOnly = req.path.split("?")[0]!;
      if (req.outsideBasePath) {
        // Not the vendor's answer (a real node's servlet container gives its own 404 page): a hint for
        // the most common misconfiguration, a base URL without the context path.
        const example = req.headers.host ? `http://${req.headers.host}/zstack` : "http://10.0.0.5:8080/zstack";
        return text(404, `the base URL must include the /zstack context path (e.g. ${example}): ${pathOnly} is not under it`);
      }
      if (!req.operationId) {
        if (req.wrongMethod) return text(405, `the method ${req.method} is not allowed on ${pathOnly}`); // inferred text
        return text(404, `no api mapping to ${pathOnly}`);
      }
      // Calls that need no Authorization.
      switch (req.operationId) {
        case "getApiJobResult":
          return pollJob(ctx, req);
        case "LogInByAccount":
          return answering(() => login(ctx, req));
        case "LogOut":
          return logOut(ctx, req);
        case "ValidateSession":
          return validateSession(ctx, req);
      }

      const auth = authenticate(ctx, req);
      if ("error" in auth) return auth.error;
      const badJobHeader = jobHeaderRefused(ctx, req);
      if (badJobHeader) return badJobHeader;
      const who = principal(ctx, req, auth);
      return answering(() => {
        // Async calls are always accepted as a job; a bad session surfaces when it is polled.
        switch (req.operationId) {
          case "AddSNSDingTalkAtPerson":
            return add(ctx, req, who);
          case "UpdateAtPersonOfAtDingTalkEndpoint":
            return update(ctx, req, who);
          case "RemoveSNSDingTalkAtPerson":
            return remove(ctx, req, who);
        }
        if ("error" in who) return who.error;
        switch (req.operationId) {
          case "QuerySNSDingTalkAtPerson":
            return query(ctx, req, undefined);
          case "QuerySNSDingTalkAtPersonByUuid":
            return query(ctx, req, req.pathParams.uuid ?? "");
          default:
            return text(404, `no api mapping to ${pathOnly}`);
        }
      });
    },

    tooLarge(): SimReply {
      return text(413, "Request Entity Too Large"); // inferred (the servlet container's limit)
    },

    state() {
      const now = ctx.clock.now();
      return {
        endpoints: fixtures.dingTalkEndpoints,
        atPersons: [...ctx.store.atPersons.values()].map((p) => inventory(ctx, p)),
        sessions: sessionsState(ctx, now),
        jobs: jobsState(ctx, now),
        created: ctx.store.created,
      };
    },

    reset,

    expireTokens(): void {
      expireSessions(ctx, ctx.clock.now());
    },

    listening(origin: string): void {
      if (options.locationOrigin === "self") ctx.locationOrigin = origin;
    },
  } satisfies VendorSimulator & Record<string, unknown>;
  return simulator;
}
