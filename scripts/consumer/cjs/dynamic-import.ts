// A CommonJS TypeScript project on "module": "node16" (or TypeScript before 5.8), or on a Node
// without require(esm): import() loads the ESM-only packages, and TypeScript types what it returns.
async function main(): Promise<void> {
  const { createSignalBridge, ValidationError } = await import("@signalbridge/sdk");
  const { startSandbox } = await import("@signalbridge/sandbox");
  const sandbox = await startSandbox({ port: 0 });
  try {
    const sb = createSignalBridge({ ...sandbox.config, logLevel: "off" });
    const { notice_id } = await sb.eiam.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", all: true });
    const refused = await sb.eiam
      .sendInSiteNotice({ title: "x".repeat(101), content: "c", message_type: "TEXT", all: true })
      .then(() => false, (error: unknown) => error instanceof ValidationError);
    console.log(JSON.stringify({ commonjs: typeof module === "object", notice_id, refused }));
  } finally {
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
