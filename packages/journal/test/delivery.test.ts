import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEiamClient } from "@signalbridge/bamboocloud-eiam";
import { startSandbox, type Sandbox } from "@signalbridge/sandbox";
import { JournalError, openJournal, type DeliveryJournal } from "../src/index.js";
import { freshKey, postgresEngine, sqliteEngine, POSTGRES_SKIP_REASON, POSTGRES_URL } from "./engines.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, eiam: { dailyQuota: 1_000_000 } });
});
afterAll(async () => {
  await sandbox.close();
});

const users = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const eiam = () => createEiamClient({ ...sandbox.config.eiam, logLevel: "off", retry: { initialDelayMs: 1 } });
/** How many times the sandbox's EIAM received each user, over notices with this title. */
function received(title: string): Map<string, number> {
  const counts = new Map<string, number>();
  const state = sandbox.eiam.simulator.state() as { notices: Array<{ title: string; user_names: string[] }> };
  for (const n of state.notices.filter((x) => x.title === title)) for (const u of n.user_names) counts.set(u, (counts.get(u) ?? 0) + 1);
  return counts;
}
const sendCount = () => sandbox.eiam.requests.filter((r) => r.operationId === "sendInSiteNotice").length;

for (const make of [sqliteEngine, postgresEngine]) {
  const probe = make();
  describe.skipIf(!probe.available)(
    `sendInSiteNoticeInBatches with a ${probe.name} journal${probe.available ? "" : ` (${POSTGRES_SKIP_REASON})`}`,
    () => {
      it("after an answer that was never recorded (a crash), resumes: sends the rest once, reports that batch uncertain", async () => {
        const engine = make();
        const title = freshKey("resume");
        const notice = { title: title.slice(0, 100), content: "disk full", message_type: "TEXT" as const, user_names: users(title, 450) };
        const key = freshKey("resume");
        // The first process "dies" after batch 2's answer, before recording it: its settle fails.
        const real = await engine.open();
        let settles = 0;
        const dying: DeliveryJournal = {
          ...real,
          begin: real.begin,
          claim: real.claim,
          status: real.status,
          finish: real.finish,
          stop: real.stop,
          close: real.close,
          settle: async (claim, s) => {
            if (++settles === 2) throw new JournalError("write", real.location, "simulated crash before settle");
            return real.settle(claim, s);
          },
        };
        await expect(eiam().sendInSiteNoticeInBatches(notice, { journal: dying, deliveryKey: key, concurrency: 1 })).rejects.toThrow(
          "simulated crash",
        );
        await real.close(); // the process is gone: nobody owns batch 2 any more

        const journal = await engine.open();
        try {
          const result = await eiam().sendInSiteNoticeInBatches(notice, { journal, deliveryKey: key, concurrency: 2 });
          const got = received(notice.title);
          expect([...got.values()].every((n) => n === 1)).toBe(true); // nobody twice
          expect(got.size).toBe(450); // batch 2 did reach EIAM (its answer was lost), the rest were sent once each
          expect(result.uncertain.user_names).toEqual(notice.user_names.slice(100, 200));
          expect(result.sent.user_names).toEqual([...notice.user_names.slice(0, 100), ...notice.user_names.slice(200)]);
          expect(result.notSent.user_names).toEqual([]);
          expect(result.batches[1]).toMatchObject({ outcome: "uncertain", reason: expect.stringContaining("interrupted") });
          expect(result.batches[0]!.notice_id).toMatch(/^\d{17}-/); // recorded by the first process, read back
          // A third call changes nothing and sends nothing.
          const before = sendCount();
          const again = await eiam().sendInSiteNoticeInBatches(notice, { journal, deliveryKey: key });
          expect(sendCount()).toBe(before);
          expect(again.sent).toEqual(result.sent);
          expect((await journal.status(key))?.batches.map((b) => b.state)).toEqual(["sent", "uncertain", "sent", "sent", "sent"]);
        } finally {
          await journal.close();
          engine.cleanup();
        }
      });

      it("refuses a different request under a used key before sending anything", async () => {
        const engine = make();
        const journal = await engine.open();
        try {
          const key = freshKey("conflict");
          const notice = { title: "Disk alarm", content: "disk full", message_type: "TEXT" as const, user_names: users(key, 3) };
          await eiam().sendInSiteNoticeInBatches(notice, { journal, deliveryKey: key });
          const before = sandbox.eiam.requests.length;
          const other = eiam().sendInSiteNoticeInBatches({ ...notice, content: "disk fine" }, { journal, deliveryKey: key });
          await expect(other).rejects.toThrow(`deliveryKey "${key}" already names a different request`);
          await expect(
            eiam().sendInSiteNoticeInBatches({ ...notice, user_names: users(key, 4) }, { journal, deliveryKey: key }),
          ).rejects.toBeInstanceOf(JournalError);
          expect(sandbox.eiam.requests.length).toBe(before);
          // The same people in another order is the same delivery: it resumes (nothing left to send).
          await expect(
            eiam().sendInSiteNoticeInBatches({ ...notice, user_names: [...notice.user_names].reverse() }, { journal, deliveryKey: key }),
          ).resolves.toMatchObject({ notSent: { user_names: [] } });
        } finally {
          await journal.close();
          engine.cleanup();
        }
      });

      it("after a quota stop, the same key sends the batches that were refused or never started", async () => {
        const engine = make();
        const journal = await engine.open();
        try {
          const key = freshKey("quota");
          const notice = { title: key.slice(0, 100), content: "c", message_type: "TEXT" as const, user_names: users(key, 300) };
          sandbox.eiam.addFault({
            operation: "sendInSiteNotice",
            nth: 2,
            status: 400,
            body: JSON.stringify({ error_code: "NOTICE.INSITE.0003", error_msg: "quota" }),
          });
          const first = await eiam().sendInSiteNoticeInBatches(notice, { journal, deliveryKey: key, concurrency: 1 });
          expect(first.stoppedBy).toBe("quota");
          expect(first.notSent.user_names).toEqual(notice.user_names.slice(100));
          expect(first.batches[2]!.reason).toBe("not started: the delivery stopped (quota)");
          const second = await eiam().sendInSiteNoticeInBatches(notice, { journal, deliveryKey: key, concurrency: 1 });
          expect(second.stoppedBy).toBeUndefined();
          expect(second.sent.user_names).toEqual(notice.user_names);
          expect([...received(notice.title).values()].every((n) => n === 1)).toBe(true);
        } finally {
          sandbox.eiam.clearFaults();
          await journal.close();
          engine.cleanup();
        }
      });
    },
  );
}

