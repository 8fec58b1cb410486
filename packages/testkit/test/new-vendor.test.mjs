/**
 * The `new-vendor` scaffold (scripts/new-vendor.mjs), end to end, in a copy of the repository:
 * the repository's files (tracked and untracked-not-ignored, as they are in the working tree)
 * copied to a temporary folder, its node_modules made of links to this one's installed packages
 * and to the copy's own workspaces (no `npm ci`, no network). There the scaffold adds a vendor,
 * and the new vendor goes through the real pipeline: the strict `redocly lint` of its api, the
 * generator, turbo's lint:spec → generate → build → test of the new package (core and testkit
 * built from the copy's sources), and the generated-code drift check. Bad input is refused with
 * exit code 2 and writes nothing. Negative controls show that each check can fail. The copy is
 * removed afterwards, whatever happens.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// Every test here spawns node, the generator, redocly or turbo: seconds each, 10+ s on a loaded
// 2-core machine (the generator test took 11 s there), so none relies on vitest's 5 s default.
const SLOW = 120_000;

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const KEY = "acme-alerts";
const NAME = "Acme Alerts";
const PKG = `packages/${KEY}`;
const BIN = (name) => join(ROOT, "node_modules", ".bin", name);
const ENV = { ...process.env, REDOCLY_TELEMETRY: "off", TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", NO_COLOR: "1", FORCE_COLOR: "0" };
for (const k of Object.keys(ENV)) if (k.startsWith("TURBO_") && !["TURBO_TELEMETRY_DISABLED"].includes(k)) delete ENV[k];
for (const k of ["VITEST", "VITEST_MODE", "VITEST_POOL_ID", "VITEST_WORKER_ID", "NODE_ENV", "TEST"]) delete ENV[k];

let copy;

/** Run a command in the copy; never throws: the test reads status and output. */
function run(cmd, args, cwd = copy) {
  const r = spawnSync(cmd, args, { cwd, env: ENV, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout, stderr: r.stderr };
}
const scaffold = (...args) => run(process.execPath, ["scripts/new-vendor.mjs", ...args]);
const expectOk = (r) => {
  if (r.status !== 0) throw new Error(`exit ${r.status}:\n${r.out.slice(-4000)}`);
  return r;
};

/** Every file of the copy outside node_modules, with a hash of its content. */
function snapshot() {
  const out = {};
  const walk = (rel) => {
    for (const e of readdirSync(join(copy, rel), { withFileTypes: true })) {
      if (e.name === "node_modules") continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else
        out[r] = createHash("sha256")
          .update(readFileSync(join(copy, r)))
          .digest("hex");
    }
  };
  walk("");
  return out;
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "signalbridge-new-vendor-"));
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  let copied = 0;
  for (const rel of listed) {
    const from = join(ROOT, rel);
    if (!existsSync(from) || !statSync(from).isFile()) continue; // deleted in the working tree
    mkdirSync(dirname(join(copy, rel)), { recursive: true });
    copyFileSync(from, join(copy, rel));
    copied++;
  }
  expect(copied).toBeGreaterThan(100);
  // node_modules: the installed packages by link; @signalbridge/* linked to the copy's own
  // workspaces, as npm would link them.
  mkdirSync(join(copy, "node_modules", "@signalbridge"), { recursive: true });
  for (const name of readdirSync(join(ROOT, "node_modules"))) {
    if (name !== "@signalbridge") symlinkSync(join(ROOT, "node_modules", name), join(copy, "node_modules", name));
  }
  for (const ws of JSON.parse(readFileSync(join(copy, "package.json"), "utf8")).workspaces) {
    const { name } = JSON.parse(readFileSync(join(copy, ws, "package.json"), "utf8"));
    symlinkSync(join("..", "..", ws), join(copy, "node_modules", name));
  }
}, 60_000);

afterAll(() => {
  if (!copy) return;
  rmSync(copy, { recursive: true, force: true });
  expect(existsSync(copy)).toBe(false);
});

