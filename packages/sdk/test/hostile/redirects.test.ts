/**
 * Item 1 of the trust issue: a redirect is never followed. A server that answers a login, a token
 * request or a signed call with a 3xx to another origin must receive the credential itself only:
 * the other origin sees nothing, and the caller gets a RedirectError naming the status and the
 * target origin, sent once.
 */
import { describe, expect, it } from "vitest";
import { RedirectError, createEiamClient, createEnosClient, createZStackClient, isRedirectError } from "../../src/index.js";
import { hostileServers, json } from "./server.js";
import { TRANSPORTS } from "./transports.js";

const start = hostileServers();
const quiet = { logLevel: "off" as const, retry: { initialDelayMs: 1, maxDelayMs: 5 } };

/** Another origin (127.0.0.2) that records whatever reaches it and answers success. */
async function elsewhere() {
  return start(
    (_req, res) => json(res, 200, { inventory: { uuid: "stolen" }, status: 0, data: { accessToken: "x", expire: 7200 } }),
    "127.0.0.2",
  );
}

describe.each(TRANSPORTS)("over %s", (_name, transport) => {
  describe("redirects are never followed; nothing reaches another origin", () => {
    it.each([301, 302, 303, 307, 308])("ZStack login answered with %i: the password hash stays here", async (status) => {
      const other = await elsewhere();
      const evil = await start((_req, res) => {
        res.writeHead(status, { location: `${other.origin}/zstack/v1/accounts/login?token=abc` });
        res.end();
      });
      const zs = createZStackClient({
        ...transport,
        baseUrl: `${evil.url}/zstack`,
        auth: { accountName: "admin", password: "hunter2-password" },
        ...quiet,
      });
      const err = await zs.queryDingTalkAtPersons().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RedirectError);
      expect(isRedirectError(err)).toBe(true);
      expect(err).toMatchObject({
        kind: "redirect",
        status,
        targetOrigin: other.origin,
        mayHaveReachedServer: true,
        operation: "LogInByAccount",
      });
      expect((err as Error).message).toContain(other.origin);
      expect((err as Error).message).not.toContain("token=abc");
      expect(other.requests).toHaveLength(0);
      expect(evil.requests).toHaveLength(1); // never re-sent, though login is retried on other failures
    });

    it("an EnOS signed call answered with 307/308: no apim-accesstoken, apim-signature or body goes along", async () => {
      for (const status of [307, 308]) {
        const other = await elsewhere();
        const evil = await start((req, res) => {
          if (req.url!.startsWith("/apim-token-service/"))
            return json(res, 200, { status: 0, msg: "SUCCESS", data: { accessToken: "tok-here", expire: 7200 } });
          res.writeHead(status, { location: `${other.origin}${req.url}` });
          res.end();
        });
        const enos = createEnosClient({
          ...transport,
          baseUrl: evil.url,
          appKey: "5acb82e7-a11e-4300-9164-c8b20b638e8b",
          appSecret: "sk-secret-value",
          orgId: "o1",
          ...quiet,
        });
        const err = await enos.deleteMessageRules({ ruleIds: ["r1"] }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(RedirectError);
        expect(err).toMatchObject({ status, targetOrigin: other.origin });
        expect(other.requests).toHaveLength(0);
        // delete is idempotent and still sent once: a redirect is a final answer, not a fault to retry
        expect(evil.requests.filter((r) => !r.url.startsWith("/apim-token-service/"))).toHaveLength(1);
      }
    });

    it("an EnOS token request answered with 307: the appKey/encryption body stays here", async () => {
      const other = await elsewhere();
      const evil = await start((req, res) => {
        res.writeHead(307, { location: `${other.origin}${req.url}` });
        res.end();
      });
      const enos = createEnosClient({
        ...transport,
        baseUrl: evil.url,
        appKey: "5acb82e7-a11e-4300-9164-c8b20b638e8b",
        appSecret: "sk-secret-value",
        orgId: "o1",
        ...quiet,
      });
      const err = await enos.searchMessageRules({ ruleIds: [] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RedirectError);
      expect(other.requests).toHaveLength(0);
      expect(evil.requests).toHaveLength(1);
    });

    it("an EIAM notice (not idempotent) answered with 308 is sent once and reported as possibly processed", async () => {
      const other = await elsewhere();
      const evil = await start((req, res) => {
        if (req.url === "/api/v2/tenant/token") return json(res, 200, { access_token: "eiam-token-here", expires_in: 1800 });
        res.writeHead(308, { location: `${other.origin}/steal` });
        res.end();
      });
      const eiam = createEiamClient({ ...transport, baseUrl: evil.url, clientId: "cid", clientSecret: "client-secret-value", ...quiet });
      const err = await eiam
        .sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", user_names: ["zhangsan"] })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: "redirect", status: 308, mayHaveReachedServer: true });
      expect(other.requests).toHaveLength(0);
      expect(evil.requests.filter((r) => r.url !== "/api/v2/tenant/token")).toHaveLength(1);
    });

    it("a redirect to plain http on another host is refused like any other, and a Location that is no URL names no origin", async () => {
      const evil = await start((_req, res) => {
        res.writeHead(302, { location: "http://[not a url" });
        res.end();
      });
      const zs = createZStackClient({
        ...transport,
        baseUrl: `${evil.url}/zstack`,
        auth: { sessionUuid: "a1b2c3d4e5f60718293a4b5c6d7e8f90" },
        ...quiet,
      });
      const err = await zs.queryDingTalkAtPersons().catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: "redirect", status: 302, targetOrigin: undefined });
      expect((err as Error).message).toContain("an undisclosed location");
    });

    it("asks fetch not to follow (redirect: manual) and treats the browser's opaque redirect answer as a redirect", async () => {
      const inits: RequestInit[] = [];
      const opaque: typeof fetch = async (_url, init) => {
        inits.push(init!);
        const r = Response.error();
        Object.defineProperty(r, "type", { value: "opaqueredirect" });
        return r;
      };
      const zs = createZStackClient({
        ...transport,
        baseUrl: "http://127.0.0.1:9999/zstack",
        auth: { sessionUuid: "a1b2c3d4e5f60718293a4b5c6d7e8f90" },
        fetch: opaque,
        ...quiet,
      });
      const err = await zs.queryDingTalkAtPersons().catch((e: unknown) => e);
      expect(inits.map((i) => i.redirect)).toEqual(["manual"]);
      expect(err).toMatchObject({ kind: "redirect", targetOrigin: undefined });
    });
  });
});
