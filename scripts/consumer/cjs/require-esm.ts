// A CommonJS TypeScript project (package.json "type": "commonjs", tsconfig "module": "nodenext",
// TypeScript 5.8 or later): its imports compile to require(), and Node loads the ESM-only packages
// through require(esm) (Node 20.19+ / 22.12+). Under "module": "node16" the same file is refused
// with TS1479; see dynamic-import.ts for that case.
import { createSignalBridge, ValidationError } from "@signalbridge/sdk";
import { startSandbox } from "@signalbridge/sandbox";

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: 0 });
  try {
    const sb = createSignalBridge({ ...sandbox.config, logLevel: "off" });
    const { notice_id } = await sb.eiam.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", all: true });
    const refused = await sb.eiam
      .sendInSiteNotice({ title: "x".repeat(101), content: "c", message_type: "TEXT", all: true })
      .then(() => false, (error: unknown) => error instanceof ValidationError);
    // `module` exists only in a CommonJS module: this really ran as one.
    console.log(JSON.stringify({ commonjs: typeof module === "object", notice_id, refused }));
  } finally {
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
