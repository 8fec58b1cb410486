import { createHash } from "node:crypto";
import { createZStackClient } from "@signalbridge/zstack";

// The client logs in by itself: it sends the SHA-512 hex
// of the password, caches the session (2 h by default)
// and logs in again once on ID.1001.
const zs = createZStackClient({
  baseUrl: "http://10.0.0.5:8080/zstack", // context path
  allowInsecureHttp: true, // plain http, private network
  auth: {
    accountName: "admin",
    password: process.env.ZSTACK_PASSWORD ?? "",
  },
});
await zs.queryDingTalkAtPersons({ limit: 1 }); // logs in

// The raw call, should you need a session of your own:
const password = createHash("sha512")
  .update(process.env.ZSTACK_PASSWORD ?? "")
  .digest("hex");
const { data } = await zs.raw.PUT("/v1/accounts/login", {
  body: {
    logInByAccount: { accountName: "admin", password },
  },
});
// For Authorization: OAuth <uuid>, until expiredDate.
const session = data?.inventory;
console.log(session?.expiredDate);
