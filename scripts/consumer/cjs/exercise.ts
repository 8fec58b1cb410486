// What both CommonJS entry points do with the packages once loaded: start the installed sandbox,
// send through the facade, and see bad input refused. Types come from type-only imports, which a
// CommonJS file may take from an ES module when it says so (`resolution-mode`).
import type * as Sdk from "@signalbridge/sdk" with { "resolution-mode": "import" };
import type * as Sandbox from "@signalbridge/sandbox" with { "resolution-mode": "import" };

export async function exercise(sdk: typeof Sdk, { startSandbox }: typeof Sandbox): Promise<void> {
  const sandbox = await startSandbox({ port: 0 });
  try {
    const sb = sdk.createSignalBridge({ ...sandbox.config, logLevel: "off" });
    const { notice_id } = await sb.eiam.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", all: true });
    const refused = await sb.eiam
      .sendInSiteNotice({ title: "x".repeat(101), content: "c", message_type: "TEXT", all: true })
      .then(() => false, (error: unknown) => error instanceof sdk.ValidationError);
    // `module` exists only in a CommonJS module: this really ran as one.
    console.log(JSON.stringify({ commonjs: typeof module === "object", notice_id, refused }));
  } finally {
    await sandbox.close();
  }
}
