#!/usr/bin/env node
import { parseArgs } from "node:util";
import { CONTROL_PREFIX, CONTROL_TOKEN_HEADER } from "./kit/control.js";
import { isLoopbackHost } from "./kit/host.js";
import { startSandbox, type Sandbox } from "./index.js";

const USAGE = `signalbridge-sandbox: local simulators of the ZStack Cloud, Bamboo Cloud EIAM and EnOS APIs

Usage: signalbridge-sandbox [--port N] [--host 127.0.0.1] [--json]
  --port N   ZStack on N, EIAM on N+1, EnOS on N+2 (default: $PORT if set, else free ports)
  --host H   interface to listen on (default 127.0.0.1, loopback only)
  --json     print the configuration as one JSON line (for scripts)
The control plane (/__sandbox/*) needs the control token printed at start.
Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
Exit codes: 0 stopped by a signal, 2 bad arguments, 3 cannot listen (port in use, no permission), 1 other errors.`;

/** Exit codes a script can tell apart. */
const EXIT = { usage: 2, listen: 3, other: 1 } as const;

function fail(message: string, code: number): never {
  console.error(`signalbridge-sandbox: ${message}`);
  process.exit(code);
}

/** The port from --port, else $PORT, else 0 (free ports); refuses anything else, naming where it came from. */
function portFrom(flag: string | undefined, env: string | undefined): number {
  const [source, raw] = flag !== undefined ? ["--port", flag] : env !== undefined && env.trim() !== "" ? ["PORT", env] : [undefined, "0"];
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(port) || port > 65533) {
    fail(`${source} must be an integer from 0 to 65533 (three ports from it are used; got "${raw}")`, EXIT.usage);
  }
  return port;
}

/** One line for the errors a user can fix (a busy port, a privileged port, a wrong --host). */
function listenProblem(error: unknown, host: string, port: number): string | undefined {
  const e = error as NodeJS.ErrnoException & { port?: number; address?: string };
  const where = `${e.address ?? host}:${e.port ?? port}`;
  const ports = port === 0 ? "" : ` (the sandbox needs ${port}, ${port + 1} and ${port + 2})`;
  switch (e.code) {
    case "EADDRINUSE":
      return `port ${e.port ?? port} is already in use on ${e.address ?? host}${ports}: stop what is using it or choose another --port`;
    case "EACCES":
      return `no permission to listen on ${where}${ports}: ports below 1024 need privileges; choose another --port`;
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot listen on --host ${host}: it is not an address of this machine`;
    default:
      return undefined;
  }
}

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

async function main(): Promise<void> {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>["values"];
  try {
    ({ values } = parseArgs({ options: OPTIONS }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(EXIT.usage);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = portFrom(values.port, process.env.PORT);
  const host = values.host ?? "127.0.0.1";
  if (!isLoopbackHost(host)) {
    console.error(
      `signalbridge-sandbox: warning: --host ${host} is not loopback: anyone who can reach this machine can call the simulators with their fixed, published credentials (the control plane still needs the token)`,
    );
  }
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({ port, host });
  } catch (error) {
    const problem = listenProblem(error, host, port);
    if (problem) fail(problem, EXIT.listen);
    throw error;
  }
  // Before anything is printed: whoever reads "Ctrl-C to stop" (a person or a script) may send it at once.
  const running = sandbox;
  const stop = async (signal: string) => {
    await running.close();
    if (!values.json) console.log(`\nsandbox stopped (${signal})`);
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  if (values.json) {
    console.log(JSON.stringify({ config: sandbox.config, fixtures: sandbox.fixtures, controlToken: sandbox.controlToken }));
  } else {
    console.log("signalbridge sandbox is running (these credentials work only here):\n");
    for (const [vendor, cfg] of Object.entries(sandbox.config)) {
      const { baseUrl, ...credentials } = cfg as { baseUrl: string };
      console.log(`  ${vendor.padEnd(7)} ${baseUrl}`);
      console.log(`          credentials ${JSON.stringify(credentials)}`);
    }
    const origin = new URL(sandbox.config.zstack.baseUrl).origin;
    console.log(`\n  control token ${sandbox.controlToken}  (this run only; /__sandbox/* answers 401 without it)`);
    console.log(
      `  inspect       curl -H '${CONTROL_TOKEN_HEADER}: ${sandbox.controlToken}' ${origin}${CONTROL_PREFIX}/requests   (also /state, /faults, /reset, on each server)`,
    );
    console.log(`\n  fixtures ${JSON.stringify(sandbox.fixtures)}\n\nCtrl-C to stop.`);
  }
}

main().catch((error: unknown) => {
  fail(error instanceof Error ? error.message : String(error), EXIT.other);
});
