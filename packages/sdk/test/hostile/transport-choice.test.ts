/**
 * On Node the client moves bytes with undici unless the caller passes a `fetch` (or a `sender`):
 * the hostile tests' "undici" runs rely on this, and so does the performance of every caller who
 * configures nothing.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createEiamClient } from "../../src/index.js";
import { json, startHostileServer, type HostileServer } from "./server.js";

const servers: HostileServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const NOTICE = { title: "t", content: "c", message_type: "TEXT" as const, user_names: ["zhangsan"] };

describe("which transport the client picks on Node", () => {
  it("names none: undici, and globalThis.fetch is never called", async () => {
    const s = await startHostileServer((_req, res) => json(res, 200, { notice_id: "n-1" }));
    servers.push(s);
    const spy = vi.spyOn(globalThis, "fetch");
    const eiam = createEiamClient({ baseUrl: s.url, accessToken: "tok", logLevel: "off" });
    await expect(eiam.sendInSiteNotice(NOTICE)).resolves.toMatchObject({ notice_id: "n-1" });
    expect(spy).not.toHaveBeenCalled();
    expect(s.requests).toHaveLength(1);
    // undici's request, not fetch's: fetch adds its browser headers
    expect(s.requests[0]!.headers["sec-fetch-mode"]).toBeUndefined();
    expect(s.requests[0]!.headers["accept-encoding"]).toBe("gzip, deflate, br");
  });

  it("passes a fetch: that fetch carries every request", async () => {
    const s = await startHostileServer((_req, res) => json(res, 200, { notice_id: "n-2" }));
    servers.push(s);
    const calls: string[] = [];
    const own: typeof fetch = (input, init) => {
      calls.push(String(input));
      return globalThis.fetch(input, init);
    };
    const eiam = createEiamClient({ baseUrl: s.url, accessToken: "tok", logLevel: "off", fetch: own });
    await expect(eiam.sendInSiteNotice(NOTICE)).resolves.toMatchObject({ notice_id: "n-2" });
    expect(calls).toEqual([s.url + s.requests[0]!.url]);
    expect(s.requests[0]!.headers["sec-fetch-mode"]).toBe("cors");
  });
});
