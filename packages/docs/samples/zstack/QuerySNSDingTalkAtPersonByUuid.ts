import { createZStackClient } from "@signalbridge/zstack";

const zs = createZStackClient({
  baseUrl: "http://10.0.0.5:8080/zstack", // context path
  allowInsecureHttp: true, // plain http, private network
  auth: {
    accountName: "admin",
    password: process.env.ZSTACK_PASSWORD ?? "",
  },
});

// The query's optional path; undefined when there is none.
const uuid = "af3c83c835234d11b1afe022e85d67ec";
const person = await zs.getDingTalkAtPerson(uuid);
if (person) console.log(person.phoneNumber, person.remark);
