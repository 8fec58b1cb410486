import { createZStackClient } from "@signalbridge/zstack";

const zs = createZStackClient({
  baseUrl: "http://10.0.0.5:8080/zstack", // context path
  allowInsecureHttp: true, // plain http, private network
  auth: {
    accountName: "admin",
    password: process.env.ZSTACK_PASSWORD ?? "",
  },
});

// Synchronous: one GET. `q` is repeated on the wire.
const { inventories, total } =
  await zs.queryDingTalkAtPersons({
    q: ["endpointUuid=7b9b311a1a6c445bbe48c02b52f91ef6"],
    replyWithCount: true,
    limit: 100,
  });
console.log(total, inventories.map((p) => p.phoneNumber));
