import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createEnosClient, EnosApiError, EnosAuthenticationError, type EnosClientOptions } from "@signalbridge/enos";
import { ValidationError } from "@signalbridge/core";
import { startVendorServer, type VendorServer } from "../src/kit/server.js";
import { createEnosSimulator } from "../src/enos/simulator.js";

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const silent = { debug() {}, info() {}, warn() {}, error() {} };

let server: VendorServer;
let sim: ReturnType<typeof createEnosSimulator>;
beforeAll(async () => {
  sim = createEnosSimulator();
  server = await startVendorServer(sim);
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const F = () => sim.fixtures;
const client = (extra: Partial<EnosClientOptions> = {}) =>
  createEnosClient({ baseUrl: server.url, ...sim.credentials, logger: silent, retry: { initialDelayMs: 1, maxDelayMs: 5 }, ...extra });
/** A client that skips its own validation, to see what the vendor answers to a bad request. */
const unchecked = (extra: Partial<EnosClientOptions> = {}) => client({ validate: false, ...extra });
const rule = (i = 0, messageRule: Record<string, string[] | null> = { mark1: ["siteA"], mark3: ["fault"] }) => ({
  ruleName: `rule ${i}`,
  messageRule,
});
const codeOf = (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => "resolved",
    (e) => (e instanceof EnosApiError ? e.code : `${e?.name}: ${e?.message}`),
  );

async function rawToken(body: Record<string, unknown>, refresh = false) {
  const res = await fetch(`${server.url}/apim-token-service/v2.0/token/${refresh ? "refresh" : "get"}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

function tokenBody(ts = Date.now(), key = sim.credentials.appKey, secret = sim.credentials.appSecret) {
  return { appKey: key, encryption: sha256(key + ts + secret), timestamp: ts };
}

async function signedPost(
  path: string,
  body: string,
  init: { token: string; orgId?: string; timestamp?: number; contentType?: string; sigOverride?: string },
) {
  const orgId = init.orgId ?? F().orgId;
  const ts = String(init.timestamp ?? Date.now());
  const sig = init.sigOverride ?? sha256(`${init.token}orgId${orgId}${body}${ts}${sim.credentials.appSecret}`);
  return fetch(`${server.url}${path}?orgId=${encodeURIComponent(orgId)}`, {
    method: "POST",
    headers: {
      "content-type": init.contentType ?? "application/json",
      "apim-accesstoken": init.token,
      "apim-timestamp": ts,
      "apim-signature": sig,
    },
    body,
  });
}

describe("EnOS simulator: happy path through the client", () => {
  it("create → search → update → delete with real state", async () => {
    const enos = client({ appId: F().appId });
    const ids = await enos.createMessageRules({
      rules: [rule(1), { ...rule(2), isEnable: "0" }],
      relations: [
        { type: 0, identifiers: ["u-alice"] },
        { type: 1, identifiers: ["g-ops"] },
      ],
    });
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^mr/);

    const { messageRuleList } = await enos.searchMessageRules({ ruleIds: ids });
    expect(messageRuleList.map((r) => [r.ruleId, r.ruleName, r.isEnable, r.createdBy])).toEqual([
      [ids[0], "rule 1", 1, F().appId], // isEnable defaults to enabled
      [ids[1], "rule 2", 0, F().appId], // the string "0" is read as 0
    ]);
    expect(messageRuleList[0]!.relations).toEqual([
      { type: 0, identifiers: ["u-alice"] },
      { type: 1, identifiers: ["g-ops"] },
    ]);

    const byUser = await enos.searchMessageRules({ ruleIds: [], identifier: "u-alice", identifierType: 0 });
    expect(byUser.messageRuleList).toHaveLength(2);

    await expect(
      enos.updateMessageRules({
        ruleId: ids[0]!,
        ruleName: "renamed",
        isEnable: 0,
        messageRule: { mark2: ["deviceA"] },
        relations: [{ type: 0, identifiers: ["u-bob"] }],
      }),
    ).resolves.toBe(true);
    const after = await enos.searchMessageRules({ ruleIds: [ids[0]!] });
    expect(after.messageRuleList[0]).toMatchObject({
      ruleName: "renamed",
      isEnable: 0,
      messageRule: { mark2: ["deviceA"] },
      relations: [{ type: 0, identifiers: ["u-bob"] }],
    });

    await expect(enos.deleteMessageRules({ ruleIds: ids })).resolves.toBe(true);
    expect((await enos.searchMessageRules({ ruleIds: [] })).messageRuleList).toEqual([]);
    expect(await codeOf(enos.deleteMessageRules({ ruleIds: ids }))).toBe("31404");
  });

  it("records the Bearer user as creator and updater", async () => {
    const enos = client({ appId: F().appId, userToken: F().userTokens["u-alice"] });
    const [id] = await enos.createMessageRules({ rules: [rule()] });
    const { messageRuleList } = await enos.searchMessageRules({ ruleIds: [id!] });
    expect(messageRuleList[0]).toMatchObject({ createdBy: "u-alice", updatedBy: "u-alice" });
    await client({ userToken: F().userTokens["u-bob"] }).updateMessageRules({ ruleId: id!, messageRule: { mark1: null } });
    const again = await enos.searchMessageRules({ ruleIds: [id!], createdBy: "u-alice" });
    expect(again.messageRuleList[0]).toMatchObject({ createdBy: "u-alice", updatedBy: "u-bob" });
  });

  it("ignores unknown body fields like the real server (hence the client's closed bodies)", async () => {
    const body = { appId: F().appId, rules: [{ ...rule(), isEnabled: 1 }], orgId: "x" };
    await expect(unchecked().createMessageRules(body as never)).resolves.toHaveLength(1);
    await expect(client().createMessageRules(body as never)).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("EnOS simulator: documented App Portal errors, in-band with HTTP 200", () => {
  it("31400: empty orgId, invalid isEnable or relation type, missing appId, empty ruleIds", async () => {
    const bad = unchecked({ appId: F().appId });
    expect(await codeOf(bad.createMessageRules({ rules: [rule()] }, { orgId: "" }))).toBe("31400");
    expect(await codeOf(bad.createMessageRules({ rules: [{ ...rule(), isEnable: 2 as never }] }))).toBe("31400");
    expect(await codeOf(bad.createMessageRules({ rules: [rule()], relations: [{ type: 3 as never, identifiers: ["u-alice"] }] }))).toBe(
      "31400",
    );
    expect(await codeOf(unchecked({ appId: undefined }).createMessageRules({ rules: [rule()] }))).toBe("31400");
    expect(await codeOf(bad.deleteMessageRules({ ruleIds: [] }))).toBe("31400");
    const err = await bad.createMessageRules({ rules: [] }).catch((e) => e);
    expect(err).toBeInstanceOf(EnosApiError);
    expect(err.status).toBe(200);
    expect(err.code).toBe("31400");
  });

  it("31404: unknown OU, OU without the app, unknown app, user, group or rule", async () => {
    const enos = client({ appId: F().appId });
    expect(await codeOf(enos.createMessageRules({ rules: [rule()] }, { orgId: "o-nowhere" }))).toBe("31404");
    expect(await codeOf(enos.createMessageRules({ rules: [rule()] }, { orgId: F().otherOrgId }))).toBe("31404");
    expect(await codeOf(enos.createMessageRules({ appId: "not-my-app", rules: [rule()] }))).toBe("31404");
    expect(await codeOf(enos.createMessageRules({ rules: [rule()], relations: [{ type: 0, identifiers: ["u-nobody"] }] }))).toBe("31404");
    expect(await codeOf(enos.createMessageRules({ rules: [rule()], relations: [{ type: 1, identifiers: ["u-alice"] }] }))).toBe("31404");
    expect(await codeOf(enos.updateMessageRules({ ruleId: "mr-missing", messageRule: { mark1: [] } }))).toBe("31404");
    expect(server.state()).toMatchObject({ rules: [] });
  });

  it("31600 / 31602 / 31604: bad mark key or value, more than 6 marks, no marks", async () => {
    const bad = unchecked({ appId: F().appId });
    expect(await codeOf(bad.createMessageRules({ rules: [rule(0, { site: ["a"] })] }))).toBe("31600");
    expect(await codeOf(bad.createMessageRules({ rules: [rule(0, { mark1: ["x".repeat(401)] })] }))).toBe("31600");
    expect(await codeOf(bad.createMessageRules({ rules: [rule(0, { mark1: "a" as never })] }))).toBe("31600");
    const seven = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`mark${i + 1}`, ["v"]]));
    expect(await codeOf(bad.createMessageRules({ rules: [rule(0, seven)] }))).toBe("31602");
    expect(await codeOf(bad.createMessageRules({ rules: [rule(0, {})] }))).toBe("31604");
    expect(await codeOf(bad.updateMessageRules({ ruleId: "mr1" } as never))).toBe("31604");
    // the client refuses the same requests before sending anything
    await expect(client({ appId: F().appId }).createMessageRules({ rules: [rule(0, seven)] })).rejects.toBeInstanceOf(ValidationError);
  });

  it("31601: a user or group linked to more than 6 rules, counted across calls", async () => {
    const enos = client({ appId: F().appId });
    await enos.createMessageRules({ rules: [rule(1), rule(2), rule(3), rule(4)], relations: [{ type: 0, identifiers: ["u-alice"] }] });
    expect(
      await codeOf(enos.createMessageRules({ rules: [rule(5), rule(6), rule(7)], relations: [{ type: 0, identifiers: ["u-alice"] }] })),
    ).toBe("31601");
    expect((await enos.searchMessageRules({ ruleIds: [] })).messageRuleList).toHaveLength(4); // nothing of the refused call was stored
    await enos.createMessageRules({ rules: [rule(5), rule(6)], relations: [{ type: 0, identifiers: ["u-alice", "u-bob"] }] });
    const [other] = await enos.createMessageRules({ rules: [rule(8)] });
    expect(
      await codeOf(
        enos.updateMessageRules({ ruleId: other!, messageRule: { mark1: [] }, relations: [{ type: 0, identifiers: ["u-alice"] }] }),
      ),
    ).toBe("31601");
    // 7 rules at once: the client knows the limit; the server answers 31601
    const seven = Array.from({ length: 7 }, (_, i) => rule(i));
    await expect(enos.createMessageRules({ rules: seven, relations: [{ type: 1, identifiers: ["g-field"] }] })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(
      await codeOf(
        unchecked({ appId: F().appId }).createMessageRules({ rules: seven, relations: [{ type: 1, identifiers: ["g-field"] }] }),
      ),
    ).toBe("31601");
  });

  it("31607: a user token issued for another OU", async () => {
    const enos = client({ appId: F().appId, userToken: F().otherOrgUserToken });
    expect(await codeOf(enos.createMessageRules({ rules: [rule()] }))).toBe("31607");
  });
});

describe("EnOS simulator: token service and gateway", () => {
  it("token get: one token per AK, the same one while valid, remaining expire", async () => {
    const a = await rawToken(tokenBody());
    expect(a).toMatchObject({ status: 200, body: { status: 0, msg: "SUCCESS", business: "apim-token-service", data: { expire: 7200 } } });
    const b = await rawToken(tokenBody(Date.now() + 1));
    expect(b.body.data.accessToken).toBe(a.body.data.accessToken);
  });

  it("token errors in-band: 1001 replay, 1002 unknown appKey, 1003 bad encryption, 1202 empty, 1004 invalid", async () => {
    const body = tokenBody();
    expect((await rawToken(body)).body.status).toBe(0);
    expect((await rawToken(body)).body.status).toBe(1001);
    expect((await rawToken(tokenBody(Date.now(), "unknown-key"))).body.status).toBe(1002);
    expect((await rawToken(tokenBody(Date.now(), sim.credentials.appKey, "wrong"))).body.status).toBe(1003);
    expect((await rawToken({ appKey: sim.credentials.appKey, timestamp: 1 })).body.status).toBe(1202);
    expect((await rawToken({ ...tokenBody(), timestamp: "soon" })).body.status).toBe(1004);
    for (const r of [await rawToken(tokenBody(Date.now(), "x"))]) expect(r.status).toBe(200);
  });

  it("token refresh: new token for a valid one, 1203 for an expired one, 1204 for an unknown one", async () => {
    const first = (await rawToken(tokenBody())).body.data.accessToken;
    const refreshed = await rawToken({ ...tokenBody(Date.now() + 5), accessToken: first }, true);
    expect(refreshed.body.status).toBe(0);
    expect(refreshed.body.data.accessToken).not.toBe(first);
    expect((await rawToken({ ...tokenBody(Date.now() + 6), accessToken: "nope" }, true)).body.status).toBe(1204);
    server.expireTokens();
    expect((await rawToken({ ...tokenBody(Date.now() + 7), accessToken: refreshed.body.data.accessToken }, true)).body.status).toBe(1203);
  });

  it("wrong credentials through the client: EnosAuthenticationError, nothing created", async () => {
    const wrongSecret = await client({ appSecret: "not-the-secret", appId: F().appId })
      .createMessageRules({ rules: [rule()] })
      .catch((e) => e);
    expect(wrongSecret).toBeInstanceOf(EnosAuthenticationError);
    expect(wrongSecret.code).toBe("1003");
    const wrongKey = await client({ appKey: "someone-else" })
      .deleteMessageRules({ ruleIds: ["x"] })
      .catch((e) => e);
    expect(wrongKey).toBeInstanceOf(EnosAuthenticationError);
    expect(wrongKey.code).toBe("1002");
    expect(server.requests.filter((r) => r.operationId === "createMessageRules")).toHaveLength(0);
  });

  it("the gateway checks every signature: missing headers, bad signature, stale timestamp, unknown token → 401", async () => {
    const token = (await rawToken(tokenBody())).body.data.accessToken as string;
    const path = "/app-portal-service/v2.2/message-service/rule/search";
    const body = '{"ruleIds":[]}';
    expect((await signedPost(path, body, { token })).status).toBe(200);
    expect((await signedPost(path, body, { token, sigOverride: "0".repeat(64) })).status).toBe(401);
    expect((await signedPost(path, body, { token, timestamp: Date.now() - 3_600_000 })).status).toBe(401);
    const unknown = await signedPost(path, body, { token: "apim-unknown" });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ message: "Invalid authentication credentials", apim_status: 4012 });
    // the body is signed byte for byte: the same JSON with other whitespace is refused
    const sig = sha256(`${token}orgId${F().orgId}${body}1${sim.credentials.appSecret}`);
    expect((await signedPost(path, '{ "ruleIds": [] }', { token, timestamp: 1, sigOverride: sig })).status).toBe(401);
    const none = await fetch(`${server.url}${path}?orgId=${F().orgId}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(none.status).toBe(401);
    expect(none.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("expired tokens: 401 apim_status 4011; the client refreshes (1203) → gets a new token → re-sends once", async () => {
    const enos = client({ appId: F().appId });
    await enos.createMessageRules({ rules: [rule(1)] });
    server.expireTokens();
    const raw = await signedPost("/app-portal-service/v2.2/message-service/rule/search", '{"ruleIds":[]}', {
      token: await enos.accessToken(),
    });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toMatchObject({ apim_status: 4011, apim_refreshtoken: expect.any(String) });
    await expect(enos.createMessageRules({ rules: [rule(2)] })).resolves.toHaveLength(1);
    expect((await enos.searchMessageRules({ ruleIds: [] })).messageRuleList).toHaveLength(2); // the refused attempt created nothing
    const ops = server.requests.map((r) => `${r.operationId} ${r.status}`);
    expect(ops).toContain("refreshAccessToken 200");
    expect(ops.filter((o) => o === "createMessageRules 401")).toHaveLength(1);
  });

  it("unknown route, wrong method, bad JSON, non-JSON content type, oversized body: the gateway's / Spring's shapes", async () => {
    const token = (await rawToken(tokenBody())).body.data.accessToken as string;
    const unknown = await fetch(`${server.url}/app-portal-service/v2.2/message-service/rule/purge?orgId=x`, { method: "POST", body: "{}" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: "no Route matched with those values" });
    const get = await fetch(`${server.url}/app-portal-service/v2.2/message-service/rule/search?orgId=x`);
    expect(get.status).toBe(404);
    const badJson = await signedPost("/app-portal-service/v2.2/message-service/rule/search", '{"ruleIds": [', { token });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ message: "Cannot process request body" });
    const text = await signedPost("/app-portal-service/v2.2/message-service/rule/search", '{"ruleIds":[]}', {
      token,
      contentType: "text/plain",
    });
    expect(text.status).toBe(415);
    const big = await fetch(`${server.url}/app-portal-service/v2.2/message-service/rule/create?orgId=x`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pad: "x".repeat(1024 * 1024 + 10) }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ message: "Request size limit exceeded" });
  });
});

