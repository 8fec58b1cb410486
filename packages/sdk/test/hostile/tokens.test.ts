/**
 * Item 8 of the trust issue: a short-lived token (lifetime ≤ 60 s, under the 60 s renew-ahead
 * margin) is reused for half its life instead of being fetched before every call.
 */
import { describe, expect, it } from "vitest";
import { createEiamClient, createEnosClient, createZStackClient } from "../../src/index.js";
import { hostileServers, json } from "./server.js";
import { TRANSPORTS } from "./transports.js";

const serve = hostileServers();

describe.each(TRANSPORTS)("over %s", (_name, transport) => {
  describe("short-lived credentials are reused", () => {
    it.each([60, 30, 10])("EnOS: a %i s gateway token serves three calls with one token request", async (expire) => {
      let n = 0;
      const s = await serve((req, res) =>
        req.url!.startsWith("/apim-token-service/")
          ? json(res, 200, { status: 0, msg: "SUCCESS", data: { accessToken: `tok-${++n}`, expire } })
          : json(res, 200, { code: 0, msg: "OK", data: true }),
      );
      const enos = createEnosClient({
        ...transport,
        baseUrl: s.url,
        appKey: "5acb82e7-a11e-4300-9164-c8b20b638e8b",
        appSecret: "sk",
        orgId: "o1",
        logLevel: "off",
      });
      for (const id of ["a", "b", "c"]) await enos.deleteMessageRules({ ruleIds: [id] });
      expect(s.requests.filter((r) => r.url.startsWith("/apim-token-service/"))).toHaveLength(1);
      expect(s.requests.filter((r) => !r.url.startsWith("/apim-token-service/")).map((r) => r.headers["apim-accesstoken"])).toEqual([
        "tok-1",
        "tok-1",
        "tok-1",
      ]);
    });

    it("ZStack: a 60 s session serves three calls with one login", async () => {
      let n = 0;
      const s = await serve((req, res) =>
        req.url!.endsWith("/login")
          ? json(res, 200, {
              inventory: {
                uuid: `0000000000000000000000000000000${++n}`,
                createDate: "Dec 25, 2023 2:07:43 PM",
                expiredDate: "Dec 25, 2023 2:08:43 PM",
              },
            })
          : json(res, 200, { inventories: [] }),
      );
      const zs = createZStackClient({
        ...transport,
        baseUrl: `${s.url}/zstack`,
        auth: { accountName: "admin", password: "pw-60s" },
        logLevel: "off",
      });
      for (let i = 0; i < 3; i++) await zs.queryDingTalkAtPersons();
      expect(s.requests.filter((r) => r.url.endsWith("/login"))).toHaveLength(1);
    });

    it("EIAM (which already did this): a 60 s token serves three calls with one token request", async () => {
      const s = await serve((req, res) =>
        req.url === "/api/v2/tenant/token"
          ? json(res, 200, { access_token: "eiam-tok", expires_in: 60 })
          : json(res, 200, { notice_id: "n" }),
      );
      const eiam = createEiamClient({ ...transport, baseUrl: s.url, clientId: "cid", clientSecret: "client-secret", logLevel: "off" });
      for (let i = 0; i < 3; i++) await eiam.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", user_names: ["zhangsan"] });
      expect(s.requests.filter((r) => r.url === "/api/v2/tenant/token")).toHaveLength(1);
    });
  });
});
