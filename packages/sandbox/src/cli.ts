#!/usr/bin/env node
import { parseArgs } from "node:util";
import { CONTROL_PREFIX } from "./kit/server.js";
import { startSandbox } from "./index.js";

const USAGE = `signalbridge-sandbox: local simulators of the ZStack Cloud, Bamboo Cloud EIAM and EnOS APIs

Usage: signalbridge-sandbox [--port N] [--host 127.0.0.1] [--json]
  --port N   ZStack on N, EIAM on N+1, EnOS on N+2 (default: free ports)
  --host H   interface to listen on (default 127.0.0.1, loopback only)
  --json     print the configuration as one JSON line (for scripts)
Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { port: { type: "string" }, host: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65533) {
    console.error(`--port must be an integer from 0 to 65533 (got "${values.port}")`);
    process.exit(2);
  }
  const sandbox = await startSandbox({ port, ...(values.host ? { host: values.host } : {}) });
  if (values.json) {
    console.log(JSON.stringify({ config: sandbox.config, fixtures: sandbox.fixtures }));
  } else {
    console.log("signalbridge sandbox is running (these credentials work only here):\n");
    for (const [vendor, cfg] of Object.entries(sandbox.config)) {
      const { baseUrl, ...credentials } = cfg as { baseUrl: string };
      console.log(`  ${vendor.padEnd(7)} ${baseUrl}`);
      console.log(`          credentials ${JSON.stringify(credentials)}`);
      console.log(`          inspect     ${new URL(baseUrl).origin}${CONTROL_PREFIX}/requests  (state, faults, reset)`);
    }
    console.log(`\n  fixtures ${JSON.stringify(sandbox.fixtures)}\n\nCtrl-C to stop.`);
  }
  const stop = async (signal: string) => {
    await sandbox.close();
    if (!values.json) console.log(`\nsandbox stopped (${signal})`);
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`signalbridge-sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
