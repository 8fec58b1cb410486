import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SpecIndex, locateSpec } from "../src/kit/spec.js";
import { createEiamSimulator, startVendorServer, type SimRequest, type VendorServer, type VendorSimulator } from "../src/index.js";

/** A minimal simulator over the EIAM spec, to test the kit itself: it echoes what the kit gave it. */
function echoSimulator(): VendorSimulator & { seen: SimRequest[] } {
  const seen: SimRequest[] = [];
  return {
    vendor: "eiam",
    specFile: "bamboocloud-eiam.yaml",
    basePath: "",
    seen,
    handle(req) {
      seen.push(req);
      if (req.headers["x-boom"]) throw new Error("simulator bug");
      return {
        status: 200,
        body: {
          operationId: req.operationId ?? null,
          wrongMethod: req.wrongMethod,
          bodyError: req.bodyError ?? null,
          violations: req.violations.map((v) => `${v.in}${v.pointer}:${v.keyword}`),
        },
      };
    },
    tooLarge: () => ({ status: 413, body: "too large" }),
    state: () => ({ seen: seen.length }),
    reset: () => void (seen.length = 0),
    expireTokens: () => undefined,
  };
}

let server: VendorServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SEND = "/api/v2/tenant/notice/insite/asyncSend";
const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

