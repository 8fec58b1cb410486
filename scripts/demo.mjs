#!/usr/bin/env node
/**
 * npm run demo: start the sandbox and run every operation of every vendor through the facade,
 * then one deliberately bad input per vendor to show the error you get. Exits 0 when all is well.
 */
import { startSandbox } from "@signalbridge/sandbox";
import { createSignalBridge, SignalBridgeError } from "@signalbridge/sdk";

const started = Date.now();
const lines = [];
const step = async (vendor, label, fn) => {
  const t0 = Date.now();
  const detail = await fn();
  lines.push(`  ✔ ${vendor.padEnd(6)} ${label.padEnd(44)} ${String(Date.now() - t0).padStart(5)} ms  ${detail ?? ""}`);
};
const refused = async (vendor, label, fn) => {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof SignalBridgeError)) throw error;
    lines.push(`  ✘ ${vendor.padEnd(6)} ${label}\n      → ${error.name} (${error.kind}): ${error.message}`);
    return;
  }
  throw new Error(`${vendor}: "${label}" was accepted but should have been refused`);
};

const sandbox = await startSandbox({ port: 0 });
try {
  const sb = createSignalBridge({ ...sandbox.config, timeoutMs: 10_000, logLevel: "warn" });
  const endpointUuid = sandbox.fixtures.zstack.dingTalkEndpoints[0].uuid;
  const phoneNumber = "+86-13800138000";

  lines.push("ZStack Cloud SNS — DingTalk at-persons (account login, async jobs polled to completion)");
  let uuid;
  await step("zstack", "addDingTalkAtPerson (202 → poll job → 200)", async () => {
    const person = await sb.zstack.addDingTalkAtPerson({ phoneNumber, endpointUuid, remark: "demo on-call" });
    uuid = person.uuid;
    return `uuid ${uuid}`;
  });
  await step("zstack", "queryDingTalkAtPersons (q, replyWithCount)", async () => {
    const { inventories, total } = await sb.zstack.queryDingTalkAtPersons({
      q: [`endpointUuid=${endpointUuid}`],
      replyWithCount: true,
      sort: "+phoneNumber",
    });
    return `${inventories.length} of total ${total}: ${inventories.map((p) => p.phoneNumber).join(", ")}`;
  });
  await step("zstack", "updateDingTalkAtPerson", async () => {
    const person = await sb.zstack.updateDingTalkAtPerson(uuid, { endpointUuid, remark: "demo backup" });
    return `remark "${person.remark}"`;
  });
  await step("zstack", "removeDingTalkAtPerson (by endpoint + phone)", async () => {
    await sb.zstack.removeDingTalkAtPerson({ endpointUuid, phoneNumber });
    const { total } = await sb.zstack.queryDingTalkAtPersons({ q: [`phoneNumber=${phoneNumber}`], count: true });
    return `${total} left with that phone`;
  });

  lines.push("", "Bamboo Cloud EIAM — in-site notices (client-credentials token, cached)");
  const users = Array.from({ length: 250 }, (_, i) => `user${String(i + 1).padStart(3, "0")}`);
  let noticeIds = [];
  await step("eiam", "sendInSiteNoticeInBatches (250 users)", async () => {
    const result = await sb.eiam.sendInSiteNoticeInBatches({
      title: "Disk alarm on node-7",
      content: "**Disk 90% full** on node-7",
      message_type: "MARKDOWN",
      user_names: users,
    });
    noticeIds = result.batches.filter((b) => b.notice_id).map((b) => b.notice_id);
    return `${result.batches.length} requests (≤100 users each), notice ids ${noticeIds.join(", ")}`;
  });
  await step("eiam", "getInSiteNoticeSendResult (until FINISHED)", async () => {
    const seen = [];
    for (let i = 0; i < 50; i++) {
      const { status } = await sb.eiam.getInSiteNoticeSendResult(noticeIds[0]);
      if (seen.at(-1) !== status) seen.push(status);
      if (status === "FINISHED") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return seen.join(" → ");
  });

  lines.push("", "EnOS Application Portal — message rules (APIM token + per-request signature)");
  let ruleIds = [];
  await step("enos", "createMessageRules (2 rules, 1 user relation)", async () => {
    ruleIds = await sb.enos.createMessageRules({
      appId: sandbox.fixtures.enos.appId,
      rules: [
        { ruleName: "site faults", messageRule: { mark1: ["siteA", "siteB"], mark3: ["fault"] }, isEnable: 1 },
        { ruleName: "device alarms", messageRule: { mark2: ["deviceA"], mark3: ["alarm"], mark5: null }, isEnable: 0 },
      ],
      relations: [{ type: 0, identifiers: [sandbox.fixtures.enos.users[0]] }],
    });
    return `rule ids ${ruleIds.join(", ")}`;
  });
  await step("enos", "searchMessageRules", async () => {
    const result = await sb.enos.searchMessageRules({ ruleIds });
    return result.messageRuleList.map((r) => `${r.ruleName} (isEnable ${r.isEnable})`).join(", ");
  });
  await step("enos", "updateMessageRules", async () => {
    const updated = await sb.enos.updateMessageRules({ ruleId: ruleIds[1], isEnable: 1, messageRule: { mark2: ["deviceA", "deviceB"] } });
    return `updated: ${updated}`;
  });
  await step("enos", "deleteMessageRules", async () => `deleted: ${await sb.enos.deleteMessageRules({ ruleIds })}`);

  lines.push("", "Bad input is refused before anything is sent:");
  await refused("zstack", "phone number without +CC- prefix", () =>
    sb.zstack.addDingTalkAtPerson({ phoneNumber: "18988887777", endpointUuid }),
  );
  await refused("eiam", "a 120-character title", () =>
    sb.eiam.sendInSiteNotice({ title: "x".repeat(120), content: "c", message_type: "TEXT", all: true }),
  );
  await refused("enos", "a rule with 7 marks", () =>
    sb.enos.createMessageRules({
      appId: sandbox.fixtures.enos.appId,
      rules: [{ ruleName: "too many", messageRule: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((n) => [`mark${n}`, ["x"]])) }],
    }),
  );
  lines.push("", "And the vendor's own errors arrive typed:");
  await refused("eiam", "a notice id that does not exist", () => sb.eiam.getInSiteNoticeSendResult("20990101000000000-0000-DOESNOTEXIST"));

  const served = ["zstack", "eiam", "enos"].map((v) => `${v} ${sandbox[v].requests.length}`).join(", ");
  console.log(`signalbridge demo — sandbox on 127.0.0.1 (requests served: ${served})\n`);
  console.log(lines.join("\n"));
  console.log(`\nall operations of all three vendors ran in ${Date.now() - started} ms`);
} catch (error) {
  console.log(lines.join("\n"));
  console.error(`\ndemo failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
} finally {
  await sandbox.close();
}
