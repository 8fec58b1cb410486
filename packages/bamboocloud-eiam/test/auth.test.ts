import { AuthenticationError } from "@signalbridge/core";
import type { TestServer } from "@signalbridge/testkit";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createEiamClient, EiamAuthenticationError, type EiamClientOptions } from "../src/index.js";
import { businessCalls, CLIENT_ID, CLIENT_SECRET, NOTICE, startEiam, tokenCalls } from "./helpers.js";

const servers: TestServer[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function eiam(...args: Parameters<typeof startEiam>) {
  const s = await startEiam(...args);
  servers.push(s);
  return s;
}
const client = (s: { url: string }, extra: Partial<EiamClientOptions> = {}) =>
  createEiamClient({ baseUrl: s.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...extra });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("token cache", () => {
  test("one token for sequential calls", async () => {
    const s = await eiam(() => ({ body: { status: "FINISHED" } }));
    const c = client(s);
    for (let i = 0; i < 5; i++) await c.getInSiteNoticeSendResult("N");
    expect(tokenCalls(s)).toHaveLength(1);
    expect(businessCalls(s)).toHaveLength(5);
  });

  test("one token fetch for many concurrent calls (single flight)", async () => {
    // a slow token endpoint makes the race real
    const slow = await eiam(() => ({ body: { noitce_id: "X" } }), {
      tokenReply: async () => {
        await sleep(50);
        return { body: { access_token: "slow-token-1", expires_in: 1800 } };
      },
    });
    const c = client(slow);
    await Promise.all(Array.from({ length: 10 }, () => c.sendInSiteNotice(NOTICE)));
    expect(tokenCalls(slow)).toHaveLength(1);
    expect(businessCalls(slow)).toHaveLength(10);
    for (const r of businessCalls(slow)) expect(r.headers.authorization).toBe("Bearer slow-token-1");
  });

  test("a missing expires_in means the documented 1800 s: the token is kept", async () => {
    const s = await eiam(() => ({ body: { status: "FINISHED" } }), {
      tokenReply: () => ({ body: { access_token: "no-expiry-token", token_type: "bearer" } }),
    });
    const c = client(s);
    await c.getInSiteNoticeSendResult("N");
    await c.getInSiteNoticeSendResult("N");
    expect(tokenCalls(s)).toHaveLength(1);
  });

  // The token's age is set by the test, not by how fast a loaded machine makes the calls: only
  // Date is faked (timers and sockets stay real), before the client reads the clock.
  test("renewed ahead of expiry (at most half the lifetime ahead)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const s = await eiam(() => ({ body: { status: "FINISHED" } }), { expiresIn: 1 });
    const c = client(s);
    await c.getInSiteNoticeSendResult("N");
    vi.setSystemTime(Date.now() + 499);
    await c.getInSiteNoticeSendResult("N");
    expect(tokenCalls(s)).toHaveLength(1); // still within the first half second
    vi.setSystemTime(Date.now() + 101);
    await c.getInSiteNoticeSendResult("N");
    expect(tokenCalls(s)).toHaveLength(2);
    expect(businessCalls(s)[2]!.headers.authorization).toBe(`Bearer ${s.issued[1]}`);
  });

  test("tokenRefreshAheadMs is honoured", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const s = await eiam(() => ({ body: { status: "FINISHED" } }), { expiresIn: 1 });
    const c = client(s, { tokenRefreshAheadMs: 0 });
    await c.getInSiteNoticeSendResult("N");
    vi.setSystemTime(Date.now() + 999);
    await c.getInSiteNoticeSendResult("N");
    expect(tokenCalls(s)).toHaveLength(1);
  });
});

describe("expired token answer (400 invalid_token)", () => {
  test("renews the token once and re-sends the notice, which is then accepted once", async () => {
    const s = await eiam(() => ({ body: { noitce_id: "X" } }));
    const c = client(s);
    await c.sendInSiteNotice(NOTICE);
    // the server forgets the token (as after its expiry): only a newer one will do
    s.issued.push("server-side-rotation");
    const sent = await c.sendInSiteNotice(NOTICE);
    expect(sent).toEqual({ notice_id: "X" });
    const sends = businessCalls(s);
    expect(sends).toHaveLength(3);
    expect(sends[1]!.headers.authorization).toBe(`Bearer ${s.issued[0]}`); // refused
    expect(sends[2]!.headers.authorization).toBe(`Bearer ${s.issued[2]}`); // renewed
    expect(tokenCalls(s)).toHaveLength(2);
  });

  test("renews only once: a fresh token refused again is an EiamAuthenticationError", async () => {
    const s = await eiam(() => ({ status: 400, body: { error: "invalid_token", error_description: "Invalid access" } }));
    const e = (await client(s)
      .sendInSiteNotice(NOTICE)
      .catch((x: unknown) => x)) as EiamAuthenticationError;
    expect(e).toBeInstanceOf(EiamAuthenticationError);
    expect(e.code).toBe("invalid_token");
    expect(businessCalls(s)).toHaveLength(2);
    expect(tokenCalls(s)).toHaveLength(2);
  });

  test("a 401 on a resource call is treated the same way (renew once)", async () => {
    const s = await eiam((_r, i) => (i === 1 ? { status: 401, body: "Unauthorized" } : { body: { status: "SENDING" } }));
    const r = await client(s).getInSiteNoticeSendResult("N");
    expect(r.status).toBe("SENDING");
    expect(tokenCalls(s)).toHaveLength(2);
  });

  test("concurrent calls refused with the same stale token renew it once", async () => {
    const s = await eiam(() => ({ body: { status: "FINISHED" } }));
    const c = client(s);
    await c.getInSiteNoticeSendResult("N");
    s.issued.push("rotated");
    await Promise.all(Array.from({ length: 5 }, () => c.getInSiteNoticeSendResult("N")));
    expect(tokenCalls(s)).toHaveLength(2);
  });

  test("a given accessToken plus client credentials: the token is used first, then replaced when refused", async () => {
    const s = await eiam(() => ({ body: { noitce_id: "X" } }));
    s.issued.push("server-current-token");
    const c = client(s, { accessToken: "given-but-stale-token" });
    await c.sendInSiteNotice(NOTICE);
    const sends = businessCalls(s);
    expect(sends[0]!.headers.authorization).toBe("Bearer given-but-stale-token");
    expect(sends[1]!.headers.authorization).toBe(`Bearer ${s.issued[1]}`);
    expect(tokenCalls(s)).toHaveLength(1);
  });

  test("a business 400 does not renew the token", async () => {
    const s = await eiam(() => ({ status: 400, body: { error_code: "NOTICE.INSITE.0003", error_msg: "limit" } }));
    await client(s)
      .sendInSiteNotice(NOTICE)
      .catch(() => undefined);
    expect(tokenCalls(s)).toHaveLength(1);
    expect(businessCalls(s)).toHaveLength(1);
  });

  test("wrong client credentials surface as AuthenticationError from any call", async () => {
    const s = await eiam(() => ({ body: {} }), {
      tokenReply: () => ({ status: 401, body: { error: "invalid_client", error_description: "Bad client credentials" } }),
    });
    const e = await client(s)
      .getInSiteNoticeSendResult("N")
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthenticationError);
    expect(tokenCalls(s)).toHaveLength(1); // a 401 is final, even for the idempotent token fetch
  });
});
