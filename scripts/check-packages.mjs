#!/usr/bin/env node
/**
 * Packaging gate: publint and Are-the-types-wrong on every published package, then a brand-new
 * TypeScript project installs the `npm pack` tarballs and type-checks design.md's usage
 * (scripts/consumer/usage.ts) under --strict.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGES = ["core", "zstack", "bamboocloud-eiam", "enos", "sdk", "journal", "sandbox"];
const work = join(ROOT, ".pack-check");
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, "tarballs"), { recursive: true });

const run = (cmd, args, cwd = ROOT) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
const results = [];
for (const pkg of PACKAGES) {
  const dir = join(ROOT, "packages", pkg);
  const tarball = run("npm", ["pack", "--silent", "--pack-destination", join(work, "tarballs")], dir).trim().split("\n").pop();
  const path = join(work, "tarballs", tarball);
  run("npx", ["publint", "--strict", path]);
  run("npx", ["attw", "--profile", "esm-only", "--format", "table-flipped", path]);
  results.push(`${pkg}: publint ok, attw ok (${tarball})`);
}

const consumer = join(work, "consumer");
mkdirSync(consumer, { recursive: true });
const tarballs = readdirSync(join(work, "tarballs")).map((t) => `file:../tarballs/${t}`);
writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
cpSync(join(ROOT, "scripts", "consumer", "usage.ts"), join(consumer, "usage.ts"));
writeFileSync(
  join(consumer, "tsconfig.json"),
  JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", noEmit: true, lib: ["ES2023", "DOM"], types: ["node"], skipLibCheck: false } }, null, 2),
);
run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", ...tarballs, join(ROOT, "node_modules", "typescript"), join(ROOT, "node_modules", "@types", "node")], consumer);
run(join(consumer, "node_modules", ".bin", "tsc"), ["-p", "."], consumer);
results.push("consumer project: npm pack tarballs installed, design.md usage type-checks under --strict");
// The sandbox loads the specs at run time: start it from the installed tarball, call it once.
writeFileSync(
  join(consumer, "smoke.mjs"),
  `import { startSandbox } from "@signalbridge/sandbox";
import { createSignalBridge } from "@signalbridge/sdk";
const sandbox = await startSandbox({ port: 0 });
try {
  const sb = createSignalBridge({ ...sandbox.config, logLevel: "off" });
  const { notice_id } = await sb.eiam.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", all: true });
  if (!notice_id) throw new Error("no notice id");
} finally {
  await sandbox.close();
}
`,
);
run("node", ["smoke.mjs"], consumer);
results.push("consumer project: the installed sandbox starts (specs packed with it) and the installed facade calls it");
rmSync(work, { recursive: true, force: true });
console.log(results.join("\n"));
