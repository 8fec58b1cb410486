import { createZStackClient } from "@signalbridge/zstack";

const zs = createZStackClient({
  baseUrl: "http://10.0.0.5:8080/zstack", // context path
  allowInsecureHttp: true, // plain http, private network
  auth: {
    accountName: "admin",
    password: process.env.ZSTACK_PASSWORD ?? "",
  },
});

// Keyed by endpoint and phone number, not by uuid; the "+"
// travels as %2B. Async: resolves once the job is done, and
// succeeds when nothing matches.
await zs.removeDingTalkAtPerson({
  endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6",
  phoneNumber: "+86-13800138000",
});
