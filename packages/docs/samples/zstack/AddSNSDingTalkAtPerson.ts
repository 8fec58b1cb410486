import { createZStackClient } from "@signalbridge/zstack";

const zs = createZStackClient({
  baseUrl: "http://10.0.0.5:8080/zstack", // context path
  allowInsecureHttp: true, // plain http, private network
  auth: {
    accountName: "admin",
    password: process.env.ZSTACK_PASSWORD ?? "",
  },
});

// Async on the server: 202 + a job location. The client
// polls the job on its own baseUrl (the location names the
// node's own IP) and returns the new at-person, or throws
// the job's error (e.g. SYS.1007 for a bad phone number).
const person = await zs.addDingTalkAtPerson({
  endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6",
  phoneNumber: "+86-13800138000", // +<country>-<11 digits>
  remark: "on-call lead",
});
console.log(person.uuid, person.createDate);
