#!/usr/bin/env node
/**
 * Scaffold a new vendor the way the existing ones are built (design.md, "Layout"):
 *
 *   node scripts/new-vendor.mjs <key> --name "<Vendor display name>" [--package-dir <dir>] [--no-install]
 *   npm run new-vendor -- <key> --name "<Vendor display name>"
 *
 * Writes specs/<key>.yaml (a minimal OpenAPI 3.1 spec that passes the strict `redocly lint`),
 * packages/<dir>/ (package.json, tsconfigs, turbo.json, README, src/{auth,errors,client,index}.ts,
 * wire, type and spec-example tests), the docs samples the docs site needs for every vendor it
 * lists, and registers the vendor in redocly.yaml (`apis:`), scripts/generate/vendors.mjs
 * (VENDORS: generator, drift check, docs) and the root package.json workspaces. Then it runs the
 * generator into packages/<dir>/src/generated/, links the workspace with `npm install` (which
 * also records it in package-lock.json, so that `npm ci` keeps working) and prints the steps
 * left to do by hand.
 *
 * Tested end to end, in a temporary copy of the repository, by packages/testkit/test/new-vendor.test.mjs.
 *
 * Bad input (a key that is not lowercase kebab-case, a key or package directory that exists, no
 * --name) is refused with exit code 2 before anything is written. If a later step fails, every
 * file written so far is removed and every edited file restored.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TEMPLATE = join(ROOT, "scripts", "new-vendor", "template");
const KEY_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Names the docs site and the repository already use for something else. */
const RESERVED = new Set(["index", "overview", "assets", "core", "sdk", "sandbox", "docs", "testkit"]);

const USAGE = `usage: node scripts/new-vendor.mjs <key> --name "<Vendor display name>" [--package-dir <dir>] [--no-install]
       npm run new-vendor -- <key> --name "<Vendor display name>"

  <key>            lowercase kebab-case vendor key (e.g. acme-alerts): specs/<key>.yaml, the error's
                   \`vendor\`, the docs page <key>.html
  --name           the vendor's display name (e.g. "Acme Alerts"), required
  --package-dir    the folder under packages/ and the npm name @signalbridge/<dir>; default <key>
  --no-install     do not run npm install afterwards (the workspace is then not linked into
                   node_modules/@signalbridge/ and package-lock.json does not list it yet)`;

class UsageError extends Error {}

function parseArgs(argv) {
  const out = { key: undefined, name: undefined, packageDir: undefined, install: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const eq = arg.indexOf("=");
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === "--help" || arg === "-h") out.help = true;
    else if (arg === "--no-install") out.install = false;
    else if (arg === "--name" || arg.startsWith("--name=")) out.name = value();
    else if (arg === "--package-dir" || arg.startsWith("--package-dir=")) out.packageDir = value();
    else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else if (out.key === undefined) out.key = arg;
    else throw new UsageError(`unexpected argument "${arg}" (one key at a time)`);
  }
  return out;
}

const read = (rel) => readFileSync(join(ROOT, rel), "utf8");
const pascal = (key) =>
  key
    .split("-")
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");

