import { createEnosClient } from "@signalbridge/enos";

const enos = createEnosClient({
  baseUrl: "https://apim-ppe1.envisioniot.com", // gateway
  appKey: process.env.ENOS_APP_KEY ?? "",
  appSecret: process.env.ENOS_APP_SECRET ?? "",
  orgId: "o15xxxxxxxxxxxxxx", // sent as ?orgId=
});

// messageRule replaces the rule's marks. The vendor answers
// data: false (code 0) when nothing was updated: the client
// throws for it.
await enos.updateMessageRules({
  ruleId: "mr0a1b2c3d4e5f",
  messageRule: { mark1: ["site_001", "site_002"] },
  isEnable: 0,
});
