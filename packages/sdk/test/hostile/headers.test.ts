/**
 * Item 7 of the trust issue: headers are case-insensitive. A caller's Authorization or
 * Content-Type replaces the client's own instead of being comma-joined to it, and one header
 * builder in core (HeaderMap) serves every vendor.
 */
import { describe, expect, it } from "vitest";
import { HeaderMap } from "@signalbridge/core";
import { createEiamClient, createEnosClient, createZStackClient } from "../../src/index.js";
import { hostileServers, json, type HostileServer } from "./server.js";
import { TRANSPORTS } from "./transports.js";

const serve = hostileServers();
async function start() {
  const s = await serve((req, res) => {
    if (req.url === "/api/v2/tenant/token") return json(res, 200, { access_token: "client-token", expires_in: 1800 });
    if (req.url!.startsWith("/apim-token-service/"))
      return json(res, 200, { status: 0, msg: "SUCCESS", data: { accessToken: "t", expire: 7200 } });
    if (req.url!.startsWith("/app-portal-service/")) return json(res, 200, { code: 0, msg: "OK", data: true });
    json(res, 200, { notice_id: "n", inventories: [] });
  });
  return s;
}
const NOTICE = { title: "t", content: "c", message_type: "TEXT" as const, user_names: ["zhangsan"] };
const business = (s: HostileServer) =>
  s.requests.filter((r) => r.url !== "/api/v2/tenant/token" && !r.url.startsWith("/apim-token-service/"));

describe.each(TRANSPORTS)("over %s", (_name, transport) => {
  describe("one value per header name, the caller's winning", () => {
    it("EIAM: a caller's Authorization replaces the client's bearer token (not 'Bearer caller, Bearer tok')", async () => {
      const s = await start();
      const eiam = createEiamClient({ ...transport, baseUrl: s.url, clientId: "cid", clientSecret: "client-secret", logLevel: "off" });
      await eiam.sendInSiteNotice(NOTICE, { headers: { Authorization: "Bearer caller-token" } });
      expect(business(s)[0]!.headers.authorization).toBe("Bearer caller-token");
    });

    it("EIAM: a caller's Content-Type replaces the vendor's fixed one", async () => {
      const s = await start();
      const eiam = createEiamClient({ ...transport, baseUrl: s.url, accessToken: "tok", logLevel: "off" });
      await eiam.sendInSiteNotice(NOTICE, { headers: { "content-type": "application/json; charset=utf-8" } });
      expect(business(s)[0]!.headers["content-type"]).toBe("application/json; charset=utf-8");
    });

    it("a call header replaces a client header of the same name in another case", async () => {
      const s = await start();
      const zs = createZStackClient({
        ...transport,
        baseUrl: `${s.url}/zstack`,
        auth: { sessionUuid: "a1b2c3d4e5f60718293a4b5c6d7e8f90" },
        headers: { "X-Trace": "client" },
        logLevel: "off",
      });
      await zs.queryDingTalkAtPersons({}, { headers: { "x-trace": "call" } });
      expect(s.requests[0]!.headers["x-trace"]).toBe("call");
    });

    it("EnOS: a caller's Authorization replaces the configured user token; the gateway headers stay", async () => {
      const s = await start();
      const enos = createEnosClient({
        ...transport,
        baseUrl: s.url,
        appKey: "5acb82e7-a11e-4300-9164-c8b20b638e8b",
        appSecret: "sk",
        orgId: "o1",
        userToken: "APP_PORTAL_S_user",
        logLevel: "off",
      });
      await enos.deleteMessageRules({ ruleIds: ["r"] }, { headers: { authorization: "Bearer mine" } });
      const sent = business(s)[0]!;
      expect(sent.headers.authorization).toBe("Bearer mine");
      expect(sent.headers["apim-accesstoken"]).toBe("t");
    });
  });

  describe("HeaderMap", () => {
    it("sets, reads and deletes names case-insensitively; later layers win; null removes", () => {
      const h = new HeaderMap({ "Content-Type": "a", Authorization: "x" }, { "content-type": "b", authorization: null });
      expect(h.get("CONTENT-TYPE")).toBe("b");
      expect(h.has("authorization")).toBe(false);
      h.set("X-Id", "1").set("x-id", "2");
      expect(h.toRecord()).toEqual({ "content-type": "b", "x-id": "2" });
      h.delete("X-ID");
      expect([...h]).toEqual([["content-type", "b"]]);
    });

    it("refuses a value with CR/LF when it is set", () => {
      expect(() => new HeaderMap().set("X-A", "1\r\n2")).toThrow(/header\.X-A: must not contain CR, LF/);
    });
  });
});
