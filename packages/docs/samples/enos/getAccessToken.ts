import { createEnosClient } from "@signalbridge/enos";

const enos = createEnosClient({
  baseUrl: "https://apim-ppe1.envisioniot.com", // gateway
  appKey: process.env.ENOS_APP_KEY ?? "",
  appSecret: process.env.ENOS_APP_SECRET ?? "",
  orgId: "o15xxxxxxxxxxxxxx", // sent as ?orgId=
});

// Every call gets the token itself: encryption =
// SHA-256(appKey + timestamp + appSecret), with a fresh
// millisecond timestamp (a repeat is a replay: 1001).
// One token per Access Key, 2 h, cached and renewed.
const token = await enos.accessToken(); // a secret
console.log(token.length > 0);