/** Everything the scaffold would do, checked against the repository; throws UsageError on bad input. */
async function plan(args) {
  const { key } = args;
  if (key === undefined) throw new UsageError("missing <key>");
  if (!KEY_PATTERN.test(key) || key.length > 40) {
    throw new UsageError(`invalid key "${key}": use lowercase kebab-case, a letter first, at most 40 characters (e.g. acme-alerts)`);
  }
  const dir = args.packageDir ?? key;
  if (!KEY_PATTERN.test(dir) || dir.length > 60) {
    throw new UsageError(`invalid --package-dir "${dir}": use a lowercase kebab-case folder name under packages/ (e.g. acme-alerts)`);
  }
  if (args.name === undefined) throw new UsageError(`missing --name "<Vendor display name>" (e.g. --name "Acme Alerts")`);
  const name = args.name.trim();
  if (name === "" || /[\u0000-\u001f\u007f"\\`]/.test(name) || name.includes("*/") || name.length > 80) {
    throw new UsageError(
      `invalid --name ${JSON.stringify(args.name)}: one line of at most 80 characters, without quotes, backslashes or backticks`,
    );
  }
  if (RESERVED.has(key)) throw new UsageError(`key "${key}" is reserved (the repository or the docs site uses it)`);
  if (RESERVED.has(dir)) throw new UsageError(`package dir "${dir}" is reserved`);

  const { VENDORS } = await import(pathToFileURL(join(ROOT, "scripts", "generate", "vendors.mjs")).href);
  const rootPkg = JSON.parse(read("package.json"));
  const redocly = read("redocly.yaml");
  const lintName = `${key}@v1`;
  const spec = `specs/${key}.yaml`;
  const packageDir = `packages/${dir}`;
  const packageName = `@signalbridge/${dir}`;

  const taken = [
    VENDORS.some((v) => v.key === key) && `VENDORS in scripts/generate/vendors.mjs already has key "${key}"`,
    existsSync(join(ROOT, spec)) && `${spec} already exists`,
    new RegExp(`^  ${key}@[^:\\s]*:`, "m").test(redocly) && `redocly.yaml already has an api named ${key}@…`,
    existsSync(join(ROOT, "packages", "docs", "samples", key)) && `packages/docs/samples/${key}/ already exists`,
  ].filter(Boolean);
  if (taken.length) throw new UsageError(`vendor key "${key}" already exists: ${taken.join("; ")}`);
  const dirTaken = [
    existsSync(join(ROOT, packageDir)) && `${packageDir}/ already exists`,
    VENDORS.some((v) => v.packageDir === packageDir || v.packageName === packageName) && `VENDORS already has ${packageDir}`,
    (rootPkg.workspaces ?? []).includes(packageDir) && `package.json workspaces already lists ${packageDir}`,
  ].filter(Boolean);
  if (dirTaken.length) throw new UsageError(`package dir "${dir}" already exists: ${dirTaken.join("; ")}`);

  // Versions come from the repository, so the new package pins what the others pin.
  const corePkg = JSON.parse(read("packages/core/package.json"));
  const testkitPkg = JSON.parse(read("packages/testkit/package.json"));
  const yamlVersion = rootPkg.devDependencies?.yaml;
  const vars = {
    key,
    dir,
    spec,
    lintName,
    Pascal: pascal(key),
    camel: pascal(key)[0].toLowerCase() + pascal(key).slice(1),
    envPrefix: key.toUpperCase().replace(/-/g, "_"),
    nameText: name,
    nameYaml: JSON.stringify(name),
  };
  const fill = (text, file) => {
    const out = text.replace(/\{\{(\w+)\}\}/g, (m, v) => {
      if (!(v in vars)) throw new Error(`template ${file}: unknown placeholder ${m}`);
      return vars[v];
    });
    return out;
  };
  const template = (rel) => fill(readFileSync(join(TEMPLATE, rel), "utf8"), rel);

  /** New files: repository-relative path → content. */
  const files = new Map();
  files.set(spec, template("spec.yaml.tmpl"));
  const packageJson = {
    name: packageName,
    version: corePkg.version,
    description: `Typed client for the ${name} API, generated from ${spec}.`,
    license: corePkg.license,
    type: "module",
    sideEffects: false,
    engines: { node: corePkg.engines.node },
    exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" }, "./package.json": "./package.json" },
    main: "./dist/index.js",
    types: "./dist/index.d.ts",
    files: ["dist", "src", "README.md"],
    repository: { ...corePkg.repository, directory: packageDir },
    scripts: {
      "lint:spec": `redocly lint ${lintName} --config ../../redocly.yaml`,
      generate: `node ../../scripts/generate/generate.mjs ${dir}`,
      build: "tsc -p tsconfig.build.json",
      typecheck: "tsc -p tsconfig.json --noEmit",
      test: "tsc -p tsconfig.json --noEmit && vitest run --reporter=default --reporter=json --outputFile.json=test-report.json",
    },
    dependencies: { "@signalbridge/core": corePkg.version, "openapi-fetch": corePkg.dependencies["openapi-fetch"] },
    devDependencies: { "@signalbridge/testkit": testkitPkg.version, yaml: yamlVersion },
  };
  files.set(`${packageDir}/package.json`, `${JSON.stringify(packageJson, null, 2)}\n`);
  const walk = (rel) =>
    readdirSync(join(TEMPLATE, rel), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(`${rel}/${e.name}`) : [`${rel}/${e.name}`],
    );
  for (const rel of walk("package")) {
    const target = `${packageDir}/${rel.slice("package/".length).replace(/\.tmpl$/, "")}`;
    files.set(target, template(rel));
  }
  // The docs site lists every VENDORS entry and needs a type-checked sample per operation.
  files.set(`packages/docs/samples/${key}/sendNotification.ts`, template("docs/sample.ts.tmpl"));
  files.set(`packages/docs/samples/overview/${key}.ts`, template("docs/overview.ts.tmpl"));
  for (const [rel, text] of files) {
    if (/\{\{\w+\}\}/.test(text)) throw new Error(`template for ${rel} left a placeholder`);
    if (existsSync(join(ROOT, rel))) throw new UsageError(`${rel} already exists`);
  }

  /** Edited files: repository-relative path → new content. */
  const edits = new Map();
  edits.set("redocly.yaml", addApi(redocly, lintName, spec));
  edits.set(
    "scripts/generate/vendors.mjs",
    addVendor(read("scripts/generate/vendors.mjs"), { key, name, spec, lintName, packageDir, packageName }),
  );
  edits.set("package.json", addWorkspace(read("package.json"), rootPkg, packageDir));
  return { key, dir, name, spec, lintName, packageDir, packageName, vars, files, edits };
}

/** redocly.yaml: one more `apis:` entry after the last one, comments kept. */
function addApi(text, lintName, spec) {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^apis:\s*$/.test(l));
  if (start < 0) throw new Error("redocly.yaml has no top-level `apis:` map");
  let end = start + 1;
  while (end < lines.length && (/^\s+\S/.test(lines[end]) || (lines[end] === "" && /^\s+\S/.test(lines[end + 1] ?? "")))) end++;
  lines.splice(end, 0, `  ${lintName}:`, `    root: ${spec}`);
  return lines.join("\n");
}

