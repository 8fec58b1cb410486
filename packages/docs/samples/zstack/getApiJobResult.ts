import { createZStackClient } from "@signalbridge/zstack";

const zs = createZStackClient({
  baseUrl: "http://10.0.0.5:8080/zstack", // context path
  allowInsecureHttp: true, // plain http, private network
  auth: {
    accountName: "admin",
    password: process.env.ZSTACK_PASSWORD ?? "",
  },
});

// The named methods poll for you. To look at a job yourself
// (say, after a TimeoutError), poll its uuid (the last
// segment of `location`) on your own base URL.
const uuid = "0b4a5cbd1b2c4f1f8d2d6f7a8b9c0d1e";
const { data, response } = await zs.raw.GET(
  "/v1/api-jobs/{uuid}",
  { params: { path: { uuid } } },
);
if (response.status === 202) console.log("still running");
else if (response.status === 200) console.log("done", data);
else console.log("failed (503) or expired (404)");
