import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

/**
 * The CLI as a user runs it: `npx signalbridge-sandbox …` from the repository root (npm's bin link,
 * no registry), and the committed launcher directly. Spawned processes are slow on a loaded
 * machine, hence the explicit timeouts; nothing here waits on a fixed delay.
 */
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const LAUNCHER = fileURLToPath(new URL("../bin/signalbridge-sandbox.js", import.meta.url));
const SLOW = 60_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const children: Array<ReturnType<typeof spawn>> = [];
afterEach(() => {
  for (const c of children.splice(0)) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    try {
      process.kill(-c.pid!, "SIGKILL"); // its whole process group: npx and the sandbox under it
    } catch {
      c.kill("SIGKILL");
    }
  }
});

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT) {
  // npm_config_offline: if the bin link were missing, npx would have to ask the registry; offline it fails fast instead.
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, PORT: "", npm_config_offline: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = once(child, "exit").then(([code, signal]) => ({ code, signal, stdout, stderr }) as Run);
  /** Resolves with stdout once it matches (awaited by state, not by time). */
  const printed = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => pattern.test(stdout) && resolve(stdout);
      child.stdout!.on("data", check);
      check();
      void exited.then((r) => reject(new Error(`exited ${r.code} before printing ${pattern}: ${r.stderr}`)));
    });
  return { child, exited, printed };
}

/** A port something else is already listening on (127.0.0.1). */
async function busyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe("signalbridge-sandbox CLI", () => {
  it(
    "`npx signalbridge-sandbox` in the repository runs ours (no registry): prints the config and a control token, stops on Ctrl-C",
    async () => {
      const run = start("npx", ["signalbridge-sandbox", "--port", "0", "--json"]); // the README's command
      const printed = JSON.parse((await run.printed(/\n/)).split("\n")[0]!) as {
        config: { eiam: { baseUrl: string } };
        controlToken: string;
      };
      expect(printed.controlToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const origin = new URL(printed.config.eiam.baseUrl).origin;
      expect((await fetch(`${origin}/__sandbox/state`)).status).toBe(401);
      const state = await fetch(`${origin}/__sandbox/state`, { headers: { "x-sandbox-token": printed.controlToken } });
      expect(state.status).toBe(200);
      expect(await state.json()).toMatchObject({ notices: [], dailyQuota: 1000 });
      process.kill(-run.child.pid!, "SIGINT"); // Ctrl-C in a terminal: the whole foreground group, npx and the sandbox
      const ended = await run.exited;
      expect(ended.code === 0 || ended.signal === "SIGINT").toBe(true);
      // awaited by state: the sandbox closes its servers
      for (;;) {
        const refused = await fetch(`${origin}/__sandbox/state`).then(
          () => false,
          () => true,
        );
        if (refused) break;
      }
    },
    SLOW,
  );

  it(
    "prints the URLs, credentials and control token, and stops cleanly on Ctrl-C (exit 0)",
    async () => {
      const run = start(process.execPath, [LAUNCHER, "--port", "0"]);
      const out = await run.printed(/Ctrl-C to stop\./);
      expect(out).toMatch(/^ {2}zstack {2}http:\/\/127\.0\.0\.1:\d+\/zstack$/m);
      const token = /control token (\S+)/.exec(out)?.[1];
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(out).toContain(`curl -H 'x-sandbox-token: ${token}' http://127.0.0.1:`);
      run.child.kill("SIGINT");
      const ended = await run.exited;
      expect([ended.code, ended.stdout]).toEqual([0, expect.stringContaining("sandbox stopped (SIGINT)")]);
      expect(ended.stderr).toBe("");
    },
    SLOW,
  );

  it(
    "a busy port is one clear line on stderr and exit code 3, not a stack trace",
    async () => {
      const { port, server } = await busyPort();
      try {
        const r = await start(process.execPath, [LAUNCHER, "--port", String(port)]).exited;
        expect(r.code).toBe(3);
        expect(r.stderr.trim().split("\n")).toEqual([
          `signalbridge-sandbox: port ${port} is already in use on 127.0.0.1 (the sandbox needs ${port}, ${port + 1} and ${port + 2}): stop what is using it or choose another --port`,
        ]);
        expect(r.stdout).toBe("");
      } finally {
        server.close();
      }
    },
    SLOW,
  );

  it(
    "honours PORT when --port is not given, and names PORT when it is not a port",
    async () => {
      const { port, server } = await busyPort();
      try {
        const r = await start(process.execPath, [LAUNCHER], { PORT: String(port) }).exited;
        expect([r.code, r.stderr]).toEqual([3, expect.stringContaining(`port ${port} is already in use`)]);
      } finally {
        server.close();
      }
      const bad = await start(process.execPath, [LAUNCHER], { PORT: "http" }).exited;
      expect([bad.code, bad.stderr.trim()]).toEqual([
        2,
        'signalbridge-sandbox: PORT must be an integer from 0 to 65533 (three ports from it are used; got "http")',
      ]);
      const flag = await start(process.execPath, [LAUNCHER, "--port", "65534"]).exited;
      expect([flag.code, flag.stderr]).toEqual([
        2,
        expect.stringContaining('--port must be an integer from 0 to 65533 (three ports from it are used; got "65534")'),
      ]);
    },
    SLOW,
  );

  it(
    "warns before binding a non-loopback --host (and says clearly when the host is not this machine's)",
    async () => {
      // 192.0.2.1 is TEST-NET-1: never an address of this machine, so nothing is exposed by the test.
      const r = await start(process.execPath, [LAUNCHER, "--host", "192.0.2.1", "--port", "0"]).exited;
      const lines = r.stderr.trim().split("\n");
      expect(lines[0]).toMatch(
        /^signalbridge-sandbox: warning: --host 192\.0\.2\.1 is not loopback: anyone who can reach this machine can call the simulators/,
      );
      expect([r.code, lines[1]]).toEqual([
        3,
        "signalbridge-sandbox: cannot listen on --host 192.0.2.1: it is not an address of this machine",
      ]);
    },
    SLOW,
  );

  it("`npx signalbridge-sandbox` in a project that installed the package (npm pack → npm install) runs ours", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-consumer-"));
    try {
      const pkg = fileURLToPath(new URL("..", import.meta.url));
      execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: pkg, stdio: "ignore" });
      const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
      execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", `./${tarball}`], {
        cwd: dir,
        stdio: "ignore",
      });
      const run = start("npx", ["signalbridge-sandbox", "--port", "0", "--json"], {}, dir);
      const printed = JSON.parse((await run.printed(/\n/)).split("\n")[0]!) as {
        config: { zstack: { baseUrl: string } };
        controlToken: string;
      };
      const login = await fetch(`${printed.config.zstack.baseUrl}/v1/accounts/login`, { method: "PUT", body: "{}" });
      expect([login.status, await login.text()]).toEqual([400, "the body doesn't contain action mapping to the URL[/v1/accounts/login]"]); // the installed simulator, specs and all
      process.kill(-run.child.pid!, "SIGINT");
      await run.exited;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
