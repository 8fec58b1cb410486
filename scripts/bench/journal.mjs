/**
 * The delivery journal's cost: one EIAM delivery of `recipients` users (batches of 100) against
 * the sandbox, without a journal, with the embedded SQLite journal, and (when
 * SIGNALBRIDGE_TEST_POSTGRES_URL is set) with PostgreSQL; the journal's cost per batch and per
 * recipient is the difference to the journal-less send. `sqlite` is the default (fsync per step:
 * survives a power cut); `sqliteProcessDurability` is `durability: "process"` (survives kill -9). Then 4 worker processes sharing one
 * delivery on PostgreSQL, against one process sending journal-less with concurrency 4.
 */
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchJournal({ recipients = 5000, rounds = 5 } = {}) {
  const { createEiamClient } = await import("@signalbridge/bamboocloud-eiam");
  const { openJournal } = await import("@signalbridge/journal");
  const child = fork(new URL("./sandbox-child.mjs", import.meta.url), [], {
    env: { ...process.env, SANDBOX_EIAM_OPTIONS: JSON.stringify({ dailyQuota: Number.MAX_SAFE_INTEGER }) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise((resolve) => child.once("message", resolve));
  const eiamConfig = ready.config.eiam;
  const eiam = createEiamClient({ ...eiamConfig, logLevel: "off" });
  const dir = mkdtempSync(join(tmpdir(), "sb-bench-journal-"));
  const postgres = process.env.SIGNALBRIDGE_TEST_POSTGRES_URL;
  const batches = Math.ceil(recipients / 100);
  const notice = (tag) => ({
    title: `bench ${tag}`,
    content: "journal cost",
    message_type: "TEXT",
    user_names: Array.from({ length: recipients }, (_, i) => `${tag}-u${i}`),
  });
  try {
    await eiam.sendInSiteNoticeInBatches(notice("warm-up"), { concurrency: 2 }); // token, JIT, connections

    const engines = { none: [], sqlite: [], sqliteProcessDurability: [], ...(postgres ? { postgres: [] } : {}) };
    for (let round = 0; round < rounds; round++) {
      // Interleaved, so that the machine's load falls on every variant alike.
      for (const engine of Object.keys(engines)) {
        const tag = `${engine}-${round}-${randomUUID().slice(0, 8)}`;
        const journal =
          engine === "sqlite"
            ? await openJournal({ file: join(dir, `${tag}.db`) })
            : engine === "sqliteProcessDurability"
              ? await openJournal({ file: join(dir, `${tag}.db`), durability: "process" })
              : engine === "postgres"
                ? await openJournal({ postgres })
                : undefined;
        const t0 = performance.now();
        const result = await eiam.sendInSiteNoticeInBatches(notice(tag), {
          concurrency: 2,
          ...(journal ? { journal, deliveryKey: tag } : {}),
        });
        engines[engine].push(performance.now() - t0);
        await journal?.close();
        if (result.sent.user_names.length !== recipients)
          throw new Error(`${engine}: sent ${result.sent.user_names.length} of ${recipients}`);
      }
    }
    const base = median(engines.none);
    const out = {
      method: `one delivery of ${recipients} recipients (${batches} batches of 100, concurrency 2) against the sandbox, median of ${rounds} interleaved rounds; cost = time with the journal minus time without`,
      withoutJournalMs: +base.toFixed(1),
    };
    for (const engine of Object.keys(engines).filter((e) => e !== "none")) {
      const t = median(engines[engine]);
      out[engine] = {
        deliveryMs: +t.toFixed(1),
        ratioToJournalLess: +(t / base).toFixed(3),
        costPerBatchMs: +((t - base) / batches).toFixed(3),
        costPerRecipientUs: +(((t - base) * 1000) / recipients).toFixed(2),
      };
    }
    if (!postgres) out.postgres = "skipped: set SIGNALBRIDGE_TEST_POSTGRES_URL (packages/journal/scripts/test-postgres.sh starts one)";

    if (postgres) {
      // 4 processes, one delivery; timed from "go" (all workers connected) to the last done.
      const tag = `workers-${randomUUID().slice(0, 8)}`;
      const many = recipients * 4; // long enough for the steady state to dominate
      const job = {
        eiam: eiamConfig,
        journal: { postgres },
        deliveryKey: tag,
        notice: { ...notice(tag), user_names: Array.from({ length: many }, (_, i) => `${tag}-u${i}`) },
      };
      const workers = Array.from({ length: 4 }, () =>
        fork(new URL("./journal-worker.mjs", import.meta.url), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] }),
      );
      for (const w of workers) w.send(job);
      await Promise.all(workers.map((w) => new Promise((resolve) => w.once("message", resolve))));
      const t0 = performance.now();
      const done = workers.map((w) => new Promise((resolve) => w.once("message", resolve)));
      for (const w of workers) w.send("go");
      await Promise.all(done);
      const fourWorkers = performance.now() - t0;
      const t1 = performance.now();
      const single = notice(`single-${tag}`);
      await eiam.sendInSiteNoticeInBatches(
        { ...single, user_names: Array.from({ length: many }, (_, i) => `${single.title}-u${i}`) },
        { concurrency: 4 },
      );
      const singleMs = performance.now() - t1;
      out.fourWorkersPostgres = {
        method: `${many} recipients: 4 warmed-up worker processes (concurrency 1 each) sharing one delivery on PostgreSQL vs one process without a journal at concurrency 4`,
        recipientsPerSecond: Math.round(many / (fourWorkers / 1000)),
        journalLessRecipientsPerSecond: Math.round(many / (singleMs / 1000)),
        ratioToJournalLess: +(singleMs / fourWorkers).toFixed(3),
      };
    }
    return out;
  } finally {
    child.send("stop");
    rmSync(dir, { recursive: true, force: true });
  }
}
