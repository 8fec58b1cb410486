import { afterEach, describe, expect, it } from "vitest";
import { plainHttpRuleMismatches, recordingLogger, refusedUrl, startTestServer, type TestServer } from "@signalbridge/testkit";
import {
  ApiError,
  AuthenticationError,
  ConfigurationError,
  NetworkError,
  ResponseShapeError,
  TimeoutError,
  ValidationError,
} from "@signalbridge/core";
import { createEnosClient, EnosApiError, EnosAuthenticationError } from "../src/index.js";
import {
  APP_KEY,
  APP_SECRET,
  ORG,
  RULE,
  TOKEN_GET,
  TOKEN_REFRESH,
  client,
  expectedSignature,
  fakeEnos,
  seedBody,
  sha256,
  silent,
  type FakeEnos,
} from "./support.js";

let fake: FakeEnos | undefined;
let extra: TestServer | undefined;
afterEach(async () => {
  await fake?.server.close();
  await extra?.close();
  fake = undefined;
  extra = undefined;
});

const ok = (data: unknown) => ({ body: { code: 0, message: "OK", data } });

describe("createMessageRules on the wire", () => {
  it("gets a token, then sends the signed POST with orgId in the query and the body byte for byte", async () => {
    fake = await fakeEnos({ rules: () => ok(["mr1", "mr2"]) });
    const enos = client(fake.server.url);
    const ids = await enos.createMessageRules(seedBody);
    expect(ids).toEqual(["mr1", "mr2"]);

    const [tokenReq] = fake.tokenCalls();
    expect(tokenReq!.method).toBe("POST");
    expect(tokenReq!.pathname).toBe(TOKEN_GET);
    const tb = tokenReq!.json();
    expect(Object.keys(tb).sort()).toEqual(["appKey", "encryption", "timestamp"]);
    expect(tb.appKey).toBe(APP_KEY);
    expect(Number.isInteger(tb.timestamp)).toBe(true);
    expect(Math.abs(tb.timestamp - Date.now())).toBeLessThan(10_000);
    expect(tb.encryption).toBe(sha256(APP_KEY + tb.timestamp + APP_SECRET));
    expect(tokenReq!.headers["apim-accesstoken"]).toBeUndefined();
    expect(tokenReq!.headers["apim-signature"]).toBeUndefined();

    const [req] = fake.business();
    expect(req!.method).toBe("POST");
    expect(req!.rawPath).toBe(`${RULE("create")}?orgId=${ORG}`);
    expect(req!.headers["content-type"]).toMatch(/^application\/json/);
    expect(req!.body).toBe(JSON.stringify(seedBody));
    expect(req!.headers["apim-accesstoken"]).toBe("tok-1");
    expect(req!.headers["apim-timestamp"]).toMatch(/^\d{13}$/);
    expect(req!.headers["apim-signature"]).toBe(expectedSignature(req!, "tok-1"));
    // paramsData for these APIs is "orgId" + orgId + body
    expect(req!.headers["apim-signature"]).toBe(sha256(`tok-1orgId${ORG}${req!.body}${req!.headers["apim-timestamp"]}${APP_SECRET}`));
    expect(req!.headers.authorization).toBeUndefined();
  });

  it("sends the user token as Authorization: Bearer alongside the gateway signature", async () => {
    fake = await fakeEnos({ rules: () => ok(["mr1"]) });
    const enos = client(fake.server.url, { userToken: "APP_PORTAL_S_abc123" });
    await enos.createMessageRules({ appId: "ak", rules: [{ ruleName: "r", messageRule: { mark1: ["a"] } }] });
    const [req] = fake.business();
    expect(req!.headers.authorization).toBe("Bearer APP_PORTAL_S_abc123");
    expect(req!.headers["apim-signature"]).toBe(expectedSignature(req!, "tok-1"));
  });

  it("fills appId from the client's default and orgId from the call when given", async () => {
    fake = await fakeEnos({ rules: () => ok(["mr9"]) });
    const enos = client(fake.server.url, { appId: "default-ak" });
    await enos.createMessageRules({ rules: [{ ruleName: "r", isEnable: "1", messageRule: { mark2: null } }] }, { orgId: "o-other" });
    const [req] = fake.business();
    expect(req!.query.get("orgId")).toBe("o-other");
    expect(req!.json()).toEqual({ rules: [{ ruleName: "r", isEnable: "1", messageRule: { mark2: null } }], appId: "default-ak" });
    expect(req!.headers["apim-signature"]).toBe(expectedSignature(req!, "tok-1"));
  });

  it("percent-encodes orgId on the wire but signs its decoded value", async () => {
    fake = await fakeEnos({ rules: () => ok(["mr1"]) });
    const enos = client(fake.server.url, { orgId: "o 1&x=2" });
    await enos.createMessageRules({ appId: "ak", rules: [{ ruleName: "r", messageRule: { mark1: ["a"] } }] });
    const [req] = fake.business();
    expect(req!.rawPath).toBe(`${RULE("create")}?orgId=o%201%26x%3D2`);
    expect(req!.headers["apim-signature"]).toBe(sha256(`tok-1orgIdo 1&x=2${req!.body}${req!.headers["apim-timestamp"]}${APP_SECRET}`));
  });

  it("accepts the 2.1–2.3 success code 200", async () => {
    fake = await fakeEnos({ rules: () => ({ body: { code: 200, message: "", data: ["mr1"] } }) });
    expect(
      await client(fake.server.url).createMessageRules({ appId: "ak", rules: [{ ruleName: "r", messageRule: { mark1: [] } }] }),
    ).toEqual(["mr1"]);
  });
});

