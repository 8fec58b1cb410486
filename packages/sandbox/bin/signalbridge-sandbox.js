#!/usr/bin/env node
// The committed entry point of `npx signalbridge-sandbox`. npm links a package's bin only if the
// file exists when it installs, and in the repository dist/ is built after `npm ci`: pointing the
// bin at dist/cli.js left no link, so npx went to the registry for a package of that name.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  console.error("signalbridge-sandbox: not built yet (dist/cli.js is missing): run `npm run build` first");
  process.exit(1);
}
await import(cli.href);