describe("new-vendor refuses bad input, writing nothing", () => {
  const cases = [
    ["an upper-case key", ["Acme", "--name", NAME], /invalid key "Acme".*lowercase kebab-case/],
    ["a snake_case key", ["acme_alerts", "--name", NAME], /invalid key "acme_alerts"/],
    ["a key with a double dash", ["acme--alerts", "--name", NAME], /invalid key "acme--alerts"/],
    ["a key starting with a digit", ["1acme", "--name", NAME], /invalid key "1acme"/],
    ["a path as key", ["../acme", "--name", NAME], /invalid key "\.\.\/acme"/],
    ["no key", ["--name", NAME], /missing <key>/],
    ["an existing vendor key", ["enos", "--name", "EnOS again"], /vendor key "enos" already exists/],
    [
      "a key whose spec exists",
      ["bamboocloud-eiam", "--name", "EIAM again", "--package-dir", "eiam2"],
      /vendor key "bamboocloud-eiam" already exists: specs\/bamboocloud-eiam\.yaml already exists/,
    ],
    [
      "an existing package dir",
      ["zs2", "--name", "ZStack again", "--package-dir", "zstack"],
      /package dir "zstack" already exists: packages\/zstack\/ already exists/,
    ],
    ["a package dir of another kind", ["acme-alerts", "--name", NAME, "--package-dir", "sdk"], /package dir "sdk" is reserved/],
    ["a missing --name", [KEY], /missing --name/],
    ["an empty --name", [KEY, "--name", "  "], /invalid --name/],
    ["--name without a value", [KEY, "--name"], /--name needs a value/],
    ["an unknown option", [KEY, "--name", NAME, "--force"], /unknown option --force/],
  ];

  test.each(cases)(
    "refuses %s with exit 2",
    (_what, args, message) => {
      const before = snapshot();
      const r = scaffold(...args, "--no-install");
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain("usage: node scripts/new-vendor.mjs");
      expect(snapshot()).toEqual(before);
    },
    SLOW,
  );
});

