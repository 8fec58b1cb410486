import { createZStackClient } from "@signalbridge/zstack";

// A session obtained elsewhere: the client cannot renew it.
const zs = createZStackClient({
  baseUrl: "http://10.0.0.5:8080/zstack",
  allowInsecureHttp: true,
  auth: { sessionUuid: process.env.ZSTACK_SESSION ?? "" },
});

// Sessions expire at a fixed time after login (use does not
// extend them), and an expired one is no 401: check it, or
// handle ID.1001.
const valid = await zs.validateSession();
console.log(valid ? "session valid" : "log in again");
