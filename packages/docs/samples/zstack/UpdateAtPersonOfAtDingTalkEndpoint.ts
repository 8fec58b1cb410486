import { createZStackClient } from "@signalbridge/zstack";

const zs = createZStackClient({
  baseUrl: "http://10.0.0.5:8080/zstack", // context path
  allowInsecureHttp: true, // plain http, private network
  auth: {
    accountName: "admin",
    password: process.env.ZSTACK_PASSWORD ?? "",
  },
});

// Async like Add: the client waits for the job.
// endpointUuid is required; a blank phoneNumber is ignored;
// "" clears the remark.
const uuid = "af3c83c835234d11b1afe022e85d67ec";
const person = await zs.updateDingTalkAtPerson(uuid, {
  endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6",
  phoneNumber: "+86-18988886666",
  remark: "",
});
console.log(person.phoneNumber, person.lastOpDate);