describe(`new-vendor ${KEY}`, () => {
  let before;
  let report;

  test(
    "writes the spec, the package and the registrations, and runs the generator",
    () => {
      before = snapshot();
      const r = expectOk(scaffold(KEY, "--name", NAME, "--no-install"));
      expect(r.stdout).toContain(`generated ${PKG}/src/generated`);
      expect(r.stdout).toContain("Next steps:");
      const after = snapshot();
      const added = Object.keys(after)
        .filter((f) => !(f in before))
        .sort();
      const changed = Object.keys(before)
        .filter((f) => after[f] !== before[f])
        .sort();
      expect(Object.keys(before).filter((f) => !(f in after))).toEqual([]);
      expect(changed).toEqual(["package.json", "redocly.yaml", "scripts/generate/vendors.mjs"]);
      expect(added).toEqual(
        [
          `specs/${KEY}.yaml`,
          `packages/docs/samples/${KEY}/sendNotification.ts`,
          `packages/docs/samples/overview/${KEY}.ts`,
          ...["package.json", "README.md", "tsconfig.json", "tsconfig.build.json", "turbo.json"].map((f) => `${PKG}/${f}`),
          ...["auth.ts", "errors.ts", "client.ts", "index.ts"].map((f) => `${PKG}/src/${f}`),
          ...["error-codes.ts", "operations.ts", "schema.ts", "validators.ts"].map((f) => `${PKG}/src/generated/${f}`),
          ...["client.test.ts", "types.test.ts", "spec-examples.test.ts"].map((f) => `${PKG}/test/${f}`),
        ].sort(),
      );

      const pkg = JSON.parse(readFileSync(join(copy, PKG, "package.json"), "utf8"));
      expect(pkg.name).toBe(`@signalbridge/${KEY}`);
      expect(pkg.type).toBe("module");
      expect(Object.keys(pkg.exports["."])).toEqual(["types", "default"]);
      expect(pkg.engines.node).toBe(JSON.parse(readFileSync(join(copy, "packages/core/package.json"), "utf8")).engines.node);
      const enos = JSON.parse(readFileSync(join(copy, "packages/enos/package.json"), "utf8"));
      expect(Object.keys(pkg.scripts).sort()).toEqual(Object.keys(enos.scripts).sort());
      expect(pkg.scripts.test).toBe(enos.scripts.test);
      expect(pkg.scripts["lint:spec"]).toBe(`redocly lint ${KEY}@v1 --config ../../redocly.yaml`);

      const root = JSON.parse(readFileSync(join(copy, "package.json"), "utf8"));
      expect(root.workspaces.indexOf(PKG)).toBe(root.workspaces.indexOf("packages/sdk") - 1);
      expect(readFileSync(join(copy, "redocly.yaml"), "utf8")).toContain(`  ${KEY}@v1:\n    root: specs/${KEY}.yaml\n`);
      const client = readFileSync(join(copy, PKG, "src/client.ts"), "utf8");
      expect(client).toContain("export function createAcmeAlertsClient(");
      expect(readFileSync(join(copy, PKG, "src/generated/operations.ts"), "utf8")).toMatch(
        /sendNotification: \{\n\s+id: "sendNotification",\n\s+method: "POST"/,
      );
      // --no-install: nothing installed, the lockfile untouched.
      expect(existsSync(join(copy, "node_modules/@signalbridge", KEY))).toBe(false);
      expect(after["package-lock.json"]).toBe(before["package-lock.json"]);
    },
    SLOW,
  );

  test(
    "refuses the same key, or its package dir, a second time, writing nothing",
    () => {
      const now = snapshot();
      const again = scaffold(KEY, "--name", NAME, "--no-install");
      expect(again.status).toBe(2);
      expect(again.stderr).toMatch(
        /vendor key "acme-alerts" already exists: VENDORS .* already has key "acme-alerts"; specs\/acme-alerts\.yaml already exists; redocly\.yaml/,
      );
      const dir = scaffold("acme-two", "--name", "Acme Two", "--package-dir", KEY, "--no-install");
      expect(dir.status).toBe(2);
      expect(dir.stderr).toMatch(/package dir "acme-alerts" already exists: packages\/acme-alerts\/ already exists/);
      expect(snapshot()).toEqual(now);
    },
    SLOW,
  );

  test(
    "the new api passes the strict redocly lint, and the lint does check it",
    () => {
      const r = expectOk(run(BIN("redocly"), ["lint", `${KEY}@v1`]));
      expect(r.out).toContain(`validating specs/${KEY}.yaml`);
      expect(r.out).toMatch(/Your API description is valid/);
      expect(r.out).not.toMatch(/You have \d+ warnings?/);
      // Negative control: without its 4XX answers the operation breaks a rule of redocly.yaml.
      const specPath = join(copy, "specs", `${KEY}.yaml`);
      const spec = readFileSync(specPath, "utf8");
      const broken = spec.replace(/\n {8}"401":\n.*\n {8}"4XX":\n.*\n/, "\n");
      expect(broken).not.toBe(spec);
      writeFileSync(specPath, broken);
      try {
        const bad = run(BIN("redocly"), ["lint", `${KEY}@v1`]);
        expect(bad.status).not.toBe(0);
        expect(bad.out).toContain("operation-4xx-response");
      } finally {
        writeFileSync(specPath, spec);
      }
    },
    SLOW,
  );

  test(
    "the generator reproduces the generated files exactly",
    () => {
      const generated = () => Object.fromEntries(Object.entries(snapshot()).filter(([f]) => f.startsWith(`${PKG}/src/generated/`)));
      const first = generated();
      expect(Object.keys(first)).toHaveLength(4);
      const r = expectOk(run(process.execPath, ["scripts/generate/generate.mjs", KEY]));
      expect(r.stdout).toContain(`generated ${PKG}/src/generated`);
      expect(generated()).toEqual(first);
    },
    SLOW,
  );

  test("turbo runs lint:spec, generate, build and test of the new package (and of core and testkit it needs)", () => {
    const r = expectOk(
      run(BIN("turbo"), [
        "run",
        "test",
        `--filter=@signalbridge/${KEY}`,
        "--cache-dir=.turbo-cache",
        "--output-logs=errors-only",
        "--summarize=false",
      ]),
    );
    expect(r.out).toMatch(/Tasks:\s+6 successful, 6 total/);
    for (const f of ["index.js", "index.d.ts", "client.js", "generated/operations.js"])
      expect(existsSync(join(copy, PKG, "dist", f))).toBe(true);
    report = JSON.parse(readFileSync(join(copy, PKG, "test-report.json"), "utf8"));
    expect(report.numFailedTests).toBe(0);
    expect(report.numTotalTests).toBe(report.numPassedTests);
    expect(report.numPassedTests).toBeGreaterThanOrEqual(10);
    const files = report.testResults.map((t) => t.name.slice(t.name.lastIndexOf("/") + 1)).sort();
    expect(files).toEqual(["client.test.ts", "spec-examples.test.ts", "types.test.ts"]);
    const titles = report.testResults.flatMap((t) => t.assertionResults.map((a) => a.title));
    expect(titles).toContain("sends one authenticated JSON POST and returns the vendor's answer");
  }, 120_000);

  test("the wire test fails when the request on the wire is wrong (negative control)", () => {
    const authPath = join(copy, PKG, "src", "auth.ts");
    const auth = readFileSync(authPath, "utf8");
    const broken = auth.replace("`Bearer ${token}`", "`Token ${token}`");
    expect(broken).not.toBe(auth);
    writeFileSync(authPath, broken);
    try {
      const r = run(BIN("vitest"), ["run", "test/client.test.ts"], join(copy, PKG));
      expect(r.status).not.toBe(0);
      expect(r.out).toMatch(/sends one authenticated JSON POST/);
      expect(r.out).toMatch(/Token test-token|Bearer test-token/);
    } finally {
      writeFileSync(authPath, auth);
    }
  }, 60_000);

  test(
    "the drift check covers the new vendor",
    () => {
      const ok = expectOk(run(process.execPath, ["scripts/check-generated.mjs"]));
      expect(ok.stdout).toContain("generated code is up to date (4 vendors)");
      const file = join(copy, PKG, "src", "generated", "operations.ts");
      const text = readFileSync(file, "utf8");
      writeFileSync(file, `${text}// edited by hand\n`);
      try {
        const drift = run(process.execPath, ["scripts/check-generated.mjs"]);
        expect(drift.status).toBe(1);
        expect(drift.stderr).toContain(`${PKG}/src/generated/operations.ts: differs from a fresh generation`);
      } finally {
        writeFileSync(file, text);
      }
    },
    SLOW,
  );
});
