#!/usr/bin/env node
/**
 * Drift gate: regenerate every vendor into a temporary folder and compare with the files in the
 * working tree. A difference means someone edited generated code by hand or changed a spec or
 * the generator without running `npm run generate`.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateVendor } from "./generate/generate.mjs";
import { VENDORS } from "./generate/vendors.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const scratch = await mkdtemp(join(tmpdir(), "signalbridge-gen-"));
const problems = [];
try {
  for (const vendor of VENDORS) {
    await generateVendor(vendor, scratch);
    const fresh = join(scratch, vendor.packageDir, "src", "generated");
    const committed = join(ROOT, vendor.packageDir, "src", "generated");
    const names = new Set([...(await list(fresh)), ...(await list(committed))]);
    for (const name of [...names].sort()) {
      const [a, b] = await Promise.all([read(join(fresh, name)), read(join(committed, name))]);
      if (a === undefined) problems.push(`${vendor.packageDir}/src/generated/${name}: not produced by the generator (delete it)`);
      else if (b === undefined) problems.push(`${vendor.packageDir}/src/generated/${name}: missing (run npm run generate)`);
      else if (a !== b)
        problems.push(
          `${vendor.packageDir}/src/generated/${name}: differs from a fresh generation (run npm run generate; never edit it by hand)`,
        );
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
if (problems.length) {
  console.error(`generated code drift:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`generated code is up to date (${VENDORS.length} vendors)`);

async function list(dir) {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}
async function read(file) {
  try {
    return await readFile(file, "utf8");
  } catch {
    return undefined;
  }
}
