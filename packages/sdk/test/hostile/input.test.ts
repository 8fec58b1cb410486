/**
 * Item 5 of the trust issue: input that cannot go on the wire is refused before sending, as a
 * ValidationError naming the field (nothing sent, no "may have reached the server"), or as a
 * ConfigurationError at construction for options.
 */
import { describe, expect, it } from "vitest";
import { ConfigurationError, ValidationError, createEiamClient, createEnosClient, createZStackClient } from "../../src/index.js";
import { hostileServers, json } from "./server.js";
import { TRANSPORTS } from "./transports.js";

const serve = hostileServers();
async function start() {
  const s = await serve((req, res) =>
    req.url!.startsWith("/apim-token-service/")
      ? json(res, 200, { status: 0, msg: "SUCCESS", data: { accessToken: "t", expire: 7200 } })
      : json(res, 200, { notice_id: "n", inventories: [], status: 0, msg: "OK", data: [] }),
  );
  return s;
}
const NOTICE = { title: "t", content: "c", message_type: "TEXT" as const, user_names: ["zhangsan"] };
const SESSION = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

describe.each(TRANSPORTS)("over %s", (_name, transport) => {
  describe("header values fetch cannot send", () => {
    it.each([
      ["CR LF", "ok\r\nX-Injected: 1"],
      ["a lone LF", "ok\nmore"],
      ["NUL", "ok\u0000"],
      ["a character above U+00FF", "告警"],
    ])("a call header with %s is a ValidationError naming it; nothing is sent", async (_what, value) => {
      const s = await start();
      const eiam = createEiamClient({ ...transport, baseUrl: s.url, accessToken: "tok", logLevel: "off" });
      const err = await eiam.sendInSiteNotice(NOTICE, { headers: { "X-Trace": value } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).violations).toEqual([expect.objectContaining({ path: "headers.X-Trace", rule: "headerValue" })]);
      expect((err as Error).message).toContain("nothing was sent");
      expect((err as Error).message).not.toContain("may have reached");
      expect(s.requests).toHaveLength(0);
    });

    it("a header name that is no HTTP token is refused the same way", async () => {
      const s = await start();
      const eiam = createEiamClient({ ...transport, baseUrl: s.url, accessToken: "tok", logLevel: "off" });
      const err = await eiam.sendInSiteNotice(NOTICE, { headers: { "Bad Name": "v" } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).violations[0]).toMatchObject({ rule: "headerName" });
      expect(s.requests).toHaveLength(0);
    });

    it("a client header with CR/LF is a ConfigurationError at construction", () => {
      expect(() =>
        createEiamClient({ ...transport, baseUrl: "http://127.0.0.1:8080", accessToken: "tok", headers: { "X-Env": "a\r\nb" } }),
      ).toThrow(ConfigurationError);
      expect(() =>
        createEiamClient({ ...transport, baseUrl: "http://127.0.0.1:8080", accessToken: "tok", headers: { "X-Env": "a\r\nb" } }),
      ).toThrow(/headers\.X-Env/);
    });

    it("a configured credential that cannot be a header value fails as a ValidationError, not a network error", async () => {
      const s = await start();
      const enos = createEnosClient({
        ...transport,
        baseUrl: s.url,
        appKey: "5acb82e7-a11e-4300-9164-c8b20b638e8b",
        appSecret: "sk",
        orgId: "o1",
        userToken: "user\r\ntoken",
        logLevel: "off",
      });
      const err = await enos.deleteMessageRules({ ruleIds: ["r"] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as Error).message).not.toContain("user\r\ntoken");
      expect(s.requests.filter((r) => !r.url.startsWith("/apim-token-service/"))).toHaveLength(0);
    });
  });

  describe("path parameters that cannot be URL-encoded", () => {
    it.each([
      ["a lone high surrogate", "abc\uD800"],
      ["a lone low surrogate", "\uDC00def"],
    ])("%s in a path parameter is a ValidationError naming it", async (_what, uuid) => {
      const s = await start();
      const zs = createZStackClient({
        ...transport,
        baseUrl: `${s.url}/zstack`,
        auth: { sessionUuid: SESSION },
        logLevel: "off",
        validate: false,
      });
      const err = await zs.getDingTalkAtPerson(uuid).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).violations[0]).toMatchObject({ path: "path.uuid", rule: "wellFormedUnicode" });
      expect(s.requests).toHaveLength(0);
    });

    it("a well-formed pair (an emoji) is not a lone surrogate", async () => {
      const s = await start();
      const zs = createZStackClient({
        ...transport,
        baseUrl: `${s.url}/zstack`,
        auth: { sessionUuid: SESSION },
        logLevel: "off",
        validate: false,
      });
      await zs.getDingTalkAtPerson("abc😀");
      expect(s.requests[0]!.url).toContain(encodeURIComponent("abc😀"));
    });
  });

  describe("ports fetch refuses", () => {
    it.each([1, 6000, 6667, 10080])("baseUrl port %i is a ConfigurationError at construction", (port) => {
      const make = () => createEiamClient({ ...transport, baseUrl: `http://127.0.0.1:${port}`, accessToken: "tok" });
      expect(make).toThrow(ConfigurationError);
      expect(make).toThrow(new RegExp(`port ${port} is one that fetch refuses`));
    });

    it("ordinary ports are accepted", () => {
      for (const port of [80, 443, 8080, 4010])
        expect(() => createEiamClient({ ...transport, baseUrl: `http://127.0.0.1:${port}`, accessToken: "tok" })).not.toThrow();
    });
  });
});
