import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "@signalbridge/sandbox";

/**
 * "Works wherever fetch works": the built packages under Bun and Deno (installed from the npm
 * registry as devDependencies), one real operation per vendor against the sandbox running here.
 */
const run = promisify(execFile);
const bin = (name: string) => fileURLToPath(new URL(`../../../node_modules/.bin/${name}`, import.meta.url));
const script = fileURLToPath(new URL("./runtimes/client-smoke.mjs", import.meta.url));

let sandbox: Sandbox;
let arg: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  arg = JSON.stringify({ config: sandbox.config, endpointUuid: sandbox.fixtures.zstack.dingTalkEndpoints[0]!.uuid, appId: sandbox.fixtures.enos.appId });
});
afterAll(async () => {
  await sandbox.close();
});

describe.each([
  ["bun", () => [script, arg]],
  ["deno", () => ["run", "--allow-net", "--allow-read", "--allow-env", script, arg]],
])("%s", (runtime, args) => {
  it("runs every vendor's auth and an operation, and refuses bad input before sending", async () => {
    const before = sandbox.eiam.requests.filter((r) => r.operationId === "sendInSiteNotice").length;
    const { stdout } = await run(bin(runtime), args(), { encoding: "utf8", timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(result).toMatchObject({ atPersons: expect.any(Number), notice_id: expect.stringMatching(/\S/), ruleIds: [expect.stringMatching(/\S/)], refused: true });
    expect(result.atPersons).toBeGreaterThan(0);
    // their own fetch carried the calls (the Node transport is for Node only)
    expect(result.fetchCalls).toBeGreaterThanOrEqual(3);
    expect(sandbox.eiam.requests.filter((r) => r.operationId === "sendInSiteNotice").length - before).toBe(1);
  }, 60_000);
});
