#!/usr/bin/env node
/**
 * npm run bench: every performance figure of design.md measured in one run on this machine.
 * Ratios, not absolute times, are the figures to compare: these machines are shared and noisy.
 *   node scripts/bench/run.mjs [--save] [overhead] [validation] [bundle] [journal] [sandbox] [peers] [memory]   (default: all)
 * Results go to bench-results/local/latest.json (git-ignored), so a run leaves the working tree
 * clean; `--save` writes the committed bench-results/latest.json instead, for a run worth keeping.
 * The packages are built first (turbo, cached); each step says on stderr when it starts and ends.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Each bench: its name on the command line and the key of its figures in the results. */
const BENCHES = [
  ["validation", async () => (await import("./validation.mjs")).benchValidation()],
  ["bundle", async () => (await import("./bundle.mjs")).benchBundles()],
  ["overhead", async () => (await import("./overhead.mjs")).benchOverhead()],
  ["journal", async () => (await import("./journal.mjs")).benchJournal()],
  ["peers", async () => (await import("./peers.mjs")).benchPeers()],
  ["memory", async () => (await import("./memory.mjs")).benchMemory()],
  ["sandbox", async () => (await import("./sandbox-load.mjs")).benchSandbox()],
];

const args = process.argv.slice(2);
const save = args.includes("--save");
const names = args.filter((a) => a !== "--save");
const known = BENCHES.map(([name]) => name);
const unknown = names.filter((n) => !known.includes(n));
if (unknown.length) {
  console.error(`bench: unknown ${unknown.map((n) => `"${n}"`).join(", ")}; the benches are ${known.join(", ")} (and the flag --save)`);
  process.exit(2);
}
const chosen = BENCHES.filter(([name]) => names.length === 0 || names.includes(name));
const file = save ? join(ROOT, "bench-results", "latest.json") : join(ROOT, "bench-results", "local", "latest.json");

// Progress goes to stderr so that stdout stays the results alone.
const total = chosen.length + 1;
async function step(index, label, run) {
  console.error(`[${index}/${total}] ${label} …`);
  const started = performance.now();
  const value = await run();
  console.error(`[${index}/${total}] ${label}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return value;
}

await step(1, "build (turbo, cached)", () => {
  const turbo = join(ROOT, "node_modules", ".bin", "turbo");
  const r = spawnSync(turbo, ["run", "build", "--output-logs=errors-only"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  if (r.status !== 0) {
    console.error(`bench: the build failed (exit ${r.status ?? r.signal}); nothing was measured`);
    process.exit(1);
  }
});

const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
};
for (const [i, [name, run]] of chosen.entries()) results[name] = await step(i + 2, `bench ${name}`, run);

mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
console.error(`\nwritten to ${relative(process.cwd(), file)}${save ? "" : " (not tracked; --save writes bench-results/latest.json)"}`);
