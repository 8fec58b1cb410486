import { createEiamClient } from "@signalbridge/bamboocloud-eiam";

const eiam = createEiamClient({
  baseUrl: "https://acme.bccastle.com", // tenant domain
  clientId: process.env.EIAM_CLIENT_ID ?? "",
  clientSecret: process.env.EIAM_CLIENT_SECRET ?? "",
});

// Every call fetches the token itself (HTTP Basic
// client_id:client_secret, grant_type=client_credentials),
// caches it and renews it before it expires; there is no
// refresh token. Ask for it only to hand it on:
const token = await eiam.accessToken(); // a secret
const headers = { Authorization: `Bearer ${token}` };
console.log(Object.keys(headers));