describe("EnOS simulator: faults and retries through the client", () => {
  it("429 + Retry-After on a create: re-sent (not processed), exactly one set of rules created", async () => {
    server.addFault({
      operation: "createMessageRules",
      nth: 1,
      status: 429,
      retryAfter: "0",
      body: '{"message":"API rate limit exceeded"}',
    });
    const ids = await client({ appId: F().appId }).createMessageRules({ rules: [rule()] });
    expect(ids).toHaveLength(1);
    expect((server.state() as { rules: unknown[] }).rules).toHaveLength(1);
  });

  it("a create whose answer is lost after processing is NOT re-sent (no duplicate rules)", async () => {
    server.addFault({ operation: "createMessageRules", nth: 1, status: 502, action: "html", after: true });
    const err = await client({ appId: F().appId })
      .createMessageRules({ rules: [rule()] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(EnosApiError);
    expect(err.status).toBe(502);
    expect((server.state() as { rules: unknown[] }).rules).toHaveLength(1);
    expect(server.requests.filter((r) => r.operationId === "createMessageRules")).toHaveLength(1);
  });

  it("a dropped connection on a search (idempotent) is retried", async () => {
    server.addFault({ operation: "searchMessageRules", nth: 1, action: "drop" });
    await expect(client().searchMessageRules({ ruleIds: [] })).resolves.toEqual({ messageRuleList: [] });
    expect(server.requests.filter((r) => r.operationId === "searchMessageRules").map((r) => r.status)).toEqual(["dropped", 200]);
  });

  it("an expireTokens fault mid-session is absorbed by one renewal", async () => {
    const enos = client({ appId: F().appId });
    await enos.searchMessageRules({ ruleIds: [] });
    server.addFault({ operation: "deleteMessageRules", nth: 1, expireTokens: true });
    const [id] = await enos.createMessageRules({ rules: [rule()] });
    await expect(enos.deleteMessageRules({ ruleIds: [id!] })).resolves.toBe(true);
  });
});

describe("EnOS simulator: every example of specs/enos.yaml, sent through the client", () => {
  const spec = parse(readFileSync(fileURLToPath(new URL("../../../specs/enos.yaml", import.meta.url)), "utf8"));
  const examples: Array<[string, string, unknown]> = [];
  for (const item of Object.values<any>(spec.paths)) {
    const op = item.post;
    for (const [name, ex] of Object.entries<any>(op.requestBody.content["application/json"].examples ?? {}))
      examples.push([op.operationId, name, ex.value]);
  }
  // What EnOS answers to each example as written (placeholders such as "your_access_key" are
  // not this sandbox's app, users or rules).
  const expected: Record<string, string> = {
    "getAccessToken vendorDocSample": "1002",
    "refreshAccessToken vendorDocSample": "1002",
    "createMessageRules seedCreateTwoRules": "31404",
    "createMessageRules minimal": "31404",
    "searchMessageRules byRuleIds": "31404",
    "searchMessageRules byUser": "resolved",
    "updateMessageRules vendorDocSample": "31404",
    "deleteMessageRules vendorDocSample": "31404",
  };

  it("covers every request example", () => {
    expect(examples.map(([op, name]) => `${op} ${name}`).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(examples)("%s / %s", async (op, name, value) => {
    const enos = client();
    let got: string | undefined;
    if (op === "getAccessToken" || op === "refreshAccessToken") {
      got = String((await rawToken(value as Record<string, unknown>, op === "refreshAccessToken")).body.status);
    } else {
      const method = enos[op as "createMessageRules"] as (b: unknown) => Promise<unknown>;
      got = await codeOf(method.call(enos, value));
    }
    expect(got).toBe(expected[`${op} ${name}`]);
  });

  it("the seed example with this sandbox's app and users is created as written", async () => {
    const seed = examples.find(([, n]) => n === "seedCreateTwoRules")![2] as any;
    const body = {
      ...seed,
      appId: F().appId,
      relations: [
        { type: 0, identifiers: ["u-alice", "u-bob"] },
        { type: 1, identifiers: ["g-ops"] },
      ],
    };
    const ids = await client().createMessageRules(body);
    expect(ids).toHaveLength(2);
    const { messageRuleList } = await client().searchMessageRules({ ruleIds: ids });
    expect(messageRuleList[0]!.messageRule).toEqual(seed.rules[0].messageRule);
    expect(messageRuleList.map((r) => r.isEnable)).toEqual([0, 0]);
  });
});
