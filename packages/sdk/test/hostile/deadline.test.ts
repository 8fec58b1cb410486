/**
 * Item 3 of the trust issue: one deadline for the whole call. `timeoutMs` and the caller's signal
 * bound the token/session fetch, every attempt, every retry wait and ZStack job polling, which also
 * stops at `maxPollMs` whatever `apiTimeout` the server claims. Out-of-range timeouts fail at
 * construction. The servers here stall for far longer than any test may take: a call that is not
 * bounded fails by the test's own timeout.
 */
import { describe, expect, it } from "vitest";
import {
  ApiError,
  ConfigurationError,
  TimeoutError,
  createEiamClient,
  createEnosClient,
  createSignalBridge,
  createZStackClient,
} from "../../src/index.js";
import { hostileServers, json } from "./server.js";
import { TRANSPORTS } from "./transports.js";

const start = hostileServers();
const STALL_MS = 60_000;
const stall = () => new Promise<void>((r) => setTimeout(r, STALL_MS).unref());
const NOTICE = { title: "t", content: "c", message_type: "TEXT" as const, user_names: ["zhangsan"] };
const SESSION = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const JOB = "0123456789abcdef0123456789abcdef";

describe.each(TRANSPORTS)("over %s", (_name, transport) => {
  describe("the token fetch is inside the call's deadline", () => {
    it("EIAM: a token endpoint that never answers ends the call at timeoutMs; the notice was not sent", { timeout: 20_000 }, async () => {
      const evil = await start(async (req, res) => {
        if (req.url === "/api/v2/tenant/token") await stall();
        json(res, 200, { notice_id: "n" });
      });
      const eiam = createEiamClient({ ...transport, baseUrl: evil.url, clientId: "cid", clientSecret: "client-secret", logLevel: "off" });
      const err = await eiam.sendInSiteNotice(NOTICE, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect(err).toMatchObject({ timeoutMs: 300, mayHaveReachedServer: false, operation: "sendInSiteNotice" });
      expect(evil.requests.map((r) => r.url)).toEqual(["/api/v2/tenant/token"]);
    });

    it("EnOS: the caller's AbortSignal ends a stalled token fetch at once, with the caller's reason", { timeout: 20_000 }, async () => {
      const evil = await start(async (_req, res) => {
        await stall();
        json(res, 200, {});
      });
      const enos = createEnosClient({
        ...transport,
        baseUrl: evil.url,
        appKey: "5acb82e7-a11e-4300-9164-c8b20b638e8b",
        appSecret: "sk-secret",
        orgId: "o1",
        logLevel: "off",
      });
      const controller = new AbortController();
      const call = enos.searchMessageRules({ ruleIds: [] }, { signal: controller.signal });
      while (evil.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      controller.abort(new Error("caller gave up"));
      await expect(call).rejects.toThrow("caller gave up");
    });

    it("ZStack: a login that never answers ends the call at timeoutMs", { timeout: 20_000 }, async () => {
      const evil = await start(async (_req, res) => {
        await stall();
        json(res, 200, {});
      });
      const zs = createZStackClient({
        ...transport,
        baseUrl: `${evil.url}/zstack`,
        auth: { accountName: "admin", password: "pw-stall" },
        logLevel: "off",
      });
      const err = await zs.queryDingTalkAtPersons({}, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect(err).toMatchObject({ mayHaveReachedServer: false });
    });
  });

  describe("ZStack job polling is bounded", () => {
    /** Accepts the submit, then answers every poll "still running" with an apiTimeout of years. */
    const foreverRunning = () =>
      start((req, res) => {
        if (req.method === "POST")
          return json(res, 202, { location: `http://127.0.0.1:1/zstack/v1/api-jobs/${JOB}`, apiTimeout: 10 ** 12 });
        json(res, 202, { location: `/zstack/v1/api-jobs/${JOB}`, apiTimeout: 10 ** 12 });
      });
    const add = { phoneNumber: "+86-13800001111", endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6" };

    it("stops at maxPollMs whatever apiTimeout the server claims", { timeout: 20_000 }, async () => {
      const evil = await foreverRunning();
      const zs = createZStackClient({
        ...transport,
        baseUrl: `${evil.url}/zstack`,
        auth: { sessionUuid: SESSION },
        logLevel: "off",
        timeoutMs: 60_000,
        poll: { maxPollMs: 300, initialIntervalMs: 20, maxIntervalMs: 50 },
      });
      const err = await zs.addDingTalkAtPerson(add).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect((err as Error).message).toMatch(/stopped by maxPollMs \(300 ms\)/);
      expect((err as Error).message).toContain(JOB);
    });

    it("stops at the call's deadline, which the submit and every poll share", { timeout: 20_000 }, async () => {
      const evil = await foreverRunning();
      const zs = createZStackClient({
        ...transport,
        baseUrl: `${evil.url}/zstack`,
        auth: { sessionUuid: SESSION },
        logLevel: "off",
        poll: { initialIntervalMs: 20, maxIntervalMs: 50 },
      });
      const err = await zs.addDingTalkAtPerson(add, { timeoutMs: 400 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect((err as Error).message).toMatch(/the call's deadline/);
    });

    it("a poll that stalls is cut by the same deadline", { timeout: 20_000 }, async () => {
      const evil = await start(async (req, res) => {
        if (req.method === "POST") return json(res, 202, { location: `/zstack/v1/api-jobs/${JOB}` });
        await stall();
        json(res, 200, {});
      });
      const zs = createZStackClient({ ...transport, baseUrl: `${evil.url}/zstack`, auth: { sessionUuid: SESSION }, logLevel: "off" });
      const err = await zs.addDingTalkAtPerson(add, { timeoutMs: 400 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect(err).toMatchObject({ mayHaveReachedServer: true });
    });

    it("the caller's signal ends polling at once", { timeout: 20_000 }, async () => {
      const evil = await foreverRunning();
      const zs = createZStackClient({
        ...transport,
        baseUrl: `${evil.url}/zstack`,
        auth: { sessionUuid: SESSION },
        logLevel: "off",
        poll: { initialIntervalMs: 20, maxIntervalMs: 20 },
      });
      const controller = new AbortController();
      const call = zs.addDingTalkAtPerson(add, { signal: controller.signal });
      while (evil.requests.length < 3) await new Promise((r) => setTimeout(r, 5));
      controller.abort(new Error("stop polling"));
      await expect(call).rejects.toThrow("stop polling");
    });

    it("refuses a poll interval under the minimum, so a server answering 202 at once cannot cause a busy loop", () => {
      const base = { baseUrl: "http://127.0.0.1:8080/zstack", auth: { sessionUuid: SESSION } };
      expect(() => createZStackClient({ ...transport, ...base, poll: { initialIntervalMs: 0 } })).toThrow(
        /poll\.initialIntervalMs must be a whole number of ms from 5/,
      );
      expect(() => createZStackClient({ ...transport, ...base, poll: { initialIntervalMs: 50, maxIntervalMs: 10 } })).toThrow(
        /poll\.maxIntervalMs/,
      );
      expect(() => createZStackClient({ ...transport, ...base, poll: { maxPollMs: 0 } })).toThrow(/poll\.maxPollMs/);
    });
  });

  describe("retry waits are inside the deadline", () => {
    it("a Retry-After longer than the time left is not waited for: the answer is returned at once", { timeout: 20_000 }, async () => {
      const evil = await start((_req, res) =>
        json(res, 503, { error: { code: "SYS.1006", description: "busy" } }, { "retry-after": "20" }),
      );
      const zs = createZStackClient({
        ...transport,
        baseUrl: `${evil.url}/zstack`,
        auth: { sessionUuid: SESSION },
        logLevel: "off",
        retry: { maxRetryAfterMs: 30_000 },
      });
      const err = await zs.queryDingTalkAtPersons({}, { timeoutMs: 2_000 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(evil.requests).toHaveLength(1);
    });
  });

  describe("timeoutMs is checked at construction", () => {
    const bad = [0, -1, 1.5, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY];
    it.each(bad)("timeoutMs %s is a ConfigurationError naming the option and the range", (timeoutMs) => {
      const make = () => createEiamClient({ ...transport, baseUrl: "http://127.0.0.1:8080", accessToken: "tok", timeoutMs });
      expect(make).toThrow(ConfigurationError);
      expect(make).toThrow(/timeoutMs must be a whole number of milliseconds from 1 to 2147483647/);
      expect(() => createSignalBridge({ timeoutMs, eiam: { baseUrl: "http://127.0.0.1:8080", accessToken: "tok" } })).toThrow(
        ConfigurationError,
      );
    });

    it("accepts both ends of the range", () => {
      for (const timeoutMs of [1, 2 ** 31 - 1])
        expect(() => createEiamClient({ ...transport, baseUrl: "http://127.0.0.1:8080", accessToken: "tok", timeoutMs })).not.toThrow();
    });

    it.each(["0", "-5", "1.5", "2147483648", "soon"])("SIGNALBRIDGE_TIMEOUT_MS=%s is a ConfigurationError naming the variable", (value) => {
      const env = {
        SIGNALBRIDGE_TIMEOUT_MS: value,
        SIGNALBRIDGE_EIAM_BASE_URL: "http://127.0.0.1:8080",
        SIGNALBRIDGE_EIAM_ACCESS_TOKEN: "tok",
      };
      expect(() => createSignalBridge.fromEnv(env)).toThrow(ConfigurationError);
      expect(() => createSignalBridge.fromEnv(env)).toThrow(/SIGNALBRIDGE_TIMEOUT_MS/);
    });

    it("a per-call timeoutMs out of range is refused before anything is sent", async () => {
      const evil = await start((_req, res) => json(res, 200, { notice_id: "n" }));
      const eiam = createEiamClient({ ...transport, baseUrl: evil.url, accessToken: "tok", logLevel: "off" });
      await expect(eiam.sendInSiteNotice(NOTICE, { timeoutMs: 0 })).rejects.toThrow(/call\.timeoutMs must be a whole number/);
      expect(evil.requests).toHaveLength(0);
    });
  });
});
