#!/usr/bin/env node
/**
 * npm run bench: every performance figure of design.md measured in one run on this machine,
 * written to bench-results/latest.json (and printed). Ratios, not absolute times, are the
 * figures to compare: these machines are shared and noisy.
 *   node scripts/bench/run.mjs [overhead] [validation] [bundle] [sandbox] [peers] [memory]   (default: all)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const wanted = new Set(process.argv.slice(2));
const want = (name) => wanted.size === 0 || wanted.has(name);
const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
};
if (want("validation")) results.validation = (await import("./validation.mjs")).benchValidation();
if (want("bundle")) results.bundle = await (await import("./bundle.mjs")).benchBundles();
if (want("overhead")) results.overhead = await (await import("./overhead.mjs")).benchOverhead();
if (want("sandbox")) results.sandbox = await (await import("./sandbox-load.mjs")).benchSandbox();
if (want("peers")) results.peers = await (await import("./peers.mjs")).benchPeers();
if (want("memory")) results.memory = await (await import("./memory.mjs")).benchMemory();

mkdirSync(join(ROOT, "bench-results"), { recursive: true });
const file = join(ROOT, "bench-results", "latest.json");
writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
console.log(JSON.stringify(results, null, 2));
console.log(`\nwritten to ${relative(process.cwd(), file)}`);