describe("search, update, delete on the wire", () => {
  it("searchMessageRules posts the filter and returns data with messageRuleList", async () => {
    const item = {
      appId: "ak",
      ruleId: "mr1",
      ruleName: "r",
      relations: [{ type: 0, identifiers: ["u1"] }],
      messageRule: { mark1: ["siteA"], mark6: null },
      isEnable: 1,
      createdBy: "ak",
      createdAt: "2025-06-26 10:00:00",
      updatedBy: "u1",
      updatedAt: 1750900000000,
    };
    fake = await fakeEnos({ rules: () => ok({ messageRuleList: [item] }) });
    const enos = client(fake.server.url);
    const found = await enos.searchMessageRules({ appId: "ak", identifier: "u1", identifierType: 0, ruleIds: ["mr1"], createdBy: "ak" });
    expect(found.messageRuleList).toEqual([item]);
    const [req] = fake.business();
    expect(req!.rawPath).toBe(`${RULE("search")}?orgId=${ORG}`);
    expect(req!.json()).toEqual({ appId: "ak", identifier: "u1", identifierType: 0, ruleIds: ["mr1"], createdBy: "ak" });
    expect(req!.headers["apim-signature"]).toBe(expectedSignature(req!, "tok-1"));
  });

  it("searchMessageRules returns an empty list when data carries none", async () => {
    fake = await fakeEnos({ rules: () => ok({}) });
    expect(await client(fake.server.url).searchMessageRules({ ruleIds: [] })).toEqual({ messageRuleList: [] });
  });

  it("updateMessageRules sends the body and resolves true; data:false throws EnosApiError", async () => {
    fake = await fakeEnos({ rules: (_r, n) => ok(n === 0) });
    const enos = client(fake.server.url);
    const body = {
      ruleId: "mr1",
      ruleName: "n",
      isEnable: 1 as const,
      messageRule: { mark1: ["x"] },
      relations: [{ type: 1 as const, identifiers: ["g1"] }],
    };
    await expect(enos.updateMessageRules(body)).resolves.toBe(true);
    const [req] = fake.business();
    expect(req!.rawPath).toBe(`${RULE("update")}?orgId=${ORG}`);
    expect(req!.json()).toEqual(body);
    expect(req!.headers["apim-signature"]).toBe(expectedSignature(req!, "tok-1"));
    const err = await enos.updateMessageRules(body).catch((e) => e);
    expect(err).toBeInstanceOf(EnosApiError);
    expect(err.code).toBeUndefined();
    expect(err.message).toMatch(/data: false/);
    expect(fake.business()).toHaveLength(2); // never re-sent: update is not idempotent
  });

  it("deleteMessageRules sends ruleIds and resolves true", async () => {
    fake = await fakeEnos({ rules: () => ok(true) });
    await expect(client(fake.server.url).deleteMessageRules({ ruleIds: ["mr1", "mr2"] })).resolves.toBe(true);
    const [req] = fake.business();
    expect(req!.rawPath).toBe(`${RULE("delete")}?orgId=${ORG}`);
    expect(req!.body).toBe('{"ruleIds":["mr1","mr2"]}');
  });

  it(".raw is openapi-fetch typed by the spec and signed the same way", async () => {
    fake = await fakeEnos({ rules: () => ok(true) });
    const enos = client(fake.server.url);
    const { data, error } = await enos.raw.POST("/app-portal-service/v2.2/message-service/rule/delete", {
      params: { query: { orgId: ORG } },
      body: { ruleIds: ["mr1"] },
    });
    expect(error).toBeUndefined();
    expect(data).toEqual({ code: 0, message: "OK", data: true });
    const [req] = fake.business();
    expect(req!.headers["apim-signature"]).toBe(expectedSignature(req!, "tok-1"));
  });
});

