import { createEiamClient } from "@signalbridge/bamboocloud-eiam";

const eiam = createEiamClient({
  baseUrl: "https://acme.bccastle.com", // tenant domain
  clientId: process.env.EIAM_CLIENT_ID ?? "",
  clientSecret: process.env.EIAM_CLIENT_SECRET ?? "",
});

// A send is only accepted: poll UNSENT → SENDING → FINISHED.
// Safe to repeat, so the client retries it on failures.
const noticeId = "20220809161411767-9524-8618BA3BB";
let status = "UNSENT";
for (let i = 0; i < 10 && status !== "FINISHED"; i++) {
  ({ status } = await eiam.getInSiteNoticeSendResult(noticeId));
  await new Promise((r) => setTimeout(r, 1_000));
}
console.log(status);
