import {
  createEiamClient,
  EiamApiError,
} from "@signalbridge/bamboocloud-eiam";

const eiam = createEiamClient({
  baseUrl: "https://acme.bccastle.com", // tenant domain
  clientId: process.env.EIAM_CLIENT_ID ?? "",
  clientSecret: process.env.EIAM_CLIENT_SECRET ?? "",
});

try {
  // The server answers {"noitce_id": …} (sic); the client
  // returns notice_id. Not idempotent: never re-sent once
  // it may have reached the server.
  const { notice_id } = await eiam.sendInSiteNotice({
    title: "Disk usage above 90%",
    content: "Host db-01: /var is 93% full.",
    message_type: "TEXT",
    user_names: ["zhangsan"], // or org_codes, or all: true
  });
  console.log("accepted", notice_id);
} catch (error) {
  // Business errors: HTTP 400 {error_code, error_msg}. An
  // expired token (400 invalid_token) was already renewed
  // and the notice re-sent once by the client.
  if (
    error instanceof EiamApiError &&
    error.code === "NOTICE.INSITE.0003"
  ) {
    console.log("daily quota reached; try tomorrow");
  } else throw error;
}
