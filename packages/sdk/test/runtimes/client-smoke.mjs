// Run by each runtime of test/runtimes.test.ts (Node majors, Bun, Deno): the published ESM
// packages, one real operation per vendor against a sandbox whose config arrives as the first
// argument. Prints one JSON line, naming the runtime that ran it.
import { createSignalBridge, ValidationError } from "@signalbridge/sdk";

// Counts the runtime's own fetch: Bun and Deno must not get the Node transport.
const runtimeFetch = globalThis.fetch;
let fetchCalls = 0;
globalThis.fetch = (...args) => (fetchCalls++, runtimeFetch(...args));
const { config, endpointUuid, appId } = JSON.parse(process.argv[2] ?? (globalThis.Deno ? Deno.args[0] : "{}"));
const sb = createSignalBridge({ ...config, logLevel: "off" });
const { inventories } = await sb.zstack.queryDingTalkAtPersons({ q: [`endpointUuid=${endpointUuid}`] });
const { notice_id } = await sb.eiam.sendInSiteNotice({ title: "runtime smoke", content: "c", message_type: "TEXT", user_names: ["u1"] });
const ruleIds = await sb.enos.createMessageRules({ appId, rules: [{ ruleName: "runtime smoke", messageRule: { mark1: ["a"] } }] });
let refused = false;
try {
  await sb.eiam.sendInSiteNotice({ title: "x".repeat(101), content: "c", message_type: "TEXT", all: true });
} catch (e) {
  refused = e instanceof ValidationError;
}
const runtime = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : `node ${process.version}`;
console.log(JSON.stringify({ runtime, atPersons: inventories.length, notice_id, ruleIds, refused, fetchCalls }));
