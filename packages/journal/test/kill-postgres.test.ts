/**
 * 4 worker processes share each delivery through one PostgreSQL; workers are killed with SIGKILL
 * at deterministic protocol points and replaced, until the survivors complete the delivery; then
 * the sandbox's record of received notices is audited.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEiamClient } from "@signalbridge/bamboocloud-eiam";
import { startSandbox, type Sandbox } from "@signalbridge/sandbox";
import { openJournal } from "../src/index.js";
import { POSTGRES_SKIP_REASON, POSTGRES_URL } from "./engines.js";
import { audit, prng, received, startWorker, type Phase, type Worker } from "./kill-harness.js";

const SEED = Number(process.env.SB_KILL_SEED ?? 20261205);
const MIN_KILLS = Number(process.env.SB_KILL_MIN ?? 50);
const WORKERS = 4;
const USERS = 4000; // 40 batches of 100
const KILLS_PER_DELIVERY = 26;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, eiam: { dailyQuota: 1_000_000 } });
});
afterAll(async () => {
  await sandbox?.close();
});

describe.skipIf(!POSTGRES_URL)(
  `kill -9 with ${WORKERS} workers on one PostgreSQL${POSTGRES_URL ? "" : ` (${POSTGRES_SKIP_REASON})`}`,
  () => {
    it(`${MIN_KILLS}+ workers killed: every batch sent by exactly one worker, nobody twice, nobody unreported (seed ${SEED})`, {
      timeout: 90_000,
    }, async () => {
      const rand = prng(SEED);
      const phases: Phase[] = ["claimed", "sending", "answered", "settled"];
      const kills: Record<string, number> = { claimed: 0, sending: 0, answered: 0, settled: 0 };
      const totals = { deliveries: 0, recipients: 0, duplicates: 0, unreported: 0, uncertain: 0, workers: 0 };
      let killed = 0;
      while (killed < MIN_KILLS) {
        const n = totals.deliveries++;
        const title = `kill-pg-${SEED}-${n}`;
        const key = `${title}-${randomUUID()}`;
        const notice = {
          title,
          content: "disk full",
          message_type: "TEXT" as const,
          user_names: Array.from({ length: USERS }, (_, i) => `${title}-u${i}`),
        };
        let budget = KILLS_PER_DELIVERY;
        const running = new Set<Worker>();
        const start = () => {
          const phase = phases[Math.floor(rand() * phases.length)]!;
          const pause = budget > 0 ? `${phase}:${1 + Math.floor(rand() * 3)}` : undefined;
          const w = startWorker({
            sandbox,
            journal: { postgres: POSTGRES_URL! },
            deliveryKey: key,
            notice,
            concurrency: 1,
            ...(pause ? { pause } : {}),
          });
          totals.workers++;
          running.add(w);
          void w.ended.then(async (ended) => {
            if (ended.kind === "paused") {
              await w.kill();
              kills[ended.point]!++;
              killed++;
              budget--;
              running.delete(w);
              start(); // a replacement joins the same delivery
            } else {
              await w.kill();
              running.delete(w);
              if (ended.kind === "exited") failures.push(`worker exited (${ended.code}): ${ended.stderr}`);
            }
            if (running.size === 0) allDone();
          });
        };
        const failures: string[] = [];
        let allDone!: () => void;
        const done = new Promise<void>((r) => (allDone = r));
        for (let i = 0; i < WORKERS; i++) start();
        await done;
        expect(failures).toEqual([]);

        const journal = await openJournal({ postgres: POSTGRES_URL! });
        const before = sandbox.eiam.requests.length;
        const result = await createEiamClient({ ...sandbox.config.eiam, logLevel: "off" }).sendInSiteNoticeInBatches(notice, {
          journal,
          deliveryKey: key,
        });
        await journal.close();
        expect(sandbox.eiam.requests.length).toBe(before); // nothing left to send
        expect(result.notSent.user_names).toEqual([]);
        const a = audit(notice.user_names, received(sandbox, title), result);
        expect(a.sentButNotReceived).toBe(0);
        totals.recipients += USERS;
        totals.duplicates += a.duplicates;
        totals.unreported += a.unreported;
        totals.uncertain += a.uncertain;
      }
      console.log(
        `kill test (${WORKERS} workers, PostgreSQL): ${killed} workers killed ${JSON.stringify(kills)}, ${totals.deliveries} deliveries, ${totals.recipients} recipients, ${totals.workers} worker processes; duplicates ${totals.duplicates}, unreported ${totals.unreported}, reported uncertain ${totals.uncertain}`,
      );
      expect(totals.duplicates).toBe(0);
      expect(totals.unreported).toBe(0);
      expect(killed).toBeGreaterThanOrEqual(MIN_KILLS);
      for (const p of phases) expect(kills[p]).toBeGreaterThan(0);
    });
  },
);
