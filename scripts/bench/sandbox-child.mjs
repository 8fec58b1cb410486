// The sandbox under load runs in its own process, so its memory is its own.
import { startSandbox } from "@signalbridge/sandbox";

const sandbox = await startSandbox({ port: 0, eiam: JSON.parse(process.env.SANDBOX_EIAM_OPTIONS ?? "{}") });
const memory = () => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return { rssMiB: +(m.rss / 2 ** 20).toFixed(1), heapUsedMiB: +(m.heapUsed / 2 ** 20).toFixed(1) };
};
process.send({ type: "ready", config: sandbox.config, memory: memory() });
process.on("message", async (msg) => {
  if (msg === "memory") process.send({ type: "memory", memory: memory() });
  if (msg === "stop") {
    await sandbox.close();
    process.exit(0);
  }
});
