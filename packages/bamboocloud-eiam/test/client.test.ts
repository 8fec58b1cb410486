import { Buffer } from "node:buffer";
import {
  ApiError,
  AuthenticationError,
  ConfigurationError,
  NetworkError,
  ResponseShapeError,
  SignalBridgeError,
  ValidationError,
} from "@signalbridge/core";
import { plainHttpRuleMismatches, recordingLogger, refusedUrl, startTestServer, type TestServer } from "@signalbridge/testkit";
import { afterEach, describe, expect, test } from "vitest";
import { createEiamClient, EiamApiError, EiamAuthenticationError, errorCatalog, type EiamClientOptions } from "../src/index.js";
import { businessCalls, CLIENT_ID, CLIENT_SECRET, NOTICE, resultPath, SEND_PATH, startEiam, TOKEN_PATH, tokenCalls } from "./helpers.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function eiam(...args: Parameters<typeof startEiam>) {
  const s = await startEiam(...args);
  servers.push(s);
  return s;
}
const client = (s: { url: string }, extra: Partial<EiamClientOptions> = {}) =>
  createEiamClient({ baseUrl: s.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, retry: { initialDelayMs: 5 }, ...extra });

describe("sendInSiteNotice on the wire", () => {
  test("fetches a token with Basic client credentials and a form body, then posts the notice with the bearer token", async () => {
    const s = await eiam(() => ({ body: { noitce_id: "20220809161411767-9524-8618BA3BB" } }));
    const sent = await client(s).sendInSiteNotice(NOTICE);
    expect(sent).toEqual({ notice_id: "20220809161411767-9524-8618BA3BB" });

    expect(s.requests).toHaveLength(2);
    const [token, send] = s.requests;
    expect(token!.method).toBe("POST");
    expect(token!.rawPath).toBe(TOKEN_PATH);
    expect(token!.headers.authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`);
    expect(token!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(token!.body).toBe("grant_type=client_credentials");

    expect(send!.method).toBe("POST");
    expect(send!.rawPath).toBe(SEND_PATH);
    expect(send!.headers.authorization).toBe(`Bearer ${s.issued[0]}`);
    expect(send!.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(send!.json()).toEqual(NOTICE);
  });

  test("returns notice_id whichever spelling the server used, keeping other fields", async () => {
    const answers = [{ noitce_id: "A-1" }, { notice_id: "B-2" }, { notice_id: "C-3", noitce_id: "C-3" }, { noitce_id: "D-4", extra: 1 }];
    const s = await eiam((_r, i) => ({ body: answers[i - 1] }));
    const c = client(s);
    expect(await c.sendInSiteNotice(NOTICE)).toEqual({ notice_id: "A-1" });
    expect(await c.sendInSiteNotice(NOTICE)).toEqual({ notice_id: "B-2" });
    expect(await c.sendInSiteNotice(NOTICE)).toEqual({ notice_id: "C-3" });
    expect(await c.sendInSiteNotice(NOTICE)).toEqual({ notice_id: "D-4", extra: 1 });
    expect(tokenCalls(s)).toHaveLength(1);
  });

  test("sends exactly the fields given (all: true, no recipient lists; MARKDOWN)", async () => {
    const s = await eiam(() => ({ body: { noitce_id: "X" } }));
    await client(s).sendInSiteNotice({ title: "t", content: "**c**", message_type: "MARKDOWN", all: true });
    expect(businessCalls(s)[0]!.body).toBe('{"title":"t","content":"**c**","message_type":"MARKDOWN","all":true}');
  });

  test("a caller-supplied accessToken is used as is: no token request", async () => {
    const s = await eiam(() => ({ body: { noitce_id: "X" } }));
    const c = createEiamClient({ baseUrl: s.url, accessToken: "given-token-1234" });
    await c.sendInSiteNotice(NOTICE);
    expect(tokenCalls(s)).toHaveLength(0);
    expect(s.requests[0]!.headers.authorization).toBe("Bearer given-token-1234");
  });

  test("per-call headers are sent; auth and content type stay the vendor's", async () => {
    const s = await eiam(() => ({ body: { noitce_id: "X" } }));
    await client(s).sendInSiteNotice(NOTICE, { headers: { "x-trace": "abc" } });
    const send = businessCalls(s)[0]!;
    expect(send.headers["x-trace"]).toBe("abc");
    expect(send.headers["content-type"]).toBe("application/json; charset=utf-8");
  });
});

describe("getInSiteNoticeSendResult on the wire", () => {
  test("GETs the notice's getSendResult with the bearer token and returns the status", async () => {
    const s = await eiam(() => ({ body: { status: "SENDING" } }));
    const result = await client(s).getInSiteNoticeSendResult("20220809161411767-9524-8618BA3BB");
    expect(result).toEqual({ status: "SENDING" });
    const get = businessCalls(s)[0]!;
    expect(get.method).toBe("GET");
    expect(get.rawPath).toBe(resultPath("20220809161411767-9524-8618BA3BB"));
    expect(get.headers.authorization).toBe(`Bearer ${s.issued[0]}`);
    expect(get.body).toBe("");
  });

  test("percent-encodes the notice id as one path segment", async () => {
    const s = await eiam(() => ({ body: { status: "FINISHED" } }));
    await client(s).getInSiteNoticeSendResult("a/b c?d");
    expect(businessCalls(s)[0]!.rawPath).toBe(resultPath("a%2Fb%20c%3Fd"));
  });

  test.each(["UNSENT", "SENDING", "FINISHED"] as const)("status %s", async (status) => {
    const s = await eiam(() => ({ body: { status } }));
    expect((await client(s).getInSiteNoticeSendResult("N")).status).toBe(status);
  });
});

describe("errors", () => {
  test("a business error becomes EiamApiError with the trimmed code, the vendor's message and status", async () => {
    const s = await eiam(() => ({
      status: 400,
      headers: { "x-request-id": "req-42" },
      body: { error_code: " NOTICE.0004", error_msg: "通知标题不能为空" },
    }));
    const error = await client(s)
      .sendInSiteNotice(NOTICE)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EiamApiError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(SignalBridgeError);
    const e = error as EiamApiError;
    expect(e.kind).toBe("api");
    expect(e.code).toBe("NOTICE.0004");
    expect(e.shape).toBe("business");
    expect(e.status).toBe(400);
    expect(e.vendor).toBe("eiam");
    expect(e.operation).toBe("sendInSiteNotice");
    expect(e.requestId).toBe("req-42");
    expect(e.message).toContain("通知标题不能为空");
    expect(e.attempts).toBe(1);
    expect(errorCatalog["NOTICE.0004"].status).toBe(400);
  });

  test.each([
    ["COM.0601", "参数错误,缺少参数或者参数类型不正确"],
    ["NOTICE.0005", "Notice content cannot be empty"],
    ["NOTICE.0006", "Notification message type cannot be empty"],
    ["NOTICE.0007", "Notice title does not meet verification rules"],
    ["NOTICE.0008", "Notice content does not meet verification rules"],
    ["NOTICE.0010", "usernames"],
    ["NOTICE.0011", "organizations"],
    ["NOTICE.INSITE.0003", "exceeds the specification limit"],
    ["NOTICE.INSITE.0004", "scope cannot be empty"],
  ])("%s is parsed, not retried", async (code, msg) => {
    const s = await eiam(() => ({ status: 400, body: { error_code: code, error_msg: msg } }));
    const e = (await client(s)
      .sendInSiteNotice(NOTICE)
      .catch((x: unknown) => x)) as EiamApiError;
    expect(e).toBeInstanceOf(EiamApiError);
    expect(e.code).toBe(code);
    expect(e.message).toContain(msg);
    expect(businessCalls(s)).toHaveLength(1);
  });

  test("NOTICE.0001 for an unknown notice, not retried although the GET is idempotent", async () => {
    const s = await eiam(() => ({ status: 400, body: { error_code: "NOTICE.0001", error_msg: "通知不存在" } }));
    const e = (await client(s)
      .getInSiteNoticeSendResult("nope")
      .catch((x: unknown) => x)) as EiamApiError;
    expect(e).toBeInstanceOf(EiamApiError);
    expect(e.code).toBe("NOTICE.0001");
    expect(e.operation).toBe("getInSiteNoticeSendResult");
    expect(businessCalls(s)).toHaveLength(1);
  });

  test("an OAuth permission error becomes EiamApiError with the OAuth code", async () => {
    const s = await eiam(() => ({ status: 400, body: { error: "insufficient_scope", error_description: "not enough scope permission" } }));
    const e = (await client(s)
      .sendInSiteNotice(NOTICE)
      .catch((x: unknown) => x)) as EiamApiError;
    expect(e).toBeInstanceOf(EiamApiError);
    expect(e).not.toBeInstanceOf(AuthenticationError);
    expect(e.code).toBe("insufficient_scope");
    expect(e.shape).toBe("oauth");
    expect(e.message).toContain("not enough scope permission");
  });

  test("invalid_token with a caller-supplied token (cannot renew) becomes EiamAuthenticationError", async () => {
    const s = await startTestServer(() => ({ status: 400, body: { error: "invalid_token", error_description: "Invalid access" } }));
    servers.push(s);
    const c = createEiamClient({ baseUrl: s.url, accessToken: "stale-token-9999" });
    const e = (await c.sendInSiteNotice(NOTICE).catch((x: unknown) => x)) as EiamAuthenticationError;
    expect(e).toBeInstanceOf(EiamAuthenticationError);
    expect(e).toBeInstanceOf(AuthenticationError);
    expect(e.kind).toBe("authentication");
    expect(e.code).toBe("invalid_token");
    expect(e.status).toBe(400);
    expect(s.requests).toHaveLength(1);
  });

  test("401 invalid_client from the token endpoint: EiamAuthenticationError, the notice is never sent", async () => {
    const s = await eiam(() => ({ body: { noitce_id: "X" } }), {
      tokenReply: () => ({ status: 401, body: { error: "invalid_client", error_description: "Bad client credentials" } }),
    });
    const e = (await client(s)
      .sendInSiteNotice(NOTICE)
      .catch((x: unknown) => x)) as EiamAuthenticationError;
    expect(e).toBeInstanceOf(EiamAuthenticationError);
    expect(e.code).toBe("invalid_client");
    expect(e.status).toBe(401);
    expect(e.operation).toBe("getAccessToken");
    expect(e.message).toContain("Bad client credentials");
    expect(e.message).not.toContain(CLIENT_SECRET);
    expect(businessCalls(s)).toHaveLength(0);
  });

  test("400 unsupported_grant_type from the token endpoint is an EiamApiError", async () => {
    const s = await eiam(() => ({ body: {} }), {
      tokenReply: () => ({ status: 400, body: { error: "unsupported_grant_type", error_description: "grant_type not supported" } }),
    });
    const e = (await client(s)
      .getInSiteNoticeSendResult("N")
      .catch((x: unknown) => x)) as EiamApiError;
    expect(e).toBeInstanceOf(EiamApiError);
    expect(e.code).toBe("unsupported_grant_type");
  });

  test("an HTML error page becomes EiamApiError without a code", async () => {
    const s = await eiam(() => ({ status: 502, headers: { "content-type": "text/html" }, body: "<html><body>Bad Gateway</body></html>" }));
    const e = (await client(s)
      .sendInSiteNotice(NOTICE)
      .catch((x: unknown) => x)) as EiamApiError;
    expect(e).toBeInstanceOf(EiamApiError);
    expect(e.code).toBeUndefined();
    expect(e.shape).toBeUndefined();
    expect(e.status).toBe(502);
    expect(e.message).toContain("an HTML page");
    expect(businessCalls(s)).toHaveLength(1); // a send that may have been processed is not re-sent
  });

  test("a plain-text 4xx and an empty 404 become EiamApiError", async () => {
    const s = await eiam((_r, i) => (i === 1 ? { status: 404, body: "Not Found" } : { status: 404 }));
    const c = client(s);
    const a = (await c.getInSiteNoticeSendResult("N").catch((x: unknown) => x)) as EiamApiError;
    expect(a).toBeInstanceOf(EiamApiError);
    expect(a.message).toContain('"Not Found"');
    const b = (await c.getInSiteNoticeSendResult("N").catch((x: unknown) => x)) as EiamApiError;
    expect(b.message).toContain("empty body");
  });

  test("a Spring-style 500 body is not mistaken for an OAuth code; the send is not retried", async () => {
    const s = await eiam(() => ({
      status: 500,
      body: { timestamp: "2024-01-01", status: 500, error: "Internal Server Error", path: SEND_PATH },
    }));
    const e = (await client(s)
      .sendInSiteNotice(NOTICE)
      .catch((x: unknown) => x)) as EiamApiError;
    expect(e).toBeInstanceOf(EiamApiError);
    expect(e.code).toBeUndefined();
    expect(e.message).toContain("Internal Server Error");
    expect(businessCalls(s)).toHaveLength(1);
  });

  test("a success body the spec does not allow is a ResponseShapeError", async () => {
    const bodies: unknown[] = [{}, { noitce_id: 42 }, "OK"];
    const s = await eiam((_r, i) => ({ body: bodies[i - 1] }));
    const c = client(s);
    for (let i = 0; i < bodies.length; i++) {
      const e = await c.sendInSiteNotice(NOTICE).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ResponseShapeError);
      expect((e as ResponseShapeError).kind).toBe("response-shape");
    }
  });

  test("an unknown status value is a ResponseShapeError", async () => {
    const s = await eiam(() => ({ body: { status: "DONE" } }));
    const e = (await client(s)
      .getInSiteNoticeSendResult("N")
      .catch((x: unknown) => x)) as ResponseShapeError;
    expect(e).toBeInstanceOf(ResponseShapeError);
    expect(e.message).toContain("status");
  });

  test("validateResponses: false returns the body as received", async () => {
    const s = await eiam(() => ({ body: { status: "DONE" } }));
    const r = await client(s, { validateResponses: false }).getInSiteNoticeSendResult("N");
    expect(r.status).toBe("DONE");
  });
});

describe("validation: nothing reaches the server", () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ["empty title", { ...NOTICE, title: "" }, /body\.title: must not be empty/],
    ["title over 100", { ...NOTICE, title: "x".repeat(101) }, /body\.title: must be at most 100 characters \(got 101/],
    ["title of 51 emoji = 102 UTF-16 units", { ...NOTICE, title: "😀".repeat(51) }, /body\.title: must be at most 100 characters/],
    ["empty content", { ...NOTICE, content: "" }, /body\.content: must not be empty/],
    ["content over 1024", { ...NOTICE, content: "x".repeat(1025) }, /body\.content: must be at most 1024 characters/],
    ["missing message_type", { title: "t", content: "c", all: true }, /body\.message_type: is required/],
    ["unknown message_type", { ...NOTICE, message_type: "HTML" }, /body\.message_type: must be one of "TEXT", "MARKDOWN" \(got "HTML"\)/],
    [
      "101 user names",
      { ...NOTICE, user_names: Array.from({ length: 101 }, (_, i) => `u${i}`) },
      /body\.user_names: must have at most 100 items \(got 101/,
    ],
    [
      "21 org codes",
      { ...NOTICE, org_codes: Array.from({ length: 21 }, (_, i) => `o${i}`) },
      /body\.org_codes: must have at most 20 items/,
    ],
    [
      "no recipients, all absent",
      { title: "t", content: "c", message_type: "TEXT" },
      /user_names or org_codes must not be empty when `all` is not true/,
    ],
    [
      "no recipients, all false",
      { title: "t", content: "c", message_type: "TEXT", all: false, user_names: [], org_codes: [] },
      /user_names or org_codes must not be empty when `all` is not true/,
    ],
    ["misspelt field", { ...NOTICE, userNames: ["a"] }, /body\.userNames: is not a field of this request/],
    ["all as a string", { ...NOTICE, all: "false" }, /body\.all: must be boolean/],
    ["user name not a string", { ...NOTICE, user_names: [1] }, /body\.user_names\.0: must be string/],
  ];
  test.each(cases)("%s", async (_name, body, message) => {
    const s = await eiam(() => ({ body: { noitce_id: "X" } }));
    const e = (await client(s)
      .sendInSiteNotice(body as never)
      .catch((x: unknown) => x)) as ValidationError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.kind).toBe("validation");
    expect(e.message).toMatch(message);
    expect(e.message).toContain("nothing was sent");
    expect(e.violations.length).toBeGreaterThan(0);
    expect(s.requests).toHaveLength(0);
  });

  test.each<[string, Record<string, unknown>]>([
    ["title of exactly 100", { ...NOTICE, title: "x".repeat(100) }],
    ["title of 50 emoji = 100 UTF-16 units", { ...NOTICE, title: "😀".repeat(50) }],
    ["content of exactly 1024", { ...NOTICE, content: "x".repeat(1024) }],
    ["100 user names", { ...NOTICE, user_names: Array.from({ length: 100 }, (_, i) => `u${i}`) }],
    ["20 org codes only", { title: "t", content: "c", message_type: "TEXT", org_codes: Array.from({ length: 20 }, (_, i) => `o${i}`) }],
    ["all true without lists", { title: "t", content: "c", message_type: "TEXT", all: true }],
    ["all true with empty lists", { title: "t", content: "c", message_type: "TEXT", all: true, user_names: [], org_codes: [] }],
    ["empty user_names but an org", { title: "t", content: "c", message_type: "TEXT", user_names: [], org_codes: ["10000"] }],
  ])("accepted: %s", async (_name, body) => {
    const s = await eiam(() => ({ body: { noitce_id: "X" } }));
    await expect(client(s).sendInSiteNotice(body as never)).resolves.toEqual({ notice_id: "X" });
  });

  test("an empty notice id is refused before sending", async () => {
    const s = await eiam(() => ({ body: { status: "FINISHED" } }));
    const e = (await client(s)
      .getInSiteNoticeSendResult("")
      .catch((x: unknown) => x)) as ValidationError;
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.message).toMatch(/path\.notice_id: must not be empty/);
    expect(s.requests).toHaveLength(0);
  });

  test("validate: false sends whatever it is given", async () => {
    const s = await eiam(() => ({ status: 400, body: { error_code: "NOTICE.0004", error_msg: "通知标题不能为空" } }));
    const e = (await client(s, { validate: false })
      .sendInSiteNotice({ ...NOTICE, title: "" })
      .catch((x: unknown) => x)) as EiamApiError;
    expect(e.code).toBe("NOTICE.0004");
  });
});

describe("construction", () => {
  test.each<[string, Partial<EiamClientOptions>, RegExp]>([
    ["no credentials", {}, /eiam: clientId is required \(or pass accessToken\)/],
    ["clientId without secret", { clientId: CLIENT_ID }, /eiam: clientSecret is required/],
    ["secret without clientId", { clientSecret: CLIENT_SECRET }, /eiam: clientId is required/],
    ["blank accessToken", { accessToken: "  " }, /eiam: clientId is required/],
    ["negative refresh ahead", { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenRefreshAheadMs: -1 }, /tokenRefreshAheadMs/],
  ])("%s is refused at construction", async (_name, creds, message) => {
    const s = await eiam(() => ({ body: {} }));
    expect(() => createEiamClient({ baseUrl: s.url, ...creds })).toThrow(message);
    expect(() => createEiamClient({ baseUrl: s.url, ...creds })).toThrow(ConfigurationError);
    expect(s.requests).toHaveLength(0);
  });

  test("plain http to a non-loopback host is refused unless allowInsecureHttp (the shared table)", () => {
    expect(
      plainHttpRuleMismatches((baseUrl, allowInsecureHttp) =>
        createEiamClient({ baseUrl, allowInsecureHttp, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
      ),
    ).toEqual([]);
  });

  test("a missing or relative baseUrl is refused", () => {
    expect(() => createEiamClient({ baseUrl: "", accessToken: "abcd-1234" })).toThrow(/baseUrl is required/);
    expect(() => createEiamClient({ baseUrl: "acme.bccastle.com", accessToken: "abcd-1234" })).toThrow(/not an absolute URL/);
  });
});

describe("retries and failures", () => {
  test("asyncSend is not re-sent after a 503 (it may have been processed)", async () => {
    const s = await eiam(() => ({ status: 503, body: "Service Unavailable" }));
    const e = (await client(s)
      .sendInSiteNotice(NOTICE)
      .catch((x: unknown) => x)) as EiamApiError;
    expect(e).toBeInstanceOf(EiamApiError);
    expect(e.status).toBe(503);
    expect(businessCalls(s)).toHaveLength(1);
  });

  test("asyncSend is not re-sent after a dropped connection", async () => {
    const s = await eiam(() => ({ destroy: true }));
    const e = (await client(s)
      .sendInSiteNotice(NOTICE)
      .catch((x: unknown) => x)) as NetworkError;
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.mayHaveReachedServer).toBe(true);
    expect(businessCalls(s)).toHaveLength(1);
  });

  test("asyncSend is retried after 429 with Retry-After (not processed)", async () => {
    const s = await eiam((_r, i) =>
      i === 1 ? { status: 429, headers: { "retry-after": "0" }, body: "slow down" } : { body: { noitce_id: "X" } },
    );
    expect(await client(s).sendInSiteNotice(NOTICE)).toEqual({ notice_id: "X" });
    expect(businessCalls(s)).toHaveLength(2);
  });

  test("getSendResult is retried after 503 and a dropped connection (idempotent)", async () => {
    const s = await eiam((_r, i) => (i === 1 ? { status: 503 } : i === 2 ? { destroy: true } : { body: { status: "FINISHED" } }));
    const r = await client(s).getInSiteNoticeSendResult("N");
    expect(r.status).toBe("FINISHED");
    expect(businessCalls(s)).toHaveLength(3);
  });

  test("the token fetch is retried after a 503 (idempotent)", async () => {
    let n = 0;
    const s = await eiam(() => ({ body: { status: "FINISHED" } }), {
      tokenReply: () => (++n === 1 ? { status: 503 } : { body: { access_token: "tok-after-503", expires_in: 1800 } }),
    });
    await client(s).getInSiteNoticeSendResult("N");
    expect(tokenCalls(s)).toHaveLength(2);
    expect(businessCalls(s)[0]!.headers.authorization).toBe("Bearer tok-after-503");
  });

  test("connection refused: NetworkError that says nothing was sent", async () => {
    const url = await refusedUrl();
    const e = (await createEiamClient({ baseUrl: url, accessToken: "abcd-1234", retry: false })
      .sendInSiteNotice(NOTICE)
      .catch((x: unknown) => x)) as NetworkError;
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.mayHaveReachedServer).toBe(false);
  });

  test("a per-call timeout on a send throws TimeoutError and does not re-send", async () => {
    // The answer is held until the client has given up, so the timeout always wins; the token is
    // fetched first and the timeout is wide, so on a loaded machine the send still arrives in time.
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const s = await eiam(async () => {
      await held;
      return { body: { noitce_id: "X" } };
    });
    const c = client(s);
    await c.accessToken();
    const e = (await c.sendInSiteNotice(NOTICE, { timeoutMs: 1_000 }).catch((x: unknown) => x)) as SignalBridgeError;
    release();
    expect(e.kind).toBe("timeout");
    expect(businessCalls(s)).toHaveLength(1);
  });

  test("the caller's signal aborts the call", async () => {
    const s = await eiam(() => ({ delayMs: 300, body: { status: "FINISHED" } }));
    const controller = new AbortController();
    const p = client(s).getInSiteNoticeSendResult("N", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop")), 30);
    await expect(p).rejects.toThrow("stop");
  });
});

describe("no secret leaks", () => {
  test("debug logs, error messages and toJSON never contain the secret, the Basic value or a token", async () => {
    const { lines, logger } = recordingLogger();
    const s = await eiam((_r, i) =>
      i === 1
        ? { body: { noitce_id: "X" } }
        : { status: 400, body: { error: "access_denied", error_description: "Service not enabled within notice" } },
    );
    const c = client(s, { logger, logLevel: "debug" });
    await c.sendInSiteNotice(NOTICE);
    const e = (await c.sendInSiteNotice(NOTICE).catch((x: unknown) => x)) as EiamApiError;
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64");
    const everything = [...lines, e.message, JSON.stringify(e)].join("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [CLIENT_SECRET, basic, s.issued[0]!]) expect(everything).not.toContain(secret);
  });

  test("an error_description that echoes a token never reaches the message, the body or toJSON", async () => {
    const s = await startTestServer(() => ({
      status: 400,
      body: { error: "invalid_token", error_description: "Access token expired:some-other-process-token-5678" },
    }));
    servers.push(s);
    const c = createEiamClient({ baseUrl: s.url, accessToken: "given-token-abcdef" });
    const e = (await c.sendInSiteNotice(NOTICE).catch((x: unknown) => x)) as EiamAuthenticationError;
    expect(e).toBeInstanceOf(EiamAuthenticationError);
    for (const text of [e.message, JSON.stringify(e), JSON.stringify(e.body)]) {
      expect(text).not.toContain("some-other-process-token-5678");
      expect(text).not.toContain("given-token-abcdef");
    }
    expect(e.message).toContain("Access token expired:[redacted]");
  });
});

describe("raw client", () => {
  test(".raw is authenticated too and returns { data, error }", async () => {
    const s = await eiam((r) =>
      r.pathname.endsWith("/getSendResult")
        ? { body: { status: "UNSENT" } }
        : { status: 400, body: { error_code: "NOTICE.0004", error_msg: "x" } },
    );
    const c = client(s);
    const ok = await c.raw.GET("/api/v2/tenant/notice/insite/{notice_id}/getSendResult", { params: { path: { notice_id: "N" } } });
    expect(ok.data).toEqual({ status: "UNSENT" });
    const bad = await c.raw.POST("/api/v2/tenant/notice/insite/asyncSend", { body: { ...NOTICE, title: "" } });
    expect(bad.error).toEqual({ error_code: "NOTICE.0004", error_msg: "x" });
    expect(bad.response.status).toBe(400);
    for (const r of businessCalls(s)) expect(r.headers.authorization).toBe(`Bearer ${s.issued[0]}`);
  });

  test("accessToken() exposes the cached token", async () => {
    const s = await eiam(() => ({ body: {} }));
    const c = client(s);
    expect(await c.accessToken()).toBe(s.issued[0]);
    expect(await c.accessToken()).toBe(s.issued[0]);
    expect(tokenCalls(s)).toHaveLength(1);
  });
});
