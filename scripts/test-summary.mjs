#!/usr/bin/env node
/** Totals of the vitest runs `npm test` just made (each package writes test-report.json). */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packages = fileURLToPath(new URL("../packages", import.meta.url));
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const dir of readdirSync(packages).sort()) {
  const file = join(packages, dir, "test-report.json");
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  rows.push(`  ${dir.padEnd(18)} ${String(r.numPassedTests).padStart(5)} passed, ${r.numFailedTests} failed`);
}
console.log(`tests by package:\n${rows.join("\n")}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
if (failed || rows.length === 0) process.exit(1);
