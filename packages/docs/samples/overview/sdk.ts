import { createSignalBridge, SignalBridgeError } from "@signalbridge/sdk";

const sb = createSignalBridge({
  timeoutMs: 10_000, // per request; shared by every vendor client
  retry: { maxAttempts: 3 },
  zstack: {
    baseUrl: "http://10.0.0.5:8080/zstack",
    allowInsecureHttp: true,
    auth: { accountName: "admin", password: process.env.ZSTACK_PASSWORD ?? "" },
  },
  eiam: {
    baseUrl: "https://acme.bccastle.com",
    clientId: process.env.EIAM_CLIENT_ID ?? "",
    clientSecret: process.env.EIAM_CLIENT_SECRET ?? "",
  },
});
// Or: createSignalBridge.fromEnv() with the SIGNALBRIDGE_* variables.

try {
  await sb.zstack.addDingTalkAtPerson({
    endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6",
    phoneNumber: "+86-13800138000",
  });
  await sb.eiam.sendInSiteNotice({
    title: "On call",
    content: "You are on call this week.",
    message_type: "TEXT",
    user_names: ["zhangsan"],
  });
} catch (error) {
  // One hierarchy for every vendor; `kind` works as well as instanceof.
  if (error instanceof SignalBridgeError) console.log(error.kind, error.message);
  else throw error;
}
