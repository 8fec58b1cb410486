import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Other Node.js majors for the runtime test, from the npm registry's `node` package (which
 * installs the platform's `node-<os>-<arch>` binary package). They cannot be devDependencies: the
 * package's `node` bin would take the place of the Node that runs every npm script. So each
 * version is installed once into a cache folder under node_modules (git-ignored, rebuilt by
 * `npm ci`), into a temporary folder first and renamed into place, so that an interrupted or
 * concurrent install never leaves a half-written binary where a later run would use it.
 */
const CACHE = fileURLToPath(new URL("../../../../node_modules/.cache/signalbridge-runtimes/", import.meta.url));

export async function installNode(version: string): Promise<string> {
  const dir = join(CACHE, `node-${version}`);
  const bin = join(dir, "node_modules", "node", "bin", process.platform === "win32" ? "node.exe" : "node");
  if (await reports(bin, version)) return bin;
  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(join(CACHE, `.node-${version}-`));
  try {
    // The outer `npm test` sets npm_config_* (workspace, prefix, …) that must not steer this install.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_")));
    const args = [
      "install",
      "--prefix",
      staging,
      "--no-save",
      "--no-package-lock",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      `node@${version}`,
    ];
    // One more try after a failure: a registry download that stalls (seen once while other npm
    // processes held the shared cache) usually goes through at once the second time.
    try {
      await run("npm", args, { env, timeout: 150_000 });
    } catch {
      await run("npm", args, { env, timeout: 150_000 });
    }
    const staged = join(staging, "node_modules", "node", "bin", "node");
    if (!(await reports(staged, version))) throw new Error(`npm installed node@${version}, but its binary does not report v${version}`);
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!(await reports(bin, version))) throw error; // another run put it in place first: use that
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return bin;
}

async function reports(bin: string, version: string): Promise<boolean> {
  if (!existsSync(bin)) return false;
  try {
    const { stdout } = await run(bin, ["--version"], { encoding: "utf8", timeout: 30_000 });
    return stdout.trim() === `v${version}`;
  } catch {
    return false;
  }
}
