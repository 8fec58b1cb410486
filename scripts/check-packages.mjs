#!/usr/bin/env node
/**
 * The release gate (`npm run release:check`, run by CI and by `npm run release` before publishing):
 *  1. `npm pack` every published package; publint --strict and Are-the-types-wrong on the tarball;
 *     the tarball carries its README.md and a CHANGELOG.md with an entry for its version.
 *  2. An ES-module TypeScript project installs the tarballs and type-checks design.md's usage
 *     (scripts/consumer/usage.ts) under --strict; the installed sandbox starts (its specs are packed
 *     with it) and the installed facade calls it.
 *  3. A CommonJS TypeScript project ("type": "commonjs") installs them too. With "module":
 *     "nodenext" its `import`s compile to require() and run (Node's require(esm)); with "node16"
 *     that file is refused (TS1479, the error the README explains) and the import() form
 *     (scripts/consumer/cjs/) type-checks and runs instead.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGES = ["core", "zstack", "bamboocloud-eiam", "enos", "sdk", "journal", "sandbox"];
const work = join(ROOT, ".pack-check");
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, "tarballs"), { recursive: true });

/** Run a command; on failure show what it printed, then stop. */
function run(cmd, args, cwd = ROOT) {
  const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) fail(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}
function fail(message) {
  console.error(`release:check failed: ${message}`);
  process.exit(1);
}
const step = (text) => console.log(`release:check: ${text}`);

// 1. Tarballs.
for (const pkg of PACKAGES) {
  const dir = join(ROOT, "packages", pkg);
  const { name, version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", join(work, "tarballs")], dir));
  const files = new Set(packed.files.map((f) => f.path));
  for (const required of ["package.json", "README.md", "CHANGELOG.md", "dist/index.js", "dist/index.d.ts"]) {
    if (!files.has(required)) fail(`${packed.filename} has no ${required}`);
  }
  const changelog = readFileSync(join(dir, "CHANGELOG.md"), "utf8");
  if (!changelog.startsWith(`# ${name}\n`) || !changelog.includes(`\n## ${version}\n`)) {
    fail(
      `packages/${pkg}/CHANGELOG.md must start with "# ${name}" and have an entry "## ${version}" (changesets writes it: npm run version-packages)`,
    );
  }
  const path = join(work, "tarballs", packed.filename);
  run(join(ROOT, "node_modules", ".bin", "publint"), ["--strict", path]);
  run(join(ROOT, "node_modules", ".bin", "attw"), ["--profile", "esm-only", "--format", "table-flipped", path]);
  step(`${pkg}: publint ok, attw ok, README and CHANGELOG ${version} packed (${packed.filename})`);
}
const tarballs = readdirSync(join(work, "tarballs")).map((t) => `file:../tarballs/${t}`);

/** A fresh project with the tarballs, TypeScript and @types/node installed. */
function consumerProject(dirName, packageJson) {
  const dir = join(work, dirName);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: dirName, private: true, ...packageJson }, null, 2));
  run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      ...tarballs,
      join(ROOT, "node_modules", "typescript"),
      join(ROOT, "node_modules", "@types", "node"),
    ],
    dir,
  );
  return dir;
}
const tsconfig = (compilerOptions, include) =>
  JSON.stringify(
    {
      compilerOptions: { strict: true, target: "ES2022", lib: ["ES2023", "DOM"], types: ["node"], skipLibCheck: false, ...compilerOptions },
      include,
    },
    null,
    2,
  );
const tsc = (dir, config) => spawnSync(join(dir, "node_modules", ".bin", "tsc"), ["-p", config], { cwd: dir, encoding: "utf8" });
/** Run an emitted script; it prints one JSON line, which must say it ran as CommonJS and sent and refused. */
function runsAsCommonJs(dir, file) {
  const out = run(process.execPath, [file], dir).trim().split("\n").pop();
  const result = JSON.parse(out);
  if (result.commonjs !== true || !result.notice_id || result.refused !== true) fail(`${file} printed ${out}`);
}

// 2. An ES-module consumer.
const esm = consumerProject("consumer", { type: "module" });
cpSync(join(ROOT, "scripts", "consumer", "usage.ts"), join(esm, "usage.ts"));
writeFileSync(join(esm, "tsconfig.json"), tsconfig({ module: "NodeNext", moduleResolution: "NodeNext", noEmit: true }, ["usage.ts"]));
run(join(esm, "node_modules", ".bin", "tsc"), ["-p", "."], esm);
step("ESM consumer: npm pack tarballs installed, design.md usage type-checks under --strict");
writeFileSync(
  join(esm, "smoke.mjs"),
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
run(process.execPath, ["smoke.mjs"], esm);
step("ESM consumer: the installed sandbox starts (specs packed with it) and the installed facade calls it");

// 3. A CommonJS consumer.
const cjs = consumerProject("consumer-cjs", { type: "commonjs" });
cpSync(join(ROOT, "scripts", "consumer", "cjs"), cjs, { recursive: true });
writeFileSync(
  join(cjs, "tsconfig.require.json"),
  tsconfig({ module: "nodenext", moduleResolution: "nodenext", outDir: "out/require" }, ["require-esm.ts"]),
);
writeFileSync(
  join(cjs, "tsconfig.node16.json"),
  tsconfig({ module: "node16", moduleResolution: "node16", noEmit: true }, ["require-esm.ts"]),
);
writeFileSync(
  join(cjs, "tsconfig.import.json"),
  tsconfig({ module: "node16", moduleResolution: "node16", outDir: "out/import" }, ["dynamic-import.ts"]),
);

let r = tsc(cjs, "tsconfig.require.json");
if (r.status !== 0) fail(`the CommonJS consumer does not type-check with "module": "nodenext":\n${r.stdout}${r.stderr}`);
const emitted = readFileSync(join(cjs, "out", "require", "require-esm.js"), "utf8");
if (!emitted.includes('require("@signalbridge/sdk")'))
  fail(`out/require/require-esm.js does not require() the facade:\n${emitted.slice(0, 2000)}`);
runsAsCommonJs(cjs, join("out", "require", "require-esm.js"));
step('CommonJS consumer, "module": "nodenext": type-checks, compiles to require(), runs against the installed sandbox');

r = tsc(cjs, "tsconfig.node16.json");
if (r.status === 0 || !`${r.stdout}`.includes("TS1479"))
  fail(`"module": "node16" was expected to refuse require-esm.ts with TS1479, got exit ${r.status}:\n${r.stdout}${r.stderr}`);
r = tsc(cjs, "tsconfig.import.json");
if (r.status !== 0) fail(`the CommonJS consumer's import() form does not type-check with "module": "node16":\n${r.stdout}${r.stderr}`);
runsAsCommonJs(cjs, join("out", "import", "dynamic-import.js"));
step('CommonJS consumer, "module": "node16": TS1479 on a static import (as the README says); the import() form type-checks and runs');

rmSync(work, { recursive: true, force: true });
step("passed");
