import { createZStackClient } from "@signalbridge/zstack";

const zs = createZStackClient({
  baseUrl: "http://10.0.0.5:8080/zstack", // context path
  allowInsecureHttp: true, // plain http, private network
  auth: {
    accountName: "admin",
    password: process.env.ZSTACK_PASSWORD ?? "",
  },
});

// Ends the client's session (or the one you name). Sync.
await zs.logOut();
