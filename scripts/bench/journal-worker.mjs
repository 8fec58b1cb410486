// One worker of the journal bench: gets its job over IPC (too big for the environment), opens its
// journal and client, warms up, says ready, sends on "go".
import { createEiamClient } from "@signalbridge/bamboocloud-eiam";
import { openJournal } from "@signalbridge/journal";

const job = await new Promise((resolve) => process.once("message", resolve));
const journal = await openJournal(job.journal);
const eiam = createEiamClient({ ...job.eiam, logLevel: "off" });
// Warm, like the journal-less process it is compared with: token, connection, JIT.
await eiam.sendInSiteNoticeInBatches(
  { ...job.notice, title: `warm-up ${process.pid}`, user_names: job.notice.user_names.slice(0, 2000) },
  { concurrency: 1 },
);
process.send({ type: "ready" });
process.once("message", async () => {
  const result = await eiam.sendInSiteNoticeInBatches(job.notice, { journal, deliveryKey: job.deliveryKey, concurrency: 1 });
  await journal.close();
  process.send({ type: "done", sent: result.sent.user_names.length });
  process.disconnect();
});