describe("errors", () => {
  it("an in-band 31xxx on HTTP 200 becomes EnosApiError with the trimmed code", async () => {
    fake = await fakeEnos({ rules: () => ({ body: { code: 31404, message: "application not exist", data: null } }) });
    const err = await client(fake.server.url)
      .createMessageRules(seedBody)
      .catch((e) => e);
    expect(err).toBeInstanceOf(EnosApiError);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.kind).toBe("api");
    expect(err.status).toBe(200);
    expect(err.code).toBe("31404");
    expect(err.vendor).toBe("enos");
    expect(err.operation).toBe("createMessageRules");
    expect(err.message).toContain("application not exist");
    expect(fake.business()).toHaveLength(1);
  });

  it("a code sent as a padded string is trimmed", async () => {
    fake = await fakeEnos({ rules: () => ({ body: { code: " 31602 ", message: "too many marks" } }) });
    const err = await client(fake.server.url)
      .deleteMessageRules({ ruleIds: ["x"] })
      .catch((e) => e);
    expect(err.code).toBe("31602");
  });

  it.each([
    [400, "Cannot process request body"],
    [403, "Your IP address is not allowed"],
    [413, "Request size limit exceeded"],
    [500, "An unexpected error occurred"],
  ])("a gateway %i becomes EnosApiError with the gateway's message, not retried for a create", async (status, message) => {
    fake = await fakeEnos({ rules: () => ({ status, body: { message } }) });
    const err = await client(fake.server.url)
      .createMessageRules(seedBody)
      .catch((e) => e);
    expect(err).toBeInstanceOf(EnosApiError);
    expect(err.status).toBe(status);
    expect(err.code).toBeUndefined();
    expect(err.message).toContain(message);
    expect(fake.business()).toHaveLength(1);
  });

  it("a gateway 503 is not re-sent for a create but is for an idempotent search", async () => {
    fake = await fakeEnos({
      rules: (_r, n) => (n < 2 ? { status: 503, body: { message: "Service unavailable" } } : ok({ messageRuleList: [] })),
    });
    const enos = client(fake.server.url);
    const err = await enos.createMessageRules(seedBody).catch((e) => e);
    expect(err).toBeInstanceOf(EnosApiError);
    expect(err.status).toBe(503);
    expect(fake.business()).toHaveLength(1);
    await expect(enos.searchMessageRules({ ruleIds: [] })).resolves.toEqual({ messageRuleList: [] });
    expect(fake.business()).toHaveLength(3);
  });

  it("a gateway 429 is retried even for a create (not processed), honouring Retry-After", async () => {
    fake = await fakeEnos({
      rules: (_r, n) =>
        n === 0 ? { status: 429, headers: { "retry-after": "0" }, body: { message: "API rate limit exceeded" } } : ok(["mr1"]),
    });
    const ids = await client(fake.server.url).createMessageRules(seedBody);
    expect(ids).toEqual(["mr1"]);
    expect(fake.business()).toHaveLength(2);
    const [a, b] = fake.business();
    expect(a!.body).toBe(b!.body);
    expect(b!.headers["apim-signature"]).toBe(expectedSignature(b!, "tok-1"));
  });

  it("a 429 that persists ends as EnosApiError after the bounded attempts", async () => {
    fake = await fakeEnos({ rules: () => ({ status: 429, body: { message: "API rate limit exceeded" } }) });
    const err = await client(fake.server.url, { retry: { maxAttempts: 2, initialDelayMs: 1 } })
      .createMessageRules(seedBody)
      .catch((e) => e);
    expect(err).toBeInstanceOf(EnosApiError);
    expect(err.status).toBe(429);
    expect(err.attempts).toBe(2);
  });

  it("an HTML error page becomes EnosApiError with no code and a safe message", async () => {
    fake = await fakeEnos({
      rules: () => ({ status: 502, headers: { "content-type": "text/html" }, body: "<html><body>Bad Gateway</body></html>" }),
    });
    const err = await client(fake.server.url)
      .createMessageRules(seedBody)
      .catch((e) => e);
    expect(err).toBeInstanceOf(EnosApiError);
    expect(err.status).toBe(502);
    expect(err.code).toBeUndefined();
    expect(err.message).toContain("an HTML page");
  });

  it("a success body that breaks the spec is a ResponseShapeError", async () => {
    fake = await fakeEnos({ rules: () => ok("not-a-list") });
    const err = await client(fake.server.url)
      .createMessageRules(seedBody)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(err.kind).toBe("response-shape");
  });

  it("a 200 that is not JSON is a ResponseShapeError", async () => {
    fake = await fakeEnos({ rules: () => ({ body: "OK" }) });
    const err = await client(fake.server.url)
      .deleteMessageRules({ ruleIds: ["a"] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ResponseShapeError);
  });

  it("an envelope without code is a ResponseShapeError", async () => {
    fake = await fakeEnos({ rules: () => ({ body: { message: "OK", data: true } }) });
    const err = await client(fake.server.url)
      .deleteMessageRules({ ruleIds: ["a"] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ResponseShapeError);
  });
});

describe("gateway token", () => {
  it("is fetched once for concurrent calls and reused afterwards", async () => {
    fake = await fakeEnos({ rules: () => ok(true) });
    const enos = client(fake.server.url);
    await Promise.all(Array.from({ length: 8 }, () => enos.deleteMessageRules({ ruleIds: ["a"] })));
    await enos.deleteMessageRules({ ruleIds: ["b"] });
    expect(fake.tokenCalls()).toHaveLength(1);
    expect(new Set(fake.business().map((r) => r.headers["apim-accesstoken"]))).toEqual(new Set(["tok-1"]));
  });

  it("accepts the doc sample's `stauts` spelling", async () => {
    fake = await fakeEnos({
      token: () => ({
        body: { stauts: 0, msg: "SUCCESS", business: "apim-token-service", data: { accessToken: "Generated_Access_Token", expire: 7200 } },
      }),
      rules: () => ok(true),
    });
    const enos = client(fake.server.url);
    await enos.deleteMessageRules({ ruleIds: ["a"] });
    expect(fake.business()[0]!.headers["apim-accesstoken"]).toBe("Generated_Access_Token");
  });

  it("is refreshed ahead of expiry through token/refresh with the old token", async () => {
    // A 1 s token is renewed halfway through its life: after 600 ms it is due, whatever the load.
    fake = await fakeEnos({ expire: 1, rules: () => ok(true) });
    const enos = client(fake.server.url);
    await enos.deleteMessageRules({ ruleIds: ["a"] });
    await new Promise((r) => setTimeout(r, 600));
    await enos.deleteMessageRules({ ruleIds: ["b"] });
    const calls = fake.tokenCalls();
    expect(calls.map((c) => c.pathname)).toEqual([TOKEN_GET, TOKEN_REFRESH]);
    const rb = calls[1]!.json();
    expect(rb.accessToken).toBe("tok-1");
    expect(rb.encryption).toBe(sha256(APP_KEY + rb.timestamp + APP_SECRET));
    expect(rb.timestamp).toBeGreaterThan(calls[0]!.json().timestamp);
    expect(fake.business()[1]!.headers["apim-accesstoken"]).toBe("tok-2");
  });

  it("reuses a short-lived (30 s) token for its life instead of fetching one before every call", async () => {
    fake = await fakeEnos({ expire: 30, rules: () => ok(true) });
    const enos = client(fake.server.url);
    await enos.deleteMessageRules({ ruleIds: ["a"] });
    await enos.deleteMessageRules({ ruleIds: ["b"] });
    await enos.deleteMessageRules({ ruleIds: ["c"] });
    expect(fake.tokenCalls().map((c) => c.pathname)).toEqual([TOKEN_GET]);
    expect(fake.business().map((b) => b.headers["apim-accesstoken"])).toEqual(["tok-1", "tok-1", "tok-1"]);
  });

  it("falls back to token/get when the refresh fails (1204)", async () => {
    fake = await fakeEnos({
      expire: 1,
      token: (req) =>
        req.pathname === TOKEN_REFRESH ? { body: { status: 1204, msg: "refresh failed", business: "apim-token-service" } } : undefined,
      rules: () => ok(true),
    });
    const enos = client(fake.server.url);
    await enos.deleteMessageRules({ ruleIds: ["a"] });
    await new Promise((r) => setTimeout(r, 600));
    await enos.deleteMessageRules({ ruleIds: ["b"] });
    expect(fake.tokenCalls().map((c) => c.pathname)).toEqual([TOKEN_GET, TOKEN_REFRESH, TOKEN_GET]);
    expect(fake.business()[1]!.headers["apim-accesstoken"]).toBe("tok-2");
  });

  it("tries once more with a fresh timestamp on 1001 (replayed encryption)", async () => {
    fake = await fakeEnos({
      token: (_req, n) => (n === 0 ? { body: { status: 1001, msg: "repeated request", business: "apim-token-service" } } : undefined),
      rules: () => ok(true),
    });
    await client(fake.server.url).deleteMessageRules({ ruleIds: ["a"] });
    const [a, b] = fake.tokenCalls();
    expect(b!.json().timestamp).toBeGreaterThan(a!.json().timestamp);
    expect(b!.json().encryption).not.toBe(a!.json().encryption);
  });

  it("a wrong secret (1003) is an AuthenticationError and the business call is never sent", async () => {
    fake = await fakeEnos({ rules: () => ok(true) });
    const enos = client(fake.server.url, { appSecret: "wrong-secret" });
    const err = await enos.deleteMessageRules({ ruleIds: ["a"] }).catch((e) => e);
    expect(err).toBeInstanceOf(EnosAuthenticationError);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.kind).toBe("authentication");
    expect(err.code).toBe("1003");
    expect(err.operation).toBe("getAccessToken");
    expect(fake.business()).toHaveLength(0);
  });

  it("an unknown appKey (1002) is an AuthenticationError", async () => {
    fake = await fakeEnos({ token: () => ({ body: { status: 1002, msg: "appKey not exist", business: "apim-token-service" } }) });
    const err = await client(fake.server.url)
      .deleteMessageRules({ ruleIds: ["a"] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(EnosAuthenticationError);
    expect(err.code).toBe("1002");
  });

  it("a token answer with status 0 but no token is a ResponseShapeError", async () => {
    fake = await fakeEnos({ token: () => ({ body: { status: 0, msg: "SUCCESS", data: null } }) });
    const err = await client(fake.server.url)
      .deleteMessageRules({ ruleIds: ["a"] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ResponseShapeError);
  });

  it.each([
    [
      "apim_status 4011 → token/refresh",
      { apim_status: 4011, apim_refreshtoken: "rt", message: "Invalid authentication credentials" },
      [TOKEN_GET, TOKEN_REFRESH],
    ],
    ["apim_status 4012 → token/get", { apim_status: 4012, message: "Invalid authentication credentials" }, [TOKEN_GET, TOKEN_GET]],
    ["plain 401 → token/get", { message: "Invalid authentication credentials" }, [TOKEN_GET, TOKEN_GET]],
  ])("a gateway 401 with %s renews once and re-sends (even a create)", async (_name, body, tokenPaths) => {
    fake = await fakeEnos({ rules: (_r, n) => (n === 0 ? { status: 401, body } : ok(["mr1"])) });
    const ids = await client(fake.server.url).createMessageRules(seedBody);
    expect(ids).toEqual(["mr1"]);
    expect(fake.tokenCalls().map((c) => c.pathname)).toEqual(tokenPaths);
    const [a, b] = fake.business();
    expect(a!.headers["apim-accesstoken"]).toBe("tok-1");
    expect(b!.headers["apim-accesstoken"]).toBe("tok-2");
    expect(b!.headers["apim-signature"]).toBe(expectedSignature(b!, "tok-2"));
  });

  it("an in-band 1203 (token expired) on a business call renews once and re-sends", async () => {
    fake = await fakeEnos({ rules: (_r, n) => (n === 0 ? { body: { status: 1203, msg: "access token expired" } } : ok(true)) });
    await expect(client(fake.server.url).deleteMessageRules({ ruleIds: ["a"] })).resolves.toBe(true);
    expect(fake.business().map((r) => r.headers["apim-accesstoken"])).toEqual(["tok-1", "tok-2"]);
  });

  it("a second 401 after the renewal is an EnosAuthenticationError (renewed only once)", async () => {
    fake = await fakeEnos({ rules: () => ({ status: 401, body: { message: "Invalid authentication credentials", apim_status: 4012 } }) });
    const err = await client(fake.server.url)
      .deleteMessageRules({ ruleIds: ["a"] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(EnosAuthenticationError);
    expect(err.status).toBe(401);
    expect(err.code).toBe("4012");
    expect(fake.business()).toHaveLength(2);
    expect(fake.tokenCalls()).toHaveLength(2);
  });

  it("concurrent calls rejected with the same stale token renew it once", async () => {
    let stale = true;
    fake = await fakeEnos({
      rules: (req) =>
        stale && req.headers["apim-accesstoken"] === "tok-1"
          ? { status: 401, body: { message: "Invalid authentication credentials", apim_status: 4012 }, delayMs: 20 }
          : ok(true),
    });
    const enos = client(fake.server.url);
    await Promise.all(Array.from({ length: 5 }, () => enos.deleteMessageRules({ ruleIds: ["a"] })));
    stale = false;
    expect(fake.tokenCalls()).toHaveLength(2);
  });
});

describe("construction and validation: nothing is sent", () => {
  it.each([
    ["appKey", { appKey: "" }],
    ["appSecret", { appSecret: undefined as unknown as string }],
    ["orgId", { orgId: " " }],
  ])("a missing %s is a ConfigurationError naming it", async (name, patch) => {
    fake = await fakeEnos();
    const make = () => client(fake!.server.url, patch);
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(new RegExp(`enos: ${name} is required`));
    expect(fake.server.requests).toHaveLength(0);
  });

  it("refuses plain http to a non-loopback host unless allowInsecureHttp (the shared table)", () => {
    expect(plainHttpRuleMismatches((baseUrl, allowInsecureHttp) => client(baseUrl, { allowInsecureHttp }))).toEqual([]);
  });

  it("more than 6 marks: ValidationError naming the field, nothing sent (not even a token request)", async () => {
    fake = await fakeEnos();
    const messageRule = { mark1: [], mark2: [], mark3: [], mark4: [], mark5: [], mark6: [], mark7: [] };
    const err = await client(fake.server.url)
      .createMessageRules({ appId: "ak", rules: [{ ruleName: "r", messageRule }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.violations).toEqual([expect.objectContaining({ path: "body.rules.0.messageRule", rule: "maxProperties" })]);
    expect(err.message).toMatch(/body\.rules\.0\.messageRule: must have at most 6 entries \(got 7 entries\)/);
    expect(fake.server.requests).toHaveLength(0);
  });

  it.each([
    ["no marks", { appId: "ak", rules: [{ ruleName: "r", messageRule: {} }] }, "body.rules.0.messageRule", "minProperties"],
    [
      "a key not of the form markN",
      { appId: "ak", rules: [{ ruleName: "r", messageRule: { site: ["a"] } }] },
      "body.rules.0.messageRule.site",
      "propertyNames",
    ],
    [
      "a value over 400 characters",
      { appId: "ak", rules: [{ ruleName: "r", messageRule: { mark1: ["x".repeat(401)] } }] },
      "body.rules.0.messageRule.mark1.0",
      "maxLength",
    ],
    ["isEnable 2", { appId: "ak", rules: [{ ruleName: "r", isEnable: 2, messageRule: { mark1: [] } }] }, "body.rules.0.isEnable", "enum"],
    [
      "a misspelt field",
      { appId: "ak", rules: [{ ruleName: "r", messageRule: { mark1: [] }, isEnabled: 1 }] },
      "body.rules.0.isEnabled",
      "additionalProperties",
    ],
    ["no rules", { appId: "ak", rules: [] }, "body.rules", "minItems"],
    [
      "a relation without type",
      { appId: "ak", rules: [{ ruleName: "r", messageRule: { mark1: [] } }], relations: [{ identifiers: ["u"] }] },
      "body.relations.0.type",
      "required",
    ],
    ["no appId and no default", { rules: [{ ruleName: "r", messageRule: { mark1: [] } }] }, "body.appId", "required"],
  ])("%s: ValidationError, nothing sent", async (_name, body, path, rule) => {
    fake = await fakeEnos();
    const err = await client(fake.server.url)
      .createMessageRules(body as never)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.violations).toContainEqual(expect.objectContaining({ path, rule }));
    expect(fake.server.requests).toHaveLength(0);
  });

  it("counts value length in UTF-16 code units like the vendor's Java server", async () => {
    fake = await fakeEnos({ rules: () => ok(["mr1"]) });
    const enos = client(fake.server.url);
    const twoUnits = "😀"; // 1 code point, 2 UTF-16 code units
    await expect(
      enos.createMessageRules({ appId: "ak", rules: [{ ruleName: "r", messageRule: { mark1: [twoUnits.repeat(200)] } }] }),
    ).resolves.toEqual(["mr1"]);
    const err = await enos
      .createMessageRules({ appId: "ak", rules: [{ ruleName: "r", messageRule: { mark1: [`a${twoUnits.repeat(200)}`] } }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
  });

  it("7 rules linked to a user break the 6-rules-per-user rule, in the vendor's words", async () => {
    fake = await fakeEnos();
    const rules = Array.from({ length: 7 }, (_, i) => ({ ruleName: `r${i}`, messageRule: { mark1: ["a"] } }));
    const enos = client(fake.server.url);
    const err = await enos.createMessageRules({ appId: "ak", rules, relations: [{ type: 0, identifiers: ["u1"] }] }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.violations).toHaveLength(1);
    expect(err.violations[0]).toMatchObject({ path: "body.rules", rule: "rule" });
    expect(err.message).toMatch(/at most 6 rules when `relations` names a user or user group/);
    expect(fake.server.requests).toHaveLength(0);
  });

  it("7 rules without relations are left to the server", async () => {
    fake = await fakeEnos({ rules: () => ok(["1", "2", "3", "4", "5", "6", "7"]) });
    const rules = Array.from({ length: 7 }, (_, i) => ({ ruleName: `r${i}`, messageRule: { mark1: ["a"] } }));
    await expect(client(fake.server.url).createMessageRules({ appId: "ak", rules })).resolves.toHaveLength(7);
  });

  it("delete with no ruleIds and update without messageRule are refused", async () => {
    fake = await fakeEnos();
    const enos = client(fake.server.url);
    await expect(enos.deleteMessageRules({ ruleIds: [] })).rejects.toBeInstanceOf(ValidationError);
    await expect(enos.updateMessageRules({ ruleId: "mr1" } as never)).rejects.toThrow(/body\.messageRule: is required/);
    await expect(enos.createMessageRules(seedBody, { orgId: "" })).rejects.toThrow(/query\.orgId: must not be empty/);
    expect(fake.server.requests).toHaveLength(0);
  });
});

describe("transport", () => {
  it("a refused connection is a NetworkError that says nothing was sent", async () => {
    const enos = createEnosClient({
      baseUrl: await refusedUrl(),
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      orgId: ORG,
      logger: silent,
      retry: false,
    });
    const err = await enos.createMessageRules(seedBody).catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.mayHaveReachedServer).toBe(false);
  });

  it("a create that times out is not re-sent and says it may have reached the server", async () => {
    fake = await fakeEnos({ rules: () => ({ ...ok(["mr1"]), delayMs: 300 }) });
    const err = await client(fake.server.url)
      .createMessageRules(seedBody, { timeoutMs: 50 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.mayHaveReachedServer).toBe(true);
    expect(fake.business()).toHaveLength(1);
  });

  it("a search whose attempt times out is re-sent within the deadline (idempotent)", async () => {
    // Wide margins: the healthy re-send must beat the timeout even on a loaded machine.
    fake = await fakeEnos({
      rules: (_r, n) => (n === 0 ? { ...ok({ messageRuleList: [] }), delayMs: 2_000 } : ok({ messageRuleList: [] })),
    });
    await client(fake.server.url).searchMessageRules({ ruleIds: [] }, { timeoutMs: 20_000, attemptTimeoutMs: 500 });
    expect(fake.business()).toHaveLength(2);
  });
});

describe("secrets", () => {
  it("never appear in logs, error messages or serialized errors", async () => {
    const secretToken = "tok-SECRET-abcdef";
    const userToken = "APP_PORTAL_S_user-secret-xyz";
    extra = await startTestServer((req) => {
      if (req.pathname === TOKEN_GET) return { body: { status: 0, msg: "SUCCESS", data: { accessToken: secretToken, expire: 7200 } } };
      return { status: 401, body: { message: `token ${secretToken} rejected; user ${userToken}; secret ${APP_SECRET}` } };
    });
    const rec = recordingLogger();
    const enos = createEnosClient({
      baseUrl: extra.url,
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      orgId: ORG,
      userToken,
      logger: rec.logger,
      logLevel: "debug",
    });
    const err = await enos.deleteMessageRules({ ruleIds: ["a"] }).catch((e) => e);
    expect(err).toBeInstanceOf(EnosAuthenticationError);
    const texts = [err.message, JSON.stringify(err), ...rec.lines];
    for (const text of texts) {
      expect(text).not.toContain(secretToken);
      expect(text).not.toContain(userToken);
      expect(text).not.toContain(APP_SECRET);
    }
    expect(rec.lines.some((l) => l.includes("apim-signature"))).toBe(true); // headers are logged, redacted
    // every apim-* header is masked, even one whose name holds no generic secret word
    expect(rec.lines.some((l) => l.includes('"apim-timestamp":"[redacted]"'))).toBe(true);
  });
});
