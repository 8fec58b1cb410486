import { createEnosClient } from "@signalbridge/enos";

const enos = createEnosClient({
  baseUrl: "https://apim-ppe1.envisioniot.com", // gateway
  appKey: process.env.ENOS_APP_KEY ?? "",
  appSecret: process.env.ENOS_APP_SECRET ?? "",
  orgId: "o15xxxxxxxxxxxxxx", // sent as ?orgId=
});

// At least one ID (an empty list is answered in-band, 31400).
await enos.deleteMessageRules({ ruleIds: ["mr0a1b2c3d4e5f"] });
