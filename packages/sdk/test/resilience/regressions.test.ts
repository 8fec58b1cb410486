/**
 * Bugs the resilience suite found, each kept as the test that failed before its fix. Each comment
 * says where the bug lived, why it happened, and how it was fixed.
 */
import { inspect } from "node:util";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "@signalbridge/sandbox";
import { recordingLogger } from "@signalbridge/testkit";
import { ValidationError, createEiamClient, createEnosClient, createZStackClient } from "../../src/index.js";
import { recordingFetch } from "./probe.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, zstack: { jobDurationMs: 5 } });
});
afterAll(async () => {
  await sandbox?.close();
});

const quiet = { logLevel: "off" as const, retry: { initialDelayMs: 5, maxDelayMs: 10 } };

describe("regressions found by the resilience suite", () => {
  /*
   * EnOS deleteMessageRules: a retried delete reports 31404 for the rules it deleted.
   * Where: packages/enos/src/client.ts, deleteMessageRules (the spec marks the operation
   * `x-signalbridge-idempotent: true`, so the transport re-sends it after a lost answer).
   * Why: the first attempt deletes the rules and its answer is lost (5xx, reset, timeout); the
   * re-send finds nothing and the App Portal answers in-band 31404 "Message rule … does not exist",
   * which the client throws. The effect is idempotent, the answer is not: the caller is told the
   * delete failed although the rules are gone. (Seen in faults.test.ts under "502 after processing",
   * "504 HTML page after processing" and "connection dropped after processing".)
   * Fix: when a delete that took more than one attempt (`exchange.attempts > 1`) is answered 31404,
   * check with searchMessageRules({ ruleIds }) and resolve true when none of them remains (throw the
   * 31404 otherwise). ZStack's Remove does not have the problem (a re-sent job uuid is answered
   * "Duplicate job uuid" and the first job is polled).
   */
  it("EnOS: a delete whose answer was lost and that was re-sent resolves true", async () => {
    const enos = createEnosClient({ ...sandbox.config.enos, ...quiet });
    const [ruleId] = await enos.createMessageRules({ rules: [{ ruleName: "to delete", messageRule: { mark1: ["a"] } }] });
    sandbox.enos.addFault({ operation: "deleteMessageRules", nth: 1, status: 502, after: true });
    await expect(enos.deleteMessageRules({ ruleIds: [ruleId!] })).resolves.toBe(true);
    const rules = (sandbox.enos.state() as { rules: Array<{ ruleId: string }> }).rules;
    expect(rules.some((r) => r.ruleId === ruleId)).toBe(false);
  });

  /*
   * A path parameter "", "." or ".." addresses another URL.
   * Where: packages/core/src/client.ts, `exchange` (nothing checks path parameter values beyond
   * the spec), and specs/zstack.yaml (its path parameters `uuid`, `endpointUuid`, `phoneNumber`,
   * `sessionUuid` have no `minLength: 1`; the EIAM spec has it for `notice_id`).
   * Why: openapi-fetch writes path parameters with encodeURIComponent, which leaves "." and ".."
   * as they are; the WHATWG URL parser (and every server) then resolves them as dot segments, and
   * an empty value collapses the segment. So `zs.getDingTalkAtPerson(".")` and
   * `zs.getDingTalkAtPerson("")` GET `/v1/sns/application-endpoints/ding-talk/at-persons/` — the
   * unfiltered query — and return the first at-person of the node: someone else's record instead
   * of undefined. `updateDingTalkAtPerson("..", …)` sends PUT `…/ding-talk/actions`,
   * `removeDingTalkAtPerson({ endpointUuid, phoneNumber: ".." })` DELETE `…/ding-talk/<endpoint>/`,
   * `eiam.getInSiteNoticeSendResult("..")` GET `/api/v2/tenant/notice/getSendResult`.
   * Fix: in core `exchange`, after the spec check, refuse any `input.path` value that is "", "."
   * or ".." with a ValidationError (path `path.<name>`, rule "pathSegment": "must not be empty,
   * '.' or '..': it would address another URL") — no vendor can answer such a request for the
   * resource meant, so this is never stricter than the vendor; and add `minLength: 1` to the
   * ZStack path parameters.
   */
  it("a path parameter that is empty or a dot segment is refused before sending", async () => {
    const zs = createZStackClient({ ...sandbox.config.zstack, ...quiet });
    const eiam = createEiamClient({ ...sandbox.config.eiam, ...quiet });
    const endpointUuid = sandbox.fixtures.zstack.dingTalkEndpoints[0]!.uuid;
    await zs.queryDingTalkAtPersons({ limit: 1 }); // log in first: only the calls below count
    await eiam.accessToken();
    const before = sandbox.zstack.requests.length + sandbox.eiam.requests.length;
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => "sent",
        (e: unknown) => (e instanceof ValidationError ? "refused" : `sent (${String(e)})`),
      );
    expect(await refused(zs.getDingTalkAtPerson("."))).toBe("refused");
    expect(await refused(zs.getDingTalkAtPerson(""))).toBe("refused");
    expect(await refused(zs.updateDingTalkAtPerson("..", { endpointUuid }))).toBe("refused");
    expect(await refused(zs.removeDingTalkAtPerson({ endpointUuid, phoneNumber: ".." }))).toBe("refused");
    expect(await refused(eiam.getInSiteNoticeSendResult(".."))).toBe("refused");
    expect(sandbox.zstack.requests.length + sandbox.eiam.requests.length).toBe(before);
  });

  /*
   * ZStack validateSession(uuid) / logOut(uuid) write the session uuid into debug log lines.
   * Where: packages/zstack/src/client.ts, validateSession and logOut: the `sessionUuid` argument
   * goes into the URL path (`/v1/accounts/sessions/{sessionUuid}…`) without being registered as a
   * secret; core's transport (packages/core/src/transport.ts, the "→ METHOD url" debug line)
   * scrubs only registered values. A session uuid the process already handled is scrubbed; one
   * received from elsewhere (the reason to validate or log it out) is printed in full.
   * Fix: `registerSecret(uuid)` at the start of both methods (from @signalbridge/core).
   */
  it("ZStack: a session uuid passed to validateSession / logOut never reaches a log line", async () => {
    const { auth, baseUrl } = sandbox.config.zstack;
    const login = await fetch(`${baseUrl}/v1/accounts/login`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        logInByAccount: { accountName: auth.accountName, password: createHash("sha512").update(auth.password).digest("hex") },
      }),
    });
    const foreign = ((await login.json()) as { inventory: { uuid: string } }).inventory.uuid;
    const { lines, logger } = recordingLogger();
    const zs = createZStackClient({ ...sandbox.config.zstack, logger, logLevel: "debug" });
    expect(await zs.validateSession(foreign)).toBe(true);
    await zs.logOut(foreign);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes(foreign))).toEqual([]);
  });

  /*
   * An EnOS (or ZStack) ApiError keeps the vendor's answer unredacted in `body`, so
   * `console.log(error)` / util.inspect prints secrets from it: here the gateway's
   * `apim_refreshtoken` of a 401 that reached the caller (token expired again after the renewal).
   * `JSON.stringify(error)` is clean (toJSON redacts); EIAM errors are clean (their errors.ts
   * stores `redactValue(...)` of the body).
   * Where: packages/core/src/errors.ts, ApiError's constructor (`this.body = init.body`), fed raw by
   * packages/enos/src/errors.ts (fromResponse / fromSuccessBody: `body: exchange.body`) and
   * packages/zstack/src/errors.ts (zstackErrorFromResponse: `body: exchange.body`).
   * Fix: store `redactValue(init.body)` in the ApiError (and ResponseShapeError) constructor, once
   * for every vendor, as EIAM already does by hand.
   */
  it("EnOS: an error shown with console.log / util.inspect carries no secret from the vendor's answer", async () => {
    const wire = recordingFetch();
    const enos = createEnosClient({ ...sandbox.config.enos, ...quiet, fetch: wire.fetch });
    await enos.searchMessageRules({ ruleIds: [] });
    sandbox.enos.addFault({ operation: "createMessageRules", nth: 1, times: 2, expireTokens: true });
    const error = await enos.createMessageRules({ rules: [{ ruleName: "r", messageRule: { mark1: null } }] }).catch((e: unknown) => e);
    const refreshTokens = wire.exchanges
      .map((x) => /"apim_refreshtoken":"([^"]+)"/.exec(x.responseText ?? "")?.[1])
      .filter((t): t is string => t !== undefined);
    expect(refreshTokens.length).toBeGreaterThan(0);
    const shown = inspect(error, { depth: 10 });
    for (const token of refreshTokens) expect(shown).not.toContain(token);
  });

  /*
   * A null or undefined argument throws a TypeError instead of a ValidationError (and one method
   * throws synchronously instead of rejecting). TypeScript refuses these calls, so this only bites
   * JavaScript callers and data typed `any` (a parsed request body, say).
   * Where: packages/zstack/src/client.ts — splitTags destructures `input` (addDingTalkAtPerson,
   * updateDingTalkAtPerson), removeDingTalkAtPerson destructures `input`, and
   * queryDingTalkAtPersons(null) reaches `definedOnly(null)` → Object.entries(null) synchronously
   * (the method is not async); packages/enos/src/client.ts — createMessageRules reads
   * `input.appId`.
   * Fix: read a missing argument as "no fields" (`input ?? {}`) for the ZStack methods and pass an
   * EnOS body through as given, so that the generated validator answers ("body.params.phoneNumber:
   * is required", "body: must be object (got null)"); make queryDingTalkAtPersons async.
   */
  it("a null or missing argument is refused with a ValidationError, asynchronously", async () => {
    const zs = createZStackClient({ ...sandbox.config.zstack, ...quiet });
    const enos = createEnosClient({ ...sandbox.config.enos, ...quiet });
    expect(() => void zs.queryDingTalkAtPersons(null as never).catch(() => undefined)).not.toThrow();
    const calls: Array<() => Promise<unknown>> = [
      () => zs.addDingTalkAtPerson(null as never),
      () => zs.updateDingTalkAtPerson("9f8e7d6c5b4a4c3d8e2f1a0b9c8d7e6f", undefined as never),
      () => zs.removeDingTalkAtPerson(null as never),
      () => enos.createMessageRules(null as never),
      () => enos.createMessageRules(undefined as never),
    ];
    for (const call of calls) {
      await expect(Promise.resolve().then(call)).rejects.toBeInstanceOf(ValidationError);
    }
    // The query's argument is optional: null means the same as none (everything), not an error.
    expect(await zs.queryDingTalkAtPersons(null as never)).toEqual(await zs.queryDingTalkAtPersons());
  });
});
