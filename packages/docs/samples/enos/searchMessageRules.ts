import { createEnosClient } from "@signalbridge/enos";

const enos = createEnosClient({
  baseUrl: "https://apim-ppe1.envisioniot.com", // gateway
  appKey: process.env.ENOS_APP_KEY ?? "",
  appSecret: process.env.ENOS_APP_SECRET ?? "",
  orgId: "o15xxxxxxxxxxxxxx", // sent as ?orgId=
});

// A POST, but safe to repeat: the client may retry it.
const { messageRuleList } = await enos.searchMessageRules({
  ruleIds: ["mr0a1b2c3d4e5f"],
  identifier: "u15xxxxxxxxxx",
  identifierType: 0, // 0 = user, 1 = user group
});
for (const rule of messageRuleList) {
  console.log(rule.ruleId, rule.ruleName, rule.isEnable);
}
