import { createEnosClient, EnosApiError } from "@signalbridge/enos";

const enos = createEnosClient({
  baseUrl: "https://apim-ppe1.envisioniot.com", // gateway
  appKey: process.env.ENOS_APP_KEY ?? "",
  appSecret: process.env.ENOS_APP_SECRET ?? "",
  orgId: "o15xxxxxxxxxxxxxx", // sent as ?orgId=
});

try {
  // Signed for the gateway: apim-signature covers the body
  // exactly as sent.
  const ruleIds = await enos.createMessageRules({
    appId: "5acb82e7-a11e-4300-9164-c8b20b638e8b", // the AK
    rules: [
      {
        ruleName: "site alarms",
        // 1–6 marks; all must match, values are alternatives
        messageRule: { mark1: ["site_001"], mark3: ["alarm"] },
        isEnable: 1,
      },
    ],
    // users (0) or user groups (1), linked to every rule
    relations: [{ type: 0, identifiers: ["u15xxxxxxxxxx"] }],
  });
  console.log(ruleIds); // ["mr…"]
} catch (error) {
  // Business errors come as HTTP 200 with a non-zero code:
  // the client throws EnosApiError (31601: rule limit).
  if (error instanceof EnosApiError && error.code === "31601")
    console.log("a user already has 6 rules");
  else throw error;
}
