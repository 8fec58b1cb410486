import { createHash } from "node:crypto";
import { createEnosClient } from "@signalbridge/enos";

const enos = createEnosClient({
  baseUrl: "https://apim-ppe1.envisioniot.com", // gateway
  appKey: process.env.ENOS_APP_KEY ?? "",
  appSecret: process.env.ENOS_APP_SECRET ?? "",
  orgId: "o15xxxxxxxxxxxxxx", // sent as ?orgId=
});

// The client renews its token by itself. The raw call, if
// you manage a token yourself: the same encryption rule and
// a fresh timestamp. Errors come in-band in `status`
// (1203 expired, 1204 refresh failed).
const appKey = process.env.ENOS_APP_KEY ?? "";
const appSecret = process.env.ENOS_APP_SECRET ?? "";
const timestamp = Date.now();
const encryption = createHash("sha256")
  .update(appKey + timestamp + appSecret)
  .digest("hex");
const accessToken = await enos.accessToken();
const { data } = await enos.raw.POST(
  "/apim-token-service/v2.0/token/refresh",
  { body: { appKey, encryption, timestamp, accessToken } },
);
if (data?.status !== 0) console.log("refused:", data?.status);
