#!/usr/bin/env node
/** npm start: the docs site and the sandbox on 127.0.0.1, until Ctrl-C. */
import { startSandbox } from "@signalbridge/sandbox";
import { serveDocs } from "@signalbridge/docs/serve";

const port = Number(process.env.PORT ?? 4000);
const docs = await serveDocs({ host: "127.0.0.1", port });
const sandbox = await startSandbox({ port: port + 10 });
console.log(`signalbridge docs    ${docs.url}`);
for (const [vendor, cfg] of Object.entries(sandbox.config)) {
  const { baseUrl, ...credentials } = cfg;
  console.log(`sandbox ${vendor.padEnd(7)}      ${baseUrl}   ${JSON.stringify(credentials)}`);
}
console.log(`sandbox control token  ${sandbox.controlToken}   (x-sandbox-token header for /__sandbox/*)`);
console.log("Ctrl-C to stop.");
const stop = async () => {
  await Promise.all([docs.close(), sandbox.close()]);
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
