import { describe, expect, it } from "vitest";
import { ManualClock, startSandbox } from "../src/index.js";

describe("startSandbox", () => {
  // Starting three simulators compiles three specs: seconds on a loaded machine.
  it("runs all three simulators on the clock it is given (no simulator reads the wall clock)", { timeout: 30_000 }, async () => {
    const clock = new ManualClock(Date.parse("2026-01-05T02:00:00Z"));
    const sandbox = await startSandbox({ port: 0, clock });
    try {
      for (const vendor of ["zstack", "eiam", "enos"] as const) await fetch(`${sandbox[vendor].origin}/nowhere`);
      expect([sandbox.zstack, sandbox.eiam, sandbox.enos].map((s) => s.requests[0]?.at)).toEqual([clock.now(), clock.now(), clock.now()]);

      const basic = Buffer.from(`${sandbox.config.eiam.clientId}:${sandbox.config.eiam.clientSecret}`).toString("base64");
      const token = await fetch(`${sandbox.config.eiam.baseUrl}/api/v2/tenant/token`, {
        method: "POST",
        headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      });
      const { access_token } = (await token.json()) as { access_token: string };
      await fetch(`${sandbox.config.eiam.baseUrl}/api/v2/tenant/notice/insite/asyncSend`, {
        method: "POST",
        headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
        body: JSON.stringify({ title: "t", content: "c", message_type: "TEXT", user_names: ["lisi"] }),
      });
      const status = () => (sandbox.eiam.state() as { notices: Array<{ status: string }> }).notices[0]?.status;
      expect(status()).toBe("UNSENT");
      clock.advance(60_000);
      expect(status()).toBe("FINISHED");
    } finally {
      await sandbox.close();
    }
  });

  it("a ManualClock refuses to move by a negative or non-finite amount", () => {
    const clock = new ManualClock(1000);
    expect(() => clock.advance(-1)).toThrow(/ms must be a finite number ≥ 0 \(got -1\)/);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(clock.advance(5)).toBe(1005);
  });

  it("one control token per run guards /__sandbox/* on all three servers; sandbox.controlToken carries it", {
    timeout: 60_000,
  }, async () => {
    const sandbox = await startSandbox({ port: 0 });
    const other = await startSandbox({ port: 0 });
    try {
      expect(sandbox.controlToken).not.toBe(other.controlToken);
      for (const vendor of ["zstack", "eiam", "enos"] as const) {
        const state = `${sandbox[vendor].origin}/__sandbox/state`;
        expect((await fetch(state)).status).toBe(401);
        expect((await fetch(state, { headers: { "x-sandbox-token": other.controlToken } })).status).toBe(403);
        expect((await fetch(state, { headers: { "x-sandbox-token": sandbox.controlToken } })).status).toBe(200);
      }
    } finally {
      await Promise.all([sandbox.close(), other.close()]);
    }
  });
});
