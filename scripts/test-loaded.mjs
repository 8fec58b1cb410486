#!/usr/bin/env node
/**
 * npm run test:loaded: the README's test command (`npm test`) while two CPU-burning processes keep
 * both cores busy, the way a shared CI runner or a developer's busy laptop is. A suite that passes
 * here does not depend on how fast the machine is.
 *
 *   node scripts/test-loaded.mjs                  # npm test under load
 *   node scripts/test-loaded.mjs -- <cmd> [args]  # any other command under load
 *   BURNERS=4 node scripts/test-loaded.mjs        # more burners (default 2)
 *
 * The burners are bounded: stopped when the command ends (pass or fail), on Ctrl-C / SIGTERM, and
 * each one also exits by itself if this script dies (its parent changes) or after MAX_BURN_MS.
 * Exits with the command's exit code; prints the wall time.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MAX_BURN_MS = 60 * 60_000;
const dash = process.argv.indexOf("--");
const [cmd, ...args] = dash >= 0 ? process.argv.slice(dash + 1) : ["npm", "test"];
if (!cmd) {
  console.error("test-loaded: nothing to run after --");
  process.exit(2);
}
const burnerCount = Number(process.env.BURNERS ?? 2);
if (!Number.isInteger(burnerCount) || burnerCount < 0 || burnerCount > 64) {
  console.error(`test-loaded: BURNERS must be an integer from 0 to 64 (got "${process.env.BURNERS}")`);
  process.exit(2);
}

// Spins; every ~10^7 iterations checks that its parent is still this script and that it has not
// outlived MAX_BURN_MS, so no burner can be left behind spinning.
const BURN = `const parent = process.ppid, until = Date.now() + ${MAX_BURN_MS};
for (;;) { for (let i = 0; i < 1e7; i++); if (process.ppid !== parent || Date.now() > until) process.exit(0); }`;

const burners = Array.from({ length: burnerCount }, () => spawn(process.execPath, ["-e", BURN], { stdio: "ignore" }));
const stopBurners = () => {
  for (const b of burners) if (b.exitCode === null && b.signalCode === null) b.kill("SIGKILL");
};
process.on("exit", stopBurners);

const label = [cmd, ...args].join(" ");
console.log(
  `test-loaded: ${burnerCount} CPU burner(s) running (pids ${burners.map((b) => b.pid).join(", ")}); running \`${label}\` in ${ROOT}`,
);
const started = Date.now();
const child = spawn(cmd, args, { cwd: ROOT, stdio: "inherit" });

let interrupted;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    interrupted = signal;
    stopBurners();
    // Ctrl-C in a terminal reaches the command too; a SIGTERM from elsewhere is passed on.
    if (child.exitCode === null) child.kill(signal);
  });
}

const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
child.on("error", (error) => {
  stopBurners();
  console.error(`test-loaded: could not run \`${label}\`: ${error.message}`);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  stopBurners();
  const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
  console.log(
    `\ntest-loaded: \`${label}\` ${how} after ${seconds()} s wall time with ${burnerCount} CPU burner(s)${interrupted ? ` (interrupted: ${interrupted})` : ""}`,
  );
  process.exit(code ?? (signal === "SIGINT" ? 130 : 1));
});
