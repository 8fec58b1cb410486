/**
 * kill -9 at ≥ 50 deterministic points across the protocol, embedded engine: each delivery is
 * started in a child process, killed, resumed in a new child, killed again … until a child
 * completes it; then the sandbox's record of received notices is audited.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEiamClient } from "@signalbridge/bamboocloud-eiam";
import { startSandbox, type Sandbox } from "@signalbridge/sandbox";
import { openJournal } from "../src/index.js";
import { audit, prng, received, startWorker, until, type Phase } from "./kill-harness.js";

const SEED = Number(process.env.SB_KILL_SEED ?? 20261204);
const MIN_KILLS = Number(process.env.SB_KILL_MIN ?? 50);
const USERS = 1000; // 10 batches of 100

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, eiam: { dailyQuota: 1_000_000 } });
  dir = mkdtempSync(join(tmpdir(), "sb-kill-"));
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("kill -9 with the embedded journal", () => {
  it(`${MIN_KILLS}+ kill points: nobody twice, nobody unreported (seed ${SEED})`, { timeout: 90_000 }, async () => {
    const rand = prng(SEED);
    const phases: Phase[] = ["claimed", "sending", "stalled", "answered", "settled"];
    const kills: Record<Phase, number> = { claimed: 0, sending: 0, stalled: 0, answered: 0, settled: 0 };
    const totals = { deliveries: 0, recipients: 0, duplicates: 0, unreported: 0, uncertain: 0, resumes: 0 };
    let killed = 0;
    while (killed < MIN_KILLS) {
      const n = totals.deliveries++;
      const title = `kill-sqlite-${SEED}-${n}`;
      const notice = {
        title,
        content: "disk full",
        message_type: "TEXT" as const,
        user_names: Array.from({ length: USERS }, (_, i) => `${title}-u${i}`),
      };
      const job = { sandbox, journal: { file: join(dir, `d${n}.db`) }, deliveryKey: title, notice, concurrency: rand() < 0.5 ? 1 : 2 };
      for (;;) {
        const phase = phases[Math.floor(rand() * phases.length)]!;
        const nth = 1 + Math.floor(rand() * 2);
        let fault: number | undefined;
        // during-send, server side: the nth request reaches EIAM and is held there unanswered.
        if (phase === "stalled") fault = sandbox.eiam.addFault({ operation: "sendInSiteNotice", nth, latencyMs: 30_000 });
        const worker = startWorker({ ...job, ...(phase !== "stalled" ? { pause: `${phase}:${nth}` } : {}) });
        totals.resumes++;
        let decided = false;
        void worker.ended.then(() => (decided = true));
        const arrived =
          fault === undefined
            ? []
            : [
                until(
                  () => sandbox.eiam.requests.some((r) => r.fault === fault),
                  20_000,
                  "the stalled request",
                  () => decided,
                ).then((held) => (held ? { kind: "paused" as const, point: "stalled" } : worker.ended)),
              ];
        const ended = await Promise.race([worker.ended, ...arrived]);
        decided = true;
        sandbox.eiam.clearFaults();
        if (ended.kind === "exited") throw new Error(`worker exited (${ended.code}) without finishing: ${ended.stderr}`);
        if (ended.kind === "done") {
          await worker.kill();
          break;
        }
        await worker.kill();
        kills[phase]++;
        killed++;
      }
      // The delivery is complete: read the final record with one more resume (which must send nothing).
      const before = sandbox.eiam.requests.length;
      const journal = await openJournal(job.journal);
      const eiam = createEiamClient({ ...sandbox.config.eiam, logLevel: "off" });
      const result = await eiam.sendInSiteNoticeInBatches(notice, { journal, deliveryKey: title });
      await journal.close();
      expect(
        sandbox.eiam.requests.filter((r) => r.operationId === "sendInSiteNotice").length -
          sandbox.eiam.requests.slice(0, before).filter((r) => r.operationId === "sendInSiteNotice").length,
      ).toBe(0);
      expect(result.notSent.user_names).toEqual([]);
      const a = audit(notice.user_names, received(sandbox, title), result);
      expect(a.sentButNotReceived).toBe(0);
      totals.recipients += USERS;
      totals.duplicates += a.duplicates;
      totals.unreported += a.unreported;
      totals.uncertain += a.uncertain;
    }
    console.log(
      `kill test (embedded/SQLite): ${killed} kill points ${JSON.stringify(kills)}, ${totals.deliveries} deliveries, ${totals.recipients} recipients, ${totals.resumes} worker runs; duplicates ${totals.duplicates}, unreported ${totals.unreported}, reported uncertain ${totals.uncertain}`,
    );
    expect(totals.duplicates).toBe(0);
    expect(totals.unreported).toBe(0);
    expect(killed).toBeGreaterThanOrEqual(MIN_KILLS);
    for (const p of phases) expect(kills[p]).toBeGreaterThan(0);
  });
});
