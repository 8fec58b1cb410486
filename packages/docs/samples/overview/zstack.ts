import { createZStackClient, ZStackApiError } from "@signalbridge/zstack";

const zs = createZStackClient({
  baseUrl: "http://10.0.0.5:8080/zstack", // includes the context path
  allowInsecureHttp: true, // plain http on a private network
  auth: { accountName: "admin", password: process.env.ZSTACK_PASSWORD ?? "" },
  // or { sessionUuid } or { accessKeyId, accessKeySecret }
});

try {
  // Submits the async job and waits for it (202 + poll).
  const person = await zs.addDingTalkAtPerson({
    endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6",
    phoneNumber: "+86-13800138000",
  });
  const { inventories } = await zs.queryDingTalkAtPersons({ q: [`uuid=${person.uuid}`] });
  console.log(inventories.length);
} catch (error) {
  // Validation on the server fails the job: 503 on the poll, code SYS.1007.
  if (error instanceof ZStackApiError) console.log(error.code, error.message);
  else throw error;
}
