// One worker of the journal bench: opens its journal and client, says ready, sends on "go".
import { createEiamClient } from "@signalbridge/bamboocloud-eiam";
import { openJournal } from "@signalbridge/journal";

const job = JSON.parse(process.env.SB_BENCH_JOB);
const journal = await openJournal(job.journal);
const eiam = createEiamClient({ ...job.eiam, logLevel: "off" });
process.send({ type: "ready" });
process.once("message", async () => {
  const result = await eiam.sendInSiteNoticeInBatches(job.notice, { journal, deliveryKey: job.deliveryKey, concurrency: 1 });
  await journal.close();
  process.send({ type: "done", sent: result.sent.user_names.length });
  process.disconnect();
});
