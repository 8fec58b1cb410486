// The client side of memory.mjs (run with --expose-gc): calls, collects, reports heapUsed.
import { createEiamClient } from "@signalbridge/bamboocloud-eiam";
import { startMinimalServer } from "./peers.mjs";

const [first, total] = process.argv.slice(2).map(Number);
const server = await startMinimalServer();
let fetchCalls = 0;
const nodeFetch = globalThis.fetch;
globalThis.fetch = (...args) => {
  fetchCalls++;
  return nodeFetch(...args);
};
const eiam = createEiamClient({ baseUrl: server.baseUrl, accessToken: "bench-token-0000", logLevel: "off" });
const notice = {
  title: "Disk alarm",
  content: "Disk 90% full on node-7",
  message_type: "TEXT",
  user_names: ["ziceUser", "zhangaaa01"],
  all: false,
};

const heapAfterGc = async () => {
  // Several passes, with turns of the event loop between them, so that finalizers and weak
  // references (the transport's receipts) are collected too.
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
};

let calls = 0;
const runTo = async (n) => {
  for (; calls < n; calls++) {
    const { notice_id } = await eiam.sendInSiteNotice(notice);
    if (!notice_id) throw new Error("no notice_id");
  }
};
await runTo(first);
const heapAtFirst = await heapAfterGc();
await runTo(total);
const heapAfter = await heapAfterGc();
await server.stop();
process.send({ heapAtFirst, heapAfter, transport: fetchCalls === 0 ? "undici" : "fetch" });
process.disconnect();
