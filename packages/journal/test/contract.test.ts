import { afterEach, describe, expect, it } from "vitest";
import { INTERRUPTED_REASON, JournalError, type DeliveryJournal, type DeliveryPlan } from "@signalbridge/core";
import { freshKey, postgresEngine, sqliteEngine, POSTGRES_SKIP_REASON, type Engine } from "./engines.js";

const plan = (n: number, fingerprint = "fp-1"): DeliveryPlan => ({
  operation: "test.bulk",
  fingerprint,
  batches: Array.from({ length: n }, (_, i) => ({ users: [`u${i}a`, `u${i}b`] })),
});

for (const make of [sqliteEngine, postgresEngine]) {
  const probe = make();
  describe.skipIf(!probe.available)(`journal contract: ${probe.name}${probe.available ? "" : ` (${POSTGRES_SKIP_REASON})`}`, () => {
    let engine: Engine;
    const opened: DeliveryJournal[] = [];
    const open = async () => {
      const j = await engine.open();
      opened.push(j);
      return j;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((j) => j.close()));
      engine?.cleanup();
    });
    const start = () => {
      engine = make();
    };

    it("plans, claims each batch once in order, settles, and finishes with the record", async () => {
      start();
      const j = await open();
      const key = freshKey("basic");
      await j.begin(key, plan(3));
      const a = await j.claim(key);
      const b = await j.claim(key);
      expect([a?.index, b?.index]).toEqual([0, 1]);
      expect(a?.content).toEqual({ users: ["u0a", "u0b"] });
      expect((await j.status(key))?.batches.map((x) => x.state)).toEqual(["in-flight", "in-flight", "pending"]);
      await j.settle(a!, { state: "sent", result: { notice_id: "N1" } });
      await j.settle(b!, { state: "not-sent", reason: "refused" });
      const c = await j.claim(key);
      await j.settle(c!, { state: "uncertain", reason: "timeout" });
      expect(await j.claim(key)).toBeUndefined();
      const r = await j.finish(key);
      expect(r.batches.map((x) => [x.state, x.result, x.reason])).toEqual([
        ["sent", { notice_id: "N1" }, undefined],
        ["not-sent", undefined, "refused"],
        ["uncertain", undefined, "timeout"],
      ]);
      expect(await j.status(freshKey("unknown"))).toBeUndefined();
    });

    it("refuses a different request under a used key, naming the key; the same request resumes", async () => {
      start();
      const j = await open();
      const key = freshKey("conflict");
      await j.begin(key, plan(2));
      const err = await j.begin(key, plan(2, "fp-2")).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(JournalError);
      expect((err as JournalError).reason).toBe("key-conflict");
      expect((err as Error).message).toContain(`deliveryKey "${key}" already names a different request`);
      await expect(j.begin(key, { ...plan(2), operation: "other.op" })).rejects.toThrow("already names another operation (test.bulk)");
      await expect(j.begin(key, plan(2))).resolves.toBeUndefined();
    });

    it("a later begin re-opens not-sent batches and lifts a stop; sent and uncertain ones stay", async () => {
      start();
      const j = await open();
      const key = freshKey("reopen");
      await j.begin(key, plan(4));
      await j.settle((await j.claim(key))!, { state: "sent" });
      await j.settle((await j.claim(key))!, { state: "uncertain", reason: "5xx" });
      await j.settle((await j.claim(key))!, { state: "not-sent", reason: "quota" });
      await j.stop(key, "quota");
      await j.stop(key, "authentication"); // the first reason is kept
      expect(await j.claim(key)).toBeUndefined(); // stopped: batch 3 is not started
      expect((await j.finish(key)).stoppedBy).toBe("quota");
      await j.begin(key, plan(4));
      expect((await j.status(key))?.stoppedBy).toBeUndefined();
      const again = [await j.claim(key), await j.claim(key), await j.claim(key)];
      expect(again.map((c) => c?.index)).toEqual([2, 3, undefined]);
    });

    it("a batch in flight when its worker died is uncertain for everyone, and never claimed again", async () => {
      start();
      const key = freshKey("dead");
      const first = await engine.open();
      await first.begin(key, plan(2));
      const claimed = await first.claim(key);
      expect(claimed?.index).toBe(0);
      await first.close(); // the worker is gone without settling (its lock/file goes with it)
      const second = await open();
      expect((await second.status(key))?.batches[0]).toMatchObject({ state: "uncertain", reason: INTERRUPTED_REASON });
      await second.begin(key, plan(2));
      const next = await second.claim(key);
      expect(next?.index).toBe(1);
      expect(await second.claim(key)).toBeUndefined();
      await second.settle(next!, { state: "sent" });
      expect((await second.finish(key)).batches[0]!.state).toBe("uncertain");
    });

    it("finish waits for a batch another live caller still has in flight", async () => {
      start();
      const j = await open();
      const key = freshKey("wait");
      await j.begin(key, plan(1));
      const c = (await j.claim(key))!;
      let finished = false;
      const done = j.finish(key).then((r) => {
        finished = true;
        return r;
      });
      // finish cannot resolve before the settle below: it is waiting on the claim, not on time.
      await j.status(key);
      expect(finished).toBe(false);
      await j.settle(c, { state: "sent", result: { id: 1 } });
      expect((await done).batches[0]!.state).toBe("sent");
    });
  });
}
