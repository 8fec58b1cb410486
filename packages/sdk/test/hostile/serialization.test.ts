/**
 * Item 4 of the trust issue: what is validated is what is sent. The client serializes the caller's
 * input once, validates exactly that serialization and sends exactly those bytes, so a toJSON, a
 * getter, an inherited property or a `__proto__` key cannot change the body after validation.
 */
import { describe, expect, it } from "vitest";
import { ValidationError, createEiamClient, createZStackClient } from "../../src/index.js";
import { hostileServers, json } from "./server.js";
import { TRANSPORTS } from "./transports.js";

const serve = hostileServers();
describe.each(TRANSPORTS)("over %s", (_name, transport) => {
  async function eiamServer() {
    const s = await serve((_req, res) => json(res, 200, { notice_id: "n-1" }));
    return { server: s, eiam: createEiamClient({ ...transport, baseUrl: s.url, accessToken: "given-token", logLevel: "off" }) };
  }
  const valid = { title: "Disk alarm", content: "disk full", message_type: "TEXT" as const, user_names: ["zhangsan"] };

  describe("serialize once, validate that, send that", () => {
    it("a toJSON that swaps in an invalid body is validated as what it sends: refused, nothing sent", async () => {
      const { server, eiam } = await eiamServer();
      const sneaky = { ...valid, toJSON: () => ({ ...valid, title: "x".repeat(500) }) };
      const err = await eiam.sendInSiteNotice(sneaky).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).violations.map((v) => v.path)).toContain("body.title");
      expect(server.requests).toHaveLength(0);
    });

    it("a getter that answers differently each time: the bytes sent are the ones that were checked", async () => {
      const { server, eiam } = await eiamServer();
      let reads = 0;
      const shifting = {
        ...valid,
        get title() {
          return reads++ === 0 ? "short and valid" : "y".repeat(500);
        },
      };
      await eiam.sendInSiteNotice(shifting);
      expect(server.requests).toHaveLength(1);
      expect(JSON.parse(server.requests[0]!.body).title).toBe("short and valid");
      expect(reads).toBe(1);
    });

    it("a required field that is only inherited is missing from what would be sent: refused, nothing sent", async () => {
      const { server, eiam } = await eiamServer();
      const { title: _t, ...rest } = valid;
      const inherits = Object.assign(Object.create({ title: "from the prototype" }), rest);
      const err = await eiam.sendInSiteNotice(inherits).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).violations.map((v) => v.rule)).toContain("required");
      expect(server.requests).toHaveLength(0);
    });

    it("an own __proto__ key is an unknown field of a closed body: refused, nothing sent", async () => {
      const { server, eiam } = await eiamServer();
      const withProto = JSON.parse(`{"title":"t","content":"c","message_type":"TEXT","user_names":["zhangsan"],"__proto__":{"all":true}}`);
      const err = await eiam.sendInSiteNotice(withProto).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(server.requests).toHaveLength(0);
    });

    it("a body that cannot be serialized (a BigInt, a cycle) is a ValidationError naming the body", async () => {
      const { server, eiam } = await eiamServer();
      const cyclic: Record<string, unknown> = { ...valid };
      cyclic.self = cyclic;
      for (const body of [{ ...valid, count: 10n }, cyclic]) {
        const err = await eiam.sendInSiteNotice(body as never).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ValidationError);
        expect((err as ValidationError).violations[0]).toMatchObject({ path: "body", rule: "json" });
      }
      expect(server.requests).toHaveLength(0);
    });

    it("ZStack: a nested toJSON inside params is caught too (the job body sent is the one checked)", async () => {
      const s = await serve((req, res) =>
        req.method === "POST"
          ? json(res, 202, { location: "/zstack/v1/api-jobs/0123456789abcdef0123456789abcdef" })
          : json(res, 200, { inventory: { uuid: "u1", phoneNumber: "+86-13800001111", endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6" } }),
      );
      const zs = createZStackClient({
        ...transport,
        baseUrl: `${s.url}/zstack`,
        auth: { sessionUuid: "a1b2c3d4e5f60718293a4b5c6d7e8f90" },
        logLevel: "off",
      });
      const phone = { toJSON: () => "not a phone number" };
      const err = await zs
        .addDingTalkAtPerson({ phoneNumber: phone as unknown as string, endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6" })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(s.requests).toHaveLength(0);
    });
  });
});
