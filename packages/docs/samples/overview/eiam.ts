import { createEiamClient } from "@signalbridge/bamboocloud-eiam";

const eiam = createEiamClient({
  baseUrl: "https://acme.bccastle.com",
  clientId: process.env.EIAM_CLIENT_ID ?? "",
  clientSecret: process.env.EIAM_CLIENT_SECRET ?? "",
  // or { accessToken } obtained elsewhere
});

const { notice_id } = await eiam.sendInSiteNotice({
  title: "Disk usage above 90%",
  content: "Host db-01: /var is 93% full.",
  message_type: "TEXT",
  user_names: ["zhangsan"],
});
const { status } = await eiam.getInSiteNoticeSendResult(notice_id);
console.log(notice_id, status); // UNSENT | SENDING | FINISHED
