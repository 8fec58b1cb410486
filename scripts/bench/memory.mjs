/**
 * Item 4 of the performance issue: 100,000 sequential calls through one client leave the heap
 * after GC within 5% of its value at 10,000 calls. Measured in a child process of its own
 * (node --expose-gc), so that nothing else of the bench is on its heap; the server is another
 * process (minimal-server.mjs).
 *   node scripts/bench/memory.mjs
 */
import { fork } from "node:child_process";

export const MEMORY_TARGET = 0.05;

export async function benchMemory({ first = 10_000, total = 100_000 } = {}) {
  const child = fork(new URL("./memory-child.mjs", import.meta.url), [String(first), String(total)], {
    execArgv: ["--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const result = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("error", reject);
    child.once("exit", (code) => code && reject(new Error(`memory child exited with ${code}`)));
  });
  const growth = result.heapAfter / result.heapAtFirst - 1;
  return {
    method: `one EIAM client (validation on, default transport), ${total.toLocaleString("en")} sequential sendInSiteNotice calls; heap used after gc() at ${first.toLocaleString("en")} and at ${total.toLocaleString("en")} calls`,
    transport: result.transport,
    heapUsedMiBAt: { [first]: +(result.heapAtFirst / 2 ** 20).toFixed(2), [total]: +(result.heapAfter / 2 ** 20).toFixed(2) },
    growthPercent: +(growth * 100).toFixed(2),
    target: `within ${MEMORY_TARGET * 100}% (growth between -5% and +5%)`,
    met: Math.abs(growth) <= MEMORY_TARGET,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchMemory(), null, 2));