/** vendors.mjs: one more line at the end of the VENDORS array. */
function addVendor(text, v) {
  const at = text.search(/\n\];\n/);
  if (at < 0 || !/export const VENDORS = \[/.test(text)) throw new Error("scripts/generate/vendors.mjs: VENDORS array not found");
  const q = JSON.stringify;
  const line = `\n  { key: ${q(v.key)}, name: ${q(v.name)}, spec: ${q(v.spec)}, lintName: ${q(v.lintName)}, packageDir: ${q(v.packageDir)}, packageName: ${q(v.packageName)} },`;
  return text.slice(0, at) + line + text.slice(at);
}

/** package.json: the workspace before packages/sdk (the facade and what depends on it come last). */
function addWorkspace(text, pkg, packageDir) {
  const workspaces = [...(pkg.workspaces ?? [])];
  const sdk = workspaces.indexOf("packages/sdk");
  workspaces.splice(sdk < 0 ? workspaces.length : sdk, 0, packageDir);
  // A text edit of the one array, so that the rest of the file keeps its exact text.
  const m = /("workspaces"\s*:\s*\[)([^\]]*)(\])/.exec(text);
  if (!m) throw new Error("package.json: no workspaces array");
  const indent = /\n(\s*)"/.exec(m[2])?.[1] ?? "    ";
  const close = /\n(\s*)$/.exec(m[2])?.[1] ?? "  ";
  const body = `${workspaces.map((w) => `\n${indent}${JSON.stringify(w)}`).join(",")}\n${close}`;
  const out = text.slice(0, m.index) + m[1] + body + m[3] + text.slice(m.index + m[0].length);
  if (JSON.stringify(JSON.parse(out)) !== JSON.stringify({ ...pkg, workspaces })) {
    throw new Error("package.json: could not add the workspace without changing anything else");
  }
  return out;
}