describe("a journal that cannot be used stops the delivery before anything is sent", () => {
  it("names the file that cannot be opened", async () => {
    await expect(openJournal({ file: "/etc/hostname/deliveries.db" })).rejects.toThrow(
      /^journal file \/etc\/hostname\/deliveries\.db: cannot be opened: /,
    );
    const engine = sqliteEngine();
    try {
      writeFileSync(engine.target, "this is not a database, it is a text file written over the journal's path ".repeat(20));
      const err = await openJournal({ file: engine.target }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JournalError);
      expect((err as JournalError).reason).toBe("open");
      expect((err as Error).message).toContain(`journal file ${engine.target}: cannot be written: file is not a database`);
    } finally {
      engine.cleanup();
    }
  });

  it("refuses a second process on the same file, naming it and the way to share (PostgreSQL)", async () => {
    const engine = sqliteEngine();
    const first = await engine.open();
    try {
      await expect(engine.open()).rejects.toThrow(
        `journal file ${engine.target}: is in use by another process (one process per journal file; share a PostgreSQL journal between workers)`,
      );
    } finally {
      await first.close();
      engine.cleanup();
    }
  });

  it("names the PostgreSQL URL that cannot be reached, with its password masked", async () => {
    const password = "hunter2-very-secret";
    const err = await openJournal({ postgres: `postgres://alice:${password}@127.0.0.1:1/deliveries` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JournalError);
    const text = `${(err as Error).message} ${JSON.stringify(err)}`;
    expect((err as Error).message).toMatch(
      /^PostgreSQL journal postgres:\/\/alice:\*\*\*@127\.0\.0\.1:1\/deliveries: cannot be opened: .*ECONNREFUSED/,
    );
    expect(text).not.toContain(password);
    await expect(openJournal({ postgres: "mysql://x@y/z" })).rejects.toThrow("postgres must be a postgres:// or postgresql:// URL");
  });

  it.skipIf(!POSTGRES_URL)(
    `a wrong PostgreSQL password is named as such, with the URL masked${POSTGRES_URL ? "" : ` (${POSTGRES_SKIP_REASON})`}`,
    async () => {
      const url = new URL(POSTGRES_URL!);
      url.password = "wrong-password-4711";
      const err = await openJournal({ postgres: url.toString() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JournalError);
      expect((err as Error).message).toContain(
        `PostgreSQL journal postgres://${url.username}:***@${url.host}${url.pathname}: cannot be opened: password authentication failed`,
      );
      expect(`${(err as Error).message} ${JSON.stringify(err)}`).not.toContain("wrong-password-4711");
    },
  );

  it("a journal whose file turned unwritable after open: nothing is sent, not even a token request", async () => {
    const engine = sqliteEngine();
    const journal = await engine.open();
    try {
      await journal.close(); // the handle is gone: every write fails
      const before = sandbox.eiam.requests.length;
      const err = await eiam()
        .sendInSiteNoticeInBatches(
          { title: "t", content: "c", message_type: "TEXT", user_names: ["a", "b"] },
          { journal, deliveryKey: "k" },
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JournalError);
      expect((err as Error).message).toContain(engine.target);
      expect(sandbox.eiam.requests.length).toBe(before);
    } finally {
      engine.cleanup();
    }
  });
});
