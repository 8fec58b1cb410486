// A CommonJS TypeScript project on "module": "node16" (or TypeScript before 5.8), or on a Node
// without require(esm): import() loads the ESM-only packages, and TypeScript types what it returns.
import { exercise } from "./exercise";

async function main(): Promise<void> {
  await exercise(await import("@signalbridge/sdk"), await import("@signalbridge/sandbox"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