describe("sandbox kit", () => {
  it("matches the spec operation and hands the simulator the spec's violations", async () => {
    server = await startVendorServer(echoSimulator());
    const ok = await (await post(server.url + SEND, JSON.stringify({ title: "t", content: "c", message_type: "TEXT", all: true }))).json();
    expect(ok).toEqual({ operationId: "sendInSiteNotice", wrongMethod: false, bodyError: null, violations: [] });
    const bad = await (
      await post(server.url + SEND, JSON.stringify({ title: "x".repeat(101), content: "c", message_type: "HTML", all: true }))
    ).json();
    expect(bad.violations).toEqual(expect.arrayContaining(["body/title:maxLength", "body/message_type:enum"]));
    const broken = await (await post(server.url + SEND, "{not json")).json();
    expect(broken).toMatchObject({ operationId: "sendInSiteNotice", bodyError: "invalid-json", violations: [] });
    const wrong = await (await fetch(server.url + SEND)).json();
    expect(wrong).toMatchObject({ operationId: null, wrongMethod: true });
  });

  it("answers a throwing simulator with 500 and keeps serving", async () => {
    server = await startVendorServer(echoSimulator());
    const boom = await post(server.url + SEND, "{}", { "x-boom": "1" });
    expect(boom.status).toBe(500);
    expect(await boom.text()).toContain("simulator bug");
    expect((await post(server.url + SEND, "{}")).status).toBe(200);
  });

  it("answers CORS preflights and sends CORS headers", async () => {
    server = await startVendorServer(echoSimulator());
    const pre = await fetch(server.url + SEND, {
      method: "OPTIONS",
      headers: {
        origin: "http://page.test",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-headers")).toBe("authorization,content-type");
    expect((await post(server.url + SEND, "{}")).headers.get("access-control-allow-origin")).toBe("*");
  });

  it("gives the simulator's own answer to a body over 1 MiB", async () => {
    server = await startVendorServer(echoSimulator());
    const res = await post(server.url + SEND, JSON.stringify({ pad: "x".repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
  });

  it("drives faults, inspection and reset over HTTP under /__sandbox", async () => {
    const sim = echoSimulator();
    server = await startVendorServer(sim);
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${server!.origin}/__sandbox${path}`, {
        method,
        headers: { "x-sandbox-token": server!.controlToken },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    const added = await control("POST", "/faults", { operation: "sendInSiteNotice", nth: 2, status: 503 });
    expect(added.status).toBe(201);
    const { id } = await added.json();
    expect(await (await control("GET", "/faults")).json()).toEqual([expect.objectContaining({ id, nth: 2, status: 503, remaining: 1 })]);

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(server.url + SEND, "{}")).status);
    expect(statuses).toEqual([200, 503, 200]); // only the second call, and the fault is used up
    expect(sim.seen).toHaveLength(2); // the faulted call never reached the simulator (before processing)
    const requests = await (await control("GET", "/requests")).json();
    expect(requests.map((r: { status: number; fault?: number }) => [r.status, r.fault ?? null])).toEqual([
      [200, null],
      [503, id],
      [200, null],
    ]);
    expect(await (await control("GET", "/state")).json()).toEqual({ seen: 2 });

    expect((await control("POST", "/faults", { nth: 0 })).status).toBe(400);
    expect((await control("GET", "/nope")).status).toBe(404);
    expect((await control("POST", "/reset")).status).toBe(204);
    expect(await (await control("GET", "/requests")).json()).toEqual([]);
    expect(sim.seen).toHaveLength(0);
  });

  it("the control plane answers only this run's token, and never with CORS headers", async () => {
    const sim = echoSimulator();
    server = await startVendorServer(sim);
    await post(server.url + SEND, "{}");
    const url = `${server.origin}/__sandbox`;
    const page = { origin: "http://evil.test" };

    // a page's "simple" cross-origin POST (no preflight) without the token changes nothing
    const reset = await fetch(`${url}/reset`, { method: "POST", headers: page });
    expect(reset.status).toBe(401);
    expect(reset.headers.get("access-control-allow-origin")).toBeNull();
    expect((await reset.json()).error).toMatch(/needs a token: send this run's control token in the x-sandbox-token header/);
    expect(server.requests).toHaveLength(1);
    expect(sim.seen).toHaveLength(1);

    // a wrong token is 403 and is not echoed; reads are refused too
    const wrong = await fetch(`${url}/requests`, { headers: { ...page, "x-sandbox-token": "guessed-token-guessed-token" } });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain("guessed-token");
    expect((await fetch(`${url}/state`)).status).toBe(401);
    expect((await fetch(`${url}/faults`, { method: "POST", body: JSON.stringify({ status: 503 }) })).status).toBe(401);

    // the preflight a page would need for the token header gets no CORS approval
    const pre = await fetch(`${url}/reset`, {
      method: "OPTIONS",
      headers: { ...page, "access-control-request-method": "POST", "access-control-request-headers": "x-sandbox-token" },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    expect(pre.headers.get("access-control-allow-headers")).toBeNull();

    // with the token (header or ?token=): it works, still without CORS
    const ok = await fetch(`${url}/requests`, { headers: { "x-sandbox-token": server.controlToken } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBeNull();
    expect((await fetch(`${url}/reset?token=${encodeURIComponent(server.controlToken)}`, { method: "POST" })).status).toBe(204);
    expect(sim.seen).toHaveLength(0);

    // the vendor endpoints keep their CORS: browsers are meant to call them
    expect((await post(server.url + SEND, "{}", page)).headers.get("access-control-allow-origin")).toBe("*");
  });

  it("a control token is per server run unless given, and a short one is refused", async () => {
    const a = await startVendorServer(echoSimulator());
    const b = await startVendorServer(echoSimulator());
    try {
      expect(a.controlToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(a.controlToken).not.toBe(b.controlToken);
      expect((await fetch(`${b.origin}/__sandbox/state`, { headers: { "x-sandbox-token": a.controlToken } })).status).toBe(403);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    await expect(startVendorServer(echoSimulator(), { controlToken: "short" })).rejects.toThrow(
      "controlToken must be at least 16 characters",
    );
  });

  it("a fault after processing lets the simulator act and loses the answer", async () => {
    const sim = echoSimulator();
    server = await startVendorServer(sim);
    server.addFault({ operation: "sendInSiteNotice", after: true, action: "drop", times: 1 });
    await expect(post(server.url + SEND, "{}")).rejects.toThrow();
    expect(sim.seen).toHaveLength(1);
    expect(server.requests.at(-1)?.status).toBe("dropped");
  });

  it("closes with a keep-alive connection still open", async () => {
    server = await startVendorServer(echoSimulator());
    await post(server.url + SEND, "{}"); // fetch keeps the socket alive
    const closing = server.close();
    server = undefined;
    await expect(closing).resolves.toBeUndefined();
  });

  it("reads limits from the spec's request schemas, through $ref, allOf and items", () => {
    const eiam = new SpecIndex("bamboocloud-eiam.yaml");
    expect(eiam.bodyRule("sendInSiteNotice", "/title", "maxLength")).toBe(100);
    expect(eiam.bodyRule("sendInSiteNotice", "/org_codes", "maxItems")).toBe(20);
    const zstack = new SpecIndex("zstack.yaml");
    expect(zstack.bodyRule("AddSNSDingTalkAtPerson", "/params/phoneNumber", "x-server-pattern")).toBe("^\\+\\d{2,3}-\\d{11}$");
    const enos = new SpecIndex("enos.yaml");
    expect(enos.bodyRule("createMessageRules", "/rules/*/messageRule", "maxProperties")).toBe(6);
    expect(() => eiam.bodyRule("sendInSiteNotice", "/title", "maxItems")).toThrow(
      'sendInSiteNotice body/title has no "maxItems" in its spec',
    );
    expect(() => eiam.bodyRule("sendInSiteNotice", "/nope", "maxLength")).toThrow(/body\/nope/);
  });

  it("a simulator follows the spec it is given: a changed limit changes the vendor's answer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-specs-"));
    try {
      const original = readFileSync(locateSpec("bamboocloud-eiam.yaml"), "utf8");
      const edited = original.replace(/(\n {8}title:\n(?: {10}.*\n)*? {10}maxLength:) 100\n/, "$1 50\n");
      expect(edited).not.toBe(original);
      writeFileSync(join(dir, "bamboocloud-eiam.yaml"), edited);
      vi.stubEnv("SIGNALBRIDGE_SPECS_DIR", dir);
      const simulator = createEiamSimulator();
      vi.unstubAllEnvs();
      server = await startVendorServer(simulator);
      const { clientId, clientSecret } = simulator.credentials;
      const basic = Buffer.from(`${clientId}:${clientSecret}`).toString("base64");
      const tokenAnswer = await fetch(`${server.url}/api/v2/tenant/token`, {
        method: "POST",
        headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      });
      const { access_token } = await tokenAnswer.json();
      const send = (title: string) =>
        post(server!.url + SEND, JSON.stringify({ title, content: "c", message_type: "TEXT", all: true }), {
          authorization: `Bearer ${access_token}`,
        });
      const over = await send("x".repeat(51));
      expect(over.status).toBe(400);
      expect((await over.json()).error_code).toBe("NOTICE.0007");
      expect((await send("x".repeat(50))).status).toBe(200);
    } finally {
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