function apply(p) {
  const created = [];
  const restored = new Map();
  const createdDirs = [];
  try {
    for (const [rel, text] of p.files) {
      const abs = join(ROOT, rel);
      let d = dirname(abs);
      const missing = [];
      while (!existsSync(d)) {
        missing.unshift(d);
        d = dirname(d);
      }
      mkdirSync(dirname(abs), { recursive: true });
      createdDirs.push(...missing);
      writeFileSync(abs, text, { flag: "wx" });
      created.push(abs);
    }
    for (const [rel, text] of p.edits) {
      const abs = join(ROOT, rel);
      restored.set(abs, readFileSync(abs, "utf8"));
      writeFileSync(abs, text);
    }
    // The real generator, as `npm run generate` runs it: it reads the VENDORS entry just added.
    run(process.execPath, ["scripts/generate/generate.mjs", p.dir]);
  } catch (error) {
    for (const [abs, text] of restored) writeFileSync(abs, text);
    for (const abs of created.reverse()) rmSync(abs, { force: true });
    for (const d of createdDirs.reverse()) rmSync(d, { recursive: true, force: true });
    rmSync(join(ROOT, p.packageDir), { recursive: true, force: true });
    throw error;
  }
}

function run(cmd, args) {
  execFileSync(cmd, args, {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", TURBO_TELEMETRY_DISABLED: "1" },
  });
}

/**
 * `npm install` is needed once, for two things tsc and turbo do not need (they resolve
 * @signalbridge/core and testkit through the root node_modules already): package-lock.json must
 * list the new workspace or `npm ci` refuses to install, and node_modules/@signalbridge/<dir> must
 * link to it for other workspaces (docs samples, the facade) to import it.
 */
function needsInstall(p) {
  const lock = existsSync(join(ROOT, "package-lock.json")) ? JSON.parse(read("package-lock.json")) : {};
  return !lock.packages?.[p.packageDir] || !existsSync(join(ROOT, "node_modules", p.packageName, "package.json"));
}

function nextSteps(p, installed) {
  const v = p.vars;
  return `
Scaffolded ${p.name} (${p.key}) as ${p.packageName}:
  ${p.spec}
  ${p.packageDir}/  (src/generated/ written by the generator)
  packages/docs/samples/${p.key}/sendNotification.ts, packages/docs/samples/overview/${p.key}.ts
  registered in redocly.yaml (${p.lintName}), scripts/generate/vendors.mjs (VENDORS), package.json workspaces
${
  installed
    ? ""
    : `
  Not installed (--no-install): run \`npm install\` before committing, so that package-lock.json lists
  ${p.packageDir} (or \`npm ci\` fails) and node_modules/${p.packageName} links to it.
`
}
Check it:
  npx redocly lint ${p.lintName}
  npx turbo run test --filter=${p.packageName}

Next steps:
  1. Write ${p.spec} from the seed document and the vendor notes (CONTRIBUTING.md, "Specs");
     every "Describe ..." text says what to replace. Then \`npm run generate\`.
  2. Adapt ${p.packageDir}/src/auth.ts (the vendor's auth flow), src/errors.ts (how it says no),
     src/client.ts (one named method per operation over .raw), src/index.ts, and the tests in test/.
  3. Docs: one sample per operation in packages/docs/samples/${p.key}/<operationId>.ts, the usage in
     packages/docs/samples/overview/${p.key}.ts, optional quirks in packages/docs/src/content.mjs, and
     "${p.packageName}": "${JSON.parse(p.files.get(`${p.packageDir}/package.json`)).version}" in packages/docs/package.json devDependencies
     (so that turbo builds the package before the samples are type-checked).
  4. By hand, if the vendor belongs there (they do not discover vendors by themselves):
     - packages/sdk: a \`${v.camel}\` section in createSignalBridge (options, fromEnv's SIGNALBRIDGE_${v.envPrefix}_* variables);
     - packages/sandbox: a simulator of the vendor;
     - scripts/check-packages.mjs: "${p.dir}" in PACKAGES (publint, attw);
     - README.md: a row in the vendor table.
`;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
    if (args.help) {
      console.log(USAGE);
      return;
    }
    const p = await plan(args);
    apply(p);
    let installed = false;
    if (args.install && needsInstall(p)) {
      console.log("\nnpm install --no-audit --no-fund  (links the workspace, records it in package-lock.json)");
      try {
        run("npm", ["install", "--no-audit", "--no-fund"]);
      } catch {
        throw new Error(`npm install failed (the scaffold itself is in place); run \`npm install\` yourself, then:${nextSteps(p, true)}`);
      }
      installed = true;
    } else if (args.install) installed = true;
    console.log(nextSteps(p, installed));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`new-vendor: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`new-vendor: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

await main();
