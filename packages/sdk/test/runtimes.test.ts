import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "@signalbridge/sandbox";
import { installNode } from "./runtimes/install-node.js";

/**
 * "Works wherever fetch works": the built packages under every supported Node.js major (the one
 * running this test, and 22 and 24 installed from the npm registry's `node` package at test time),
 * Bun and Deno (installed from the npm registry as devDependencies), one real operation per vendor
 * against the sandbox running here. The browser is covered by `npm run test:e2e`.
 */
const run = promisify(execFile);
const bin = (name: string) => fileURLToPath(new URL(`../../../node_modules/.bin/${name}`, import.meta.url));
const script = fileURLToPath(new URL("./runtimes/client-smoke.mjs", import.meta.url));

/** The other Node.js majors the README and `engines` promise, pinned (the newest of each on npm). */
const OTHER_NODES = ["22.23.3", "24.21.0"];

let sandbox: Sandbox;
let arg: string;
const nodes = new Map<string, string>();
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  arg = JSON.stringify({
    config: sandbox.config,
    endpointUuid: sandbox.fixtures.zstack.dingTalkEndpoints[0]!.uuid,
    appId: sandbox.fixtures.enos.appId,
  });
  for (const version of OTHER_NODES) nodes.set(version, await installNode(version));
}, 600_000);
afterAll(async () => {
  await sandbox?.close();
});

/** A runtime: its name, its executable and its arguments (both known only once beforeAll ran). */
type Runtime = [name: string, executable: () => string, args: () => string[]];
const runtimes: Runtime[] = [
  [`node ${process.version}`, () => process.execPath, () => [script, arg]],
  ...OTHER_NODES.map((v): Runtime => [`node v${v}`, () => nodes.get(v)!, () => [script, arg]]),
  ["bun", () => bin("bun"), () => [script, arg]],
  ["deno", () => bin("deno"), () => ["run", "--allow-net", "--allow-read", "--allow-env", script, arg]],
];

describe.each(runtimes)("%s", (name, executable, args) => {
  it("runs every vendor's auth and an operation, and refuses bad input before sending", async () => {
    const before = sandbox.eiam.requests.filter((r) => r.operationId === "sendInSiteNotice").length;
    const { stdout } = await run(executable(), args(), { encoding: "utf8", timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(result).toMatchObject({
      runtime: name,
      atPersons: expect.any(Number),
      notice_id: expect.stringMatching(/\S/),
      ruleIds: [expect.stringMatching(/\S/)],
      refused: true,
    });
    expect(result.atPersons).toBeGreaterThan(0);
    // Node sends through undici and never calls fetch; Bun and Deno use their own fetch.
    if (name.startsWith("node ")) expect(result.fetchCalls).toBe(0);
    else expect(result.fetchCalls).toBeGreaterThanOrEqual(3);
    expect(sandbox.eiam.requests.filter((r) => r.operationId === "sendInSiteNotice").length - before).toBe(1);
  }, 60_000);
});
