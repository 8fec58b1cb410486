// A CommonJS TypeScript project (package.json "type": "commonjs", tsconfig "module": "nodenext",
// TypeScript 5.8 or later): its imports compile to require(), and Node loads the ESM-only packages
// through require(esm) (Node 20.19+ / 22.12+). Under "module": "node16" the same file is refused
// with TS1479; see dynamic-import.ts for that case.
import * as sdk from "@signalbridge/sdk";
import * as sandbox from "@signalbridge/sandbox";
import { exercise } from "./exercise";

exercise(sdk, sandbox).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
