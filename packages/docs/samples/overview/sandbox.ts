import { startSandbox } from "@signalbridge/sandbox";
import { createSignalBridge } from "@signalbridge/sdk";

// All three simulators on 127.0.0.1, on free ports.
const sandbox = await startSandbox({ port: 0 });
try {
  const sb = createSignalBridge(sandbox.config); // base URLs + sandbox credentials
  const { notice_id } = await sb.eiam.sendInSiteNotice({
    title: "Hello",
    content: "From the sandbox.",
    message_type: "TEXT",
    all: true,
  });
  console.log(notice_id);
} finally {
  await sandbox.close();
}
