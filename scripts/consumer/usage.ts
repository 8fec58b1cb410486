// The public API of design.md, compiled by a fresh project that installed the npm pack tarballs.
import { createZStackClient } from "@signalbridge/zstack";
import { createEiamClient } from "@signalbridge/bamboocloud-eiam";
import { createEnosClient } from "@signalbridge/enos";
import { createSignalBridge, SignalBridgeError, ValidationError, ApiError } from "@signalbridge/sdk";
import { startSandbox } from "@signalbridge/sandbox";

export async function usage(): Promise<void> {
  const zs = createZStackClient({
    baseUrl: "http://10.0.0.5:8080/zstack",
    allowInsecureHttp: true,
    auth: { accountName: "admin", password: "password" },
  });
  const person = await zs.addDingTalkAtPerson({
    phoneNumber: "+86-13800001111",
    endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6",
    remark: "on call",
  });
  const uuid: string | undefined = person.uuid;
  const { inventories, total } = await zs.queryDingTalkAtPersons({
    q: ["endpointUuid=7b9b311a1a6c445bbe48c02b52f91ef6"],
    replyWithCount: true,
  });
  console.log(inventories.length, total);
  if (uuid) await zs.updateDingTalkAtPerson(uuid, { endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6", remark: "backup" });
  await zs.removeDingTalkAtPerson({ endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6", phoneNumber: "+86-13800001111" });
  createZStackClient({ baseUrl: "https://zs.example.com/zstack", auth: { sessionUuid: "0123456789abcdef0123456789abcdef" } });
  createZStackClient({ baseUrl: "https://zs.example.com/zstack", auth: { accessKeyId: "id", accessKeySecret: "secret" } });

  const eiam = createEiamClient({ baseUrl: "https://acme.bccastle.com", clientId: "id", clientSecret: "secret" });
  const { notice_id } = await eiam.sendInSiteNotice({
    title: "Disk alarm",
    content: "Disk 90% full",
    message_type: "TEXT",
    user_names: ["zhangsan"],
  });
  const { status } = await eiam.getInSiteNoticeSendResult(notice_id);
  const done: boolean = status === "FINISHED";
  createEiamClient({ baseUrl: "https://acme.bccastle.com", accessToken: "token" });

  const enos = createEnosClient({ baseUrl: "https://apim.example.com", appKey: "ak", appSecret: "sk", orgId: "o1" });
  const ruleIds: string[] = await enos.createMessageRules({
    appId: "ak",
    rules: [{ ruleName: "site faults", messageRule: { mark1: ["siteA"], mark3: ["fault"] }, isEnable: 1 }],
    relations: [{ type: 0, identifiers: ["user-1"] }],
  });

  const sandbox = await startSandbox({ port: 0 });
  const sb = createSignalBridge({ ...sandbox.config, timeoutMs: 10_000, retry: { maxAttempts: 2 }, logLevel: "warn" });
  try {
    await sb.eiam.sendInSiteNotice({ title: "t", content: "c", message_type: "MARKDOWN", all: true });
  } catch (error) {
    if (error instanceof ValidationError) console.log(error.violations);
    else if (error instanceof ApiError) console.log(error.code, error.status);
    else if (error instanceof SignalBridgeError) console.log(error.kind);
  }
  const sb2 = createSignalBridge.fromEnv();
  console.log(done, ruleIds, sb2.configured);
  await sandbox.close();
}
