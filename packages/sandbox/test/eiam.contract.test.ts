import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NetworkError, ValidationError } from "@signalbridge/core";
import {
  createEiamClient,
  EiamApiError,
  EiamAuthenticationError,
  type EiamClientOptions,
  type SendInSiteNoticeRequest,
} from "@signalbridge/bamboocloud-eiam";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createEiamSimulator } from "../src/eiam/simulator.js";
import { ManualClock } from "../src/kit/clock.js";
import { startVendorServer, type VendorServer } from "../src/kit/server.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const SEND = "/api/v2/tenant/notice/insite/asyncSend";

let server: VendorServer;
let sim: ReturnType<typeof createEiamSimulator>;
/** The server's time: notices change status only when a test advances it. */
const clock = new ManualClock();
beforeAll(async () => {
  sim = createEiamSimulator({ sendingAfterMs: 150, finishedAfterMs: 400, clock });
  server = await startVendorServer(sim);
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const client = (extra: Partial<EiamClientOptions> = {}) =>
  createEiamClient({ baseUrl: server.url, ...sim.credentials, logger: silent, retry: { initialDelayMs: 1, maxDelayMs: 5 }, ...extra });
/** A client that skips its own validation, to see what the vendor answers to a bad request. */
const unchecked = (extra: Partial<EiamClientOptions> = {}) => client({ validate: false, ...extra });
const notice = (extra: Record<string, unknown> = {}) =>
  ({ title: "Maintenance", content: "22:00–23:00", message_type: "TEXT", user_names: ["ziceUser"], ...extra }) as SendInSiteNoticeRequest;
const codeOf = (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => "resolved",
    (e) => (e instanceof EiamApiError || e instanceof EiamAuthenticationError ? e.code : `${e?.name}: ${e?.message}`),
  );
const state = () => sim.state() as { notices: Array<{ notice_id: string; status: string }>; sentToday: number; tokens: unknown[] };

async function token(init: { auth?: string; body?: string; contentType?: string; method?: string } = {}) {
  const basic = `Basic ${Buffer.from(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`).toString("base64")}`;
  const res = await fetch(`${server.url}/api/v2/tenant/token`, {
    method: init.method ?? "POST",
    headers: {
      ...(init.auth === "" ? {} : { authorization: init.auth ?? basic }),
      "content-type": init.contentType ?? "application/x-www-form-urlencoded",
    },
    ...(init.method === "GET" ? {} : { body: init.body ?? "grant_type=client_credentials" }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function rawSend(body: string, init: { token?: string | null; contentType?: string; method?: string; path?: string } = {}) {
  const t = init.token === undefined ? (await token()).body.access_token : init.token;
  const res = await fetch(`${server.url}${init.path ?? SEND}`, {
    method: init.method ?? "POST",
    headers: {
      ...(t === null ? {} : { authorization: `Bearer ${t}` }),
      "content-type": init.contentType ?? "application/json; charset=utf-8",
    },
    ...(init.method === "GET" ? {} : { body }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe("EIAM simulator: happy path through the client", () => {
  it("send → UNSENT → SENDING → FINISHED, with one token", async () => {
    const eiam = client();
    const { notice_id } = await eiam.sendInSiteNotice(notice({ org_codes: sim.fixtures.orgCodes }));
    expect(notice_id).toMatch(/^\d{17}-\d{4}-[0-9A-F]{9}$/);
    expect((await eiam.getInSiteNoticeSendResult(notice_id)).status).toBe("UNSENT");
    clock.advance(149);
    expect((await eiam.getInSiteNoticeSendResult(notice_id)).status).toBe("UNSENT");
    clock.advance(1);
    expect((await eiam.getInSiteNoticeSendResult(notice_id)).status).toBe("SENDING");
    clock.advance(249);
    expect((await eiam.getInSiteNoticeSendResult(notice_id)).status).toBe("SENDING");
    clock.advance(1);
    expect((await eiam.getInSiteNoticeSendResult(notice_id)).status).toBe("FINISHED");
    expect(server.requests.filter((r) => r.operationId === "getAccessToken")).toHaveLength(1);
    expect(state().notices.map((n) => n.notice_id)).toEqual([notice_id]);
  });

  it("answers asyncSend with the server's `noitce_id` spelling", async () => {
    const res = await rawSend(JSON.stringify(notice()));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["noitce_id"]);
  });

  it("sends to everyone with all: true and MARKDOWN", async () => {
    const { notice_id } = await client().sendInSiteNotice({ title: "t", content: "**c**", message_type: "MARKDOWN", all: true });
    expect(state().notices[0]).toMatchObject({ notice_id, all: true, message_type: "MARKDOWN" });
  });
});

describe("EIAM simulator: token endpoint", () => {
  it("issues a bearer token with the documented fields and lifetime, reusing it while valid", async () => {
    const a = await token();
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ token_type: "bearer", scope: "all", expires_in: 1800 });
    expect(a.body.access_token).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.body.id_token.split(".")).toHaveLength(3);
    const b = await token();
    expect(b.body.access_token).toBe(a.body.access_token);
    expect(b.body.expires_in).toBeLessThanOrEqual(1800);
  });

  it("accepts client_secret_post too", async () => {
    const { clientId, clientSecret } = sim.credentials;
    const res = await token({ auth: "", body: `grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}` });
    expect(res.status).toBe(200);
  });

  it.each([
    ["a wrong secret", { auth: `Basic ${Buffer.from(`${"sandbox-eiam-client"}:nope`).toString("base64")}` }, 401, "invalid_client"],
    ["no credentials", { auth: "" }, 401, "invalid_client"],
    ["another grant type", { body: "grant_type=password" }, 400, "unsupported_grant_type"],
    ["no grant type", { body: "" }, 400, "invalid_request"],
    ["GET", { method: "GET" }, 405, "method_not_allowed"],
  ])("refuses %s", async (_n, init, status, error) => {
    const res = await token(init);
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    expect(typeof res.body.error_description).toBe("string");
  });

  it("a client with wrong credentials gets EiamAuthenticationError invalid_client and sends nothing else", async () => {
    const e = await client({ clientSecret: "wrong" })
      .sendInSiteNotice(notice())
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EiamAuthenticationError);
    expect((e as EiamAuthenticationError).code).toBe("invalid_client");
    expect(server.requests.map((r) => r.operationId)).toEqual(["getAccessToken"]);
  });

  it("expires_in is configurable", async () => {
    const short = createEiamSimulator({ expiresIn: 60 });
    const s = await startVendorServer(short);
    try {
      const res = await fetch(`${s.url}/api/v2/tenant/token`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${short.credentials.clientId}:${short.credentials.clientSecret}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      });
      expect(((await res.json()) as any).expires_in).toBe(60);
    } finally {
      await s.close();
    }
  });
});

describe("EIAM simulator: bearer tokens", () => {
  it("400 invalid_token for an unknown token, echoing it as the OAuth2 error list does", async () => {
    const res = await rawSend(JSON.stringify(notice()), { token: "not-a-token" });
    expect(res).toEqual({ status: 400, body: { error: "invalid_token", error_description: "Invalid access token: not-a-token" } });
  });

  it("400 invalid_token 'Access token expired' after expiry", async () => {
    const t = (await token()).body.access_token;
    server.expireTokens();
    const res = await rawSend(JSON.stringify(notice()), { token: t });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: "invalid_token", error_description: `Access token expired:${t}` });
    expect((await token()).body.access_token).not.toBe(t);
  });

  it("400 invalid_request without a token", async () => {
    const res = await rawSend(JSON.stringify(notice()), { token: null });
    expect(res).toMatchObject({ status: 400, body: { error: "invalid_request" } });
  });

  it("the client renews an expired token once and the notice is sent once", async () => {
    const eiam = client();
    await eiam.sendInSiteNotice(notice());
    server.expireTokens();
    await eiam.sendInSiteNotice(notice());
    expect(state().notices).toHaveLength(2);
    expect(server.requests.map((r) => `${r.operationId} ${r.status}`)).toEqual([
      "getAccessToken 200",
      "sendInSiteNotice 200",
      "sendInSiteNotice 400",
      "getAccessToken 200",
      "sendInSiteNotice 200",
    ]);
  });

  it("the expireTokens fault makes the client renew too", async () => {
    const eiam = client();
    await eiam.getInSiteNoticeSendResult("x").catch(() => undefined);
    server.addFault({ operation: "getInSiteNoticeSendResult", expireTokens: true, nth: 1 });
    expect(await codeOf(eiam.getInSiteNoticeSendResult("x"))).toBe("NOTICE.0001");
    expect(server.requests.filter((r) => r.operationId === "getAccessToken")).toHaveLength(2);
  });

  it("a caller-supplied token that the server does not know: EiamAuthenticationError, token redacted", async () => {
    const e = (await client({ clientId: undefined, clientSecret: undefined, accessToken: "foreign-token-1234" })
      .sendInSiteNotice(notice())
      .catch((x: unknown) => x)) as EiamAuthenticationError;
    expect(e).toBeInstanceOf(EiamAuthenticationError);
    expect(e.code).toBe("invalid_token");
    expect(e.message).not.toContain("foreign-token-1234");
    expect(JSON.stringify(e)).not.toContain("foreign-token-1234");
  });

  it("an application without the notice permission gets 400 insufficient_scope", async () => {
    const denied = createEiamSimulator({ permissions: ["user_read"] });
    const s = await startVendorServer(denied);
    try {
      const eiam = createEiamClient({ baseUrl: s.url, ...denied.credentials, logger: silent });
      const e = (await eiam.sendInSiteNotice(notice()).catch((x: unknown) => x)) as EiamApiError;
      expect(e).toBeInstanceOf(EiamApiError);
      expect(e.code).toBe("insufficient_scope");
      expect(e.status).toBe(400);
    } finally {
      await s.close();
    }
  });
});

describe("EIAM simulator: every asyncSend rule answers with its code", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["title empty", { title: "" }, "NOTICE.0004"],
    ["title missing", { title: undefined }, "NOTICE.0004"],
    ["title null", { title: null }, "NOTICE.0004"],
    ["content empty", { content: "" }, "NOTICE.0005"],
    ["message_type missing", { message_type: undefined }, "NOTICE.0006"],
    ["message_type empty", { message_type: "" }, "NOTICE.0006"],
    ["title of 101", { title: "x".repeat(101) }, "NOTICE.0007"],
    ["title of 51 emoji (102 UTF-16 units)", { title: "😀".repeat(51) }, "NOTICE.0007"],
    ["content of 1025", { content: "x".repeat(1025) }, "NOTICE.0008"],
    ["101 user names", { user_names: Array.from({ length: 101 }, (_, i) => `u${i}`) }, "NOTICE.0010"],
    ["21 org codes", { org_codes: Array.from({ length: 21 }, (_, i) => `o${i}`) }, "NOTICE.0011"],
    ["no recipients, all absent", { user_names: undefined }, "NOTICE.INSITE.0004"],
    ["no recipients, all false", { user_names: [], org_codes: [], all: false }, "NOTICE.INSITE.0004"],
    ["title of the wrong type", { title: 5 }, "COM.0601"],
    ["user_names not a list", { user_names: "ziceUser" }, "COM.0601"],
    ["a user name not a string", { user_names: [{ name: "x" }] }, "COM.0601"],
    ["all not a boolean", { all: "yes" }, "COM.0601"],
    ["unknown message_type", { message_type: "HTML" }, "COM.0601"],
  ];

  it.each(cases)("%s → %s (and the client refuses it before sending)", async (_n, change, code) => {
    const body = notice(change);
    expect(await codeOf(unchecked().sendInSiteNotice(body))).toBe(code);
    expect(state().notices).toHaveLength(0);
    const before = server.requests.length;
    const e = await client()
      .sendInSiteNotice(body)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect(server.requests.filter((r) => r.operationId === "sendInSiteNotice")).toHaveLength(
      server.requests.slice(0, before).filter((r) => r.operationId === "sendInSiteNotice").length,
    );
  });

  it.each<[string, Record<string, unknown>]>([
    ["title of exactly 100", { title: "x".repeat(100) }],
    ["title of 50 emoji (100 UTF-16 units)", { title: "😀".repeat(50) }],
    ["content of exactly 1024", { content: "x".repeat(1024) }],
    ["100 user names", { user_names: Array.from({ length: 100 }, (_, i) => `u${i}`) }],
    ["20 org codes and no users", { user_names: undefined, org_codes: Array.from({ length: 20 }, (_, i) => `o${i}`) }],
    ["all true without lists", { user_names: undefined, all: true }],
    ["empty users but an org", { user_names: [], org_codes: ["10000"] }],
  ])("accepts %s (client and server agree)", async (_n, change) => {
    await expect(client().sendInSiteNotice(notice(change))).resolves.toHaveProperty("notice_id");
  });

  it("ignores unknown fields (which is why the client refuses them)", async () => {
    expect(await codeOf(unchecked().sendInSiteNotice(notice({ userNames: ["x"] })))).toBe("resolved");
    expect(
      await client()
        .sendInSiteNotice(notice({ userNames: ["x"] }))
        .catch((e: unknown) => e),
    ).toBeInstanceOf(ValidationError);
  });

  it("checks in the server's order: emptiness before lengths before recipients", async () => {
    expect(await codeOf(unchecked().sendInSiteNotice(notice({ title: "", content: "", user_names: undefined })))).toBe("NOTICE.0004");
    expect(await codeOf(unchecked().sendInSiteNotice(notice({ title: "x".repeat(101), content: "" })))).toBe("NOTICE.0005");
    expect(await codeOf(unchecked().sendInSiteNotice(notice({ title: "x".repeat(101), user_names: undefined })))).toBe("NOTICE.0007");
  });

  it("COM.0601 for bad JSON, a non-object body, a missing body and a non-JSON content type", async () => {
    expect(await rawSend("{not json")).toMatchObject({ status: 400, body: { error_code: "COM.0601" } });
    expect(await rawSend("[1,2]")).toMatchObject({ status: 400, body: { error_code: "COM.0601" } });
    expect(await rawSend("")).toMatchObject({ status: 400, body: { error_code: "COM.0601" } });
    expect(await rawSend(JSON.stringify(notice()), { contentType: "text/plain" })).toMatchObject({
      status: 400,
      body: { error_code: "COM.0601" },
    });
    expect(state().notices).toHaveLength(0);
  });

  it("the daily quota is counted per calendar day in China time (UTC+8)", async () => {
    const dayClock = new ManualClock(Date.parse("2026-03-02T15:59:59.000Z")); // 23:59:59 in Beijing
    const small = createEiamSimulator({ dailyQuota: 1, clock: dayClock });
    const s = await startVendorServer(small);
    try {
      const eiam = createEiamClient({ baseUrl: s.url, ...small.credentials, logger: silent });
      await eiam.sendInSiteNotice(notice());
      expect(await codeOf(eiam.sendInSiteNotice(notice()))).toBe("NOTICE.INSITE.0003");
      dayClock.advance(999);
      expect(await codeOf(eiam.sendInSiteNotice(notice()))).toBe("NOTICE.INSITE.0003");
      dayClock.advance(1); // 00:00:00 the next day in Beijing
      await expect(eiam.sendInSiteNotice(notice())).resolves.toHaveProperty("notice_id");
    } finally {
      await s.close();
    }
  });

  it("NOTICE.INSITE.0003 past the daily quota; nothing is retried", async () => {
    // Noon in China: the quota's day cannot turn during the test.
    const small = createEiamSimulator({ dailyQuota: 2, clock: new ManualClock(Date.parse("2026-03-02T04:00:00Z")) });
    const s = await startVendorServer(small);
    try {
      const eiam = createEiamClient({ baseUrl: s.url, ...small.credentials, logger: silent });
      await eiam.sendInSiteNotice(notice());
      await eiam.sendInSiteNotice(notice());
      const e = (await eiam.sendInSiteNotice(notice()).catch((x: unknown) => x)) as EiamApiError;
      expect(e).toBeInstanceOf(EiamApiError);
      expect(e.code).toBe("NOTICE.INSITE.0003");
      expect(e.status).toBe(400);
      expect(s.requests.filter((r) => r.operationId === "sendInSiteNotice")).toHaveLength(3);
      expect((small.state() as { notices: unknown[] }).notices).toHaveLength(2);
    } finally {
      await s.close();
    }
  });
});

describe("EIAM simulator: getSendResult", () => {
  it("NOTICE.0001 for an unknown notice", async () => {
    const e = (await client()
      .getInSiteNoticeSendResult("20220809161411767-9524-8618BA3BB")
      .catch((x: unknown) => x)) as EiamApiError;
    expect(e).toBeInstanceOf(EiamApiError);
    expect(e.code).toBe("NOTICE.0001");
    expect(e.message).toContain("通知不存在");
  });
});

describe("EIAM simulator: unknown paths, wrong methods, large bodies", () => {
  it("404 for an unknown tenant path and 405 for a wrong method (after the token check), Spring's shape", async () => {
    const a = await rawSend("{}", { path: "/api/v2/tenant/notice/insite/sendNow" });
    expect(a).toMatchObject({ status: 404, body: { status: 404, error: "Not Found" } });
    const b = await rawSend("", { method: "GET" });
    expect(b).toMatchObject({ status: 405, body: { error: "Method Not Allowed" } });
    const c = await rawSend("", { method: "GET", token: null });
    expect(c.body.error).toBe("invalid_request");
  });

  it("through the client's .raw (authenticated), an unknown path is the Spring 404", async () => {
    const res = await (client().raw.GET as (path: string) => ReturnType<ReturnType<typeof client>["raw"]["GET"]>)(
      "/api/v2/tenant/notice/insite/list",
    );
    expect(res.response.status).toBe(404);
    expect(res.error).toMatchObject({ error: "Not Found" });
  });

  it("a notice id with a slash stays one path segment (NOTICE.0001, not 404)", async () => {
    expect(await codeOf(client().getInSiteNoticeSendResult("a/b"))).toBe("NOTICE.0001");
  });

  it("413 for a body over 1 MiB", async () => {
    const res = await rawSend(JSON.stringify(notice({ content: "x".repeat(1_100_000) })));
    expect(res.status).toBe(413);
  });
});

describe("EIAM simulator: faults and the non-idempotent send", () => {
  it("a 503 before processing: the send is not re-sent by the client, and nothing was sent", async () => {
    server.addFault({ operation: "sendInSiteNotice", status: 503, nth: 1 });
    const e = (await client()
      .sendInSiteNotice(notice())
      .catch((x: unknown) => x)) as EiamApiError;
    expect(e.status).toBe(503);
    expect(state().notices).toHaveLength(0);
  });

  it("an answer lost after processing: NetworkError saying it may have reached the server; exactly one notice exists", async () => {
    server.addFault({ operation: "sendInSiteNotice", action: "drop", after: true, nth: 1 });
    const e = (await client()
      .sendInSiteNotice(notice())
      .catch((x: unknown) => x)) as NetworkError;
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.mayHaveReachedServer).toBe(true);
    expect(state().notices).toHaveLength(1);
    expect(server.requests.filter((r) => r.operationId === "sendInSiteNotice")).toHaveLength(1);
  });

  it("429 + Retry-After before processing: the client retries and exactly one notice exists", async () => {
    server.addFault({ operation: "sendInSiteNotice", status: 429, retryAfter: "0", nth: 1 });
    await client().sendInSiteNotice(notice());
    expect(state().notices).toHaveLength(1);
  });

  it("getSendResult is retried through 503s and an HTML page", async () => {
    const eiam = client();
    const { notice_id } = await eiam.sendInSiteNotice(notice());
    server.addFault({ operation: "getInSiteNoticeSendResult", status: 503, times: 1 });
    server.addFault({ operation: "getInSiteNoticeSendResult", status: 502, action: "html", times: 1 });
    expect((await eiam.getInSiteNoticeSendResult(notice_id)).status).toMatch(/UNSENT|SENDING|FINISHED/);
  });

  it("a malformed success body is a ResponseShapeError", async () => {
    const eiam = client();
    const { notice_id } = await eiam.sendInSiteNotice(notice());
    server.addFault({ operation: "getInSiteNoticeSendResult", action: "malformed-json", status: 200, times: 1 });
    const e = await eiam.getInSiteNoticeSendResult(notice_id).catch((x: unknown) => x);
    expect((e as { kind?: string }).kind).toBe("response-shape");
  });
});

describe("every example of the spec, sent through the client, gets the vendor's answer", () => {
  const doc = parse(readFileSync(fileURLToPath(new URL("../../../specs/bamboocloud-eiam.yaml", import.meta.url)), "utf8")) as any;
  const send = doc.paths[SEND].post;
  const requestExamples = Object.entries(send.requestBody.content["application/json"].examples) as Array<
    [string, { value: SendInSiteNoticeRequest }]
  >;

  it.each(requestExamples)("request example %s is accepted with a noitce_id", async (_name, ex) => {
    const raw = await rawSend(JSON.stringify(ex.value));
    expect(raw.status).toBe(200);
    expect(raw.body).toHaveProperty("noitce_id");
    const sent = await client().sendInSiteNotice(ex.value);
    expect(sent.notice_id).toMatch(/^\d{17}-/);
  });

  it("the seed's error example is exactly what a title-less send gets", async () => {
    const seedError = send.responses["400"].content["application/json"].examples.seedTitleEmpty.value;
    const { seedRequest } = send.requestBody.content["application/json"].examples;
    const res = await rawSend(JSON.stringify({ ...seedRequest.value, title: "" }));
    expect(res).toEqual({ status: 400, body: seedError });
  });

  it("the 400 examples' codes are what the matching requests get", async () => {
    const ex = send.responses["400"].content["application/json"].examples;
    expect((await rawSend(JSON.stringify(notice({ user_names: undefined })))).body.error_code).toBe(ex.noRecipients.value.error_code);
    expect((await rawSend(JSON.stringify(notice()), { token: "unknown" })).body.error).toBe(ex.invalidToken.value.error);
  });

  it("getSendResult's examples: the path example is unknown here (NOTICE.0001, exactly the documented body); a fresh notice ends FINISHED", async () => {
    const get = doc.paths["/api/v2/tenant/notice/insite/{notice_id}/getSendResult"].get;
    const t = (await token()).body.access_token;
    const res = await fetch(`${server.url}/api/v2/tenant/notice/insite/${get.parameters[0].example}/getSendResult`, {
      headers: { authorization: `Bearer ${t}`, "content-type": "application/json; charset=utf-8" },
    });
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 400,
      body: get.responses["400"].content["application/json"].examples.noticeNotFound.value,
    });
    const eiam = client();
    const { notice_id } = await eiam.sendInSiteNotice(notice());
    clock.advance(400);
    expect(await eiam.getInSiteNoticeSendResult(notice_id)).toEqual(
      get.responses["200"].content["application/json"].examples.vendorDocs.value,
    );
  });

  it("the token example's shape is what the token endpoint answers", async () => {
    const ex = doc.paths["/api/v2/tenant/token"].post.responses["200"].content["application/json"].examples.vendorDocs.value;
    const res = await token();
    expect(Object.keys(res.body).sort()).toEqual(Object.keys(ex).sort());
  });
});
