import { createEnosClient } from "@signalbridge/enos";

const enos = createEnosClient({
  baseUrl: "https://apim-ppe1.envisioniot.com",
  appKey: process.env.ENOS_APP_KEY ?? "", // Access Key (AK)
  appSecret: process.env.ENOS_APP_SECRET ?? "", // Secret Key (SK), never sent
  orgId: "o15xxxxxxxxxxxxxx",
});

const ruleIds = await enos.createMessageRules({
  appId: "5acb82e7-a11e-4300-9164-c8b20b638e8b",
  rules: [{ ruleName: "site alarms", messageRule: { mark1: ["site_001"] }, isEnable: 1 }],
  relations: [{ type: 1, identifiers: ["ug15xxxxxxxxxxxxx"] }], // a user group
});
console.log(ruleIds);
