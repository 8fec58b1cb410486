/**
 * The embedded engine: one SQLite file through better-sqlite3.
 *
 * Crash safety comes from SQLite itself: WAL mode with synchronous=FULL, and each step of the
 * protocol (plan, claim, settle) is one transaction, so after kill -9 at any instant the file
 * holds either the step or nothing of it. One process owns the file at a time (exclusive locking
 * mode, taken at open): every batch in flight that this process did not claim belongs to a
 * process that is gone, which is what makes "uncertain" certain. Workers on several processes or
 * machines share a PostgreSQL journal instead.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import {
  INTERRUPTED_REASON,
  JournalError,
  keyConflictMessage,
  type DeliveryJournal,
  type DeliveryPlan,
  type DeliveryRecord,
  type JournalBatchRecord,
  type JournalBatchState,
  type JournalClaim,
} from "@signalbridge/core";
import { describe } from "./location.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS signalbridge_deliveries (
  delivery_key TEXT PRIMARY KEY,
  operation TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  stopped_by TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS signalbridge_batches (
  delivery_key TEXT NOT NULL REFERENCES signalbridge_deliveries (delivery_key),
  idx INTEGER NOT NULL,
  content TEXT NOT NULL,
  state TEXT NOT NULL,
  claim_token TEXT,
  result TEXT,
  reason TEXT,
  PRIMARY KEY (delivery_key, idx)
);
CREATE INDEX IF NOT EXISTS signalbridge_batches_state ON signalbridge_batches (delivery_key, state, idx);
`;

interface BatchRow {
  idx: number;
  content: string;
  state: JournalBatchState;
  claim_token: string | null;
  result: string | null;
  reason: string | null;
}

export interface SqliteJournalOptions {
  /** Path of the journal file; created (with its folder) when absent. */
  file: string;
  /**
   * "full" (default): every step is on disk before the call goes on, so even a power cut loses
   * nothing. "process": survives kill -9 and any crash of the process (SQLite's WAL guarantee),
   * not a power cut or an OS crash, and saves an fsync per step (about 1-2 ms on these machines).
   */
  durability?: "full" | "process";
}

export function openSqliteJournal(options: SqliteJournalOptions): DeliveryJournal {
  const location = options.file;
  const fail = (reason: "open" | "write" | "read", what: string, error: unknown): never => {
    throw new JournalError(reason, location, `journal file ${location}: ${what}: ${describe(error)}`, error);
  };
  let db: Database.Database;
  try {
    if (typeof options.file !== "string" || options.file === "") throw new Error("file must be a non-empty path");
    const path = resolve(options.file);
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { timeout: 0 });
  } catch (error) {
    return fail("open", "cannot be opened", error);
  }
  try {
    db.pragma("journal_mode = WAL");
    db.pragma(options.durability === "process" ? "synchronous = NORMAL" : "synchronous = FULL");
    db.pragma("foreign_keys = ON");
    // Held from the first write until close: a second process gets SQLITE_BUSY at once.
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec(`BEGIN IMMEDIATE; ${SCHEMA} COMMIT;`);
  } catch (error) {
    db.close();
    const busy = (error as { code?: string }).code?.startsWith("SQLITE_BUSY");
    return fail(
      "open",
      busy
        ? "is in use by another process (one process per journal file; share a PostgreSQL journal between workers)"
        : "cannot be written",
      error,
    );
  }

  const q = {
    delivery: db.prepare<[string], { operation: string; fingerprint: string; stopped_by: string | null }>(
      "SELECT operation, fingerprint, stopped_by FROM signalbridge_deliveries WHERE delivery_key = ?",
    ),
    insertDelivery: db.prepare(
      "INSERT INTO signalbridge_deliveries (delivery_key, operation, fingerprint, created_at) VALUES (?, ?, ?, ?)",
    ),
    insertBatch: db.prepare("INSERT INTO signalbridge_batches (delivery_key, idx, content, state) VALUES (?, ?, ?, 'pending')"),
    reopen: db.prepare("UPDATE signalbridge_batches SET state = 'pending', reason = NULL WHERE delivery_key = ? AND state = 'not-sent'"),
    clearStop: db.prepare("UPDATE signalbridge_deliveries SET stopped_by = NULL WHERE delivery_key = ?"),
    inFlight: db.prepare<[string], { idx: number; claim_token: string }>(
      "SELECT idx, claim_token FROM signalbridge_batches WHERE delivery_key = ? AND state = 'in-flight'",
    ),
    interrupt: db.prepare(
      "UPDATE signalbridge_batches SET state = 'uncertain', reason = ? WHERE delivery_key = ? AND idx = ? AND claim_token = ? AND state = 'in-flight'",
    ),
    claim: db.prepare<[{ token: string; key: string }], { idx: number; content: string }>(
      `UPDATE signalbridge_batches SET state = 'in-flight', claim_token = @token
       WHERE delivery_key = @key AND idx = (
         SELECT b.idx FROM signalbridge_batches b JOIN signalbridge_deliveries d USING (delivery_key)
         WHERE b.delivery_key = @key AND b.state = 'pending' AND d.stopped_by IS NULL ORDER BY b.idx LIMIT 1)
       RETURNING idx, content`,
    ),
    settle: db.prepare(
      "UPDATE signalbridge_batches SET state = ?, result = ?, reason = ? WHERE delivery_key = ? AND idx = ? AND claim_token = ?",
    ),
    stop: db.prepare("UPDATE signalbridge_deliveries SET stopped_by = coalesce(stopped_by, ?) WHERE delivery_key = ?"),
    batches: db.prepare<[string], BatchRow>(
      "SELECT idx, content, state, claim_token, result, reason FROM signalbridge_batches WHERE delivery_key = ? ORDER BY idx",
    ),
  };

  /** Claims of this process not yet settled: token → settled. */
  const live = new Map<string, { key: string; done: Promise<void>; resolve: () => void }>();
  let closed = false;
  const open = () => {
    if (closed) throw new JournalError("closed", location, `journal file ${location} is closed`);
  };

  /** In-flight batches no live claim of this process owns: their process died before settling. */
  const interruptDead = (key: string) => {
    for (const row of q.inFlight.all(key)) {
      if (!live.has(row.claim_token)) q.interrupt.run(INTERRUPTED_REASON, key, row.idx, row.claim_token);
    }
  };

  const record = (key: string): DeliveryRecord | undefined => {
    const d = q.delivery.get(key);
    if (!d) return undefined;
    const batches = q.batches.all(key).map((row): JournalBatchRecord => {
      const dead = row.state === "in-flight" && !live.has(row.claim_token ?? "");
      return {
        index: row.idx,
        state: dead ? "uncertain" : row.state,
        content: JSON.parse(row.content) as unknown,
        ...(row.result !== null ? { result: JSON.parse(row.result) as unknown } : {}),
        ...(dead ? { reason: INTERRUPTED_REASON } : row.reason !== null ? { reason: row.reason } : {}),
      };
    });
    return {
      deliveryKey: key,
      operation: d.operation,
      fingerprint: d.fingerprint,
      ...(d.stopped_by !== null ? { stoppedBy: d.stopped_by } : {}),
      batches,
    };
  };

  const begin = db.transaction((key: string, plan: DeliveryPlan) => {
    const used = q.delivery.get(key);
    if (!used) {
      q.insertDelivery.run(key, plan.operation, plan.fingerprint, new Date().toISOString());
      plan.batches.forEach((content, i) => q.insertBatch.run(key, i, JSON.stringify(content)));
      return;
    }
    if (used.operation !== plan.operation || used.fingerprint !== plan.fingerprint) {
      throw new JournalError("key-conflict", location, keyConflictMessage(key, used, plan));
    }
    q.reopen.run(key);
    q.clearStop.run(key);
    interruptDead(key);
  });

  return {
    location,
    async begin(key, plan) {
      open();
      try {
        begin(key, plan);
      } catch (error) {
        if (error instanceof JournalError) throw error;
        fail("write", "cannot record the plan", error);
      }
    },
    async claim(key) {
      open();
      const token = randomUUID();
      let row: { idx: number; content: string } | undefined;
      try {
        row = q.claim.get({ token, key });
      } catch (error) {
        return fail("write", "cannot mark a batch in flight", error);
      }
      if (!row) return undefined;
      let resolveDone!: () => void;
      const done = new Promise<void>((r) => (resolveDone = r));
      live.set(token, { key, done, resolve: resolveDone });
      return { deliveryKey: key, index: row.idx, content: JSON.parse(row.content) as unknown, token } satisfies JournalClaim;
    },
    async settle(claim, s) {
      open();
      const owner = live.get(claim.token);
      try {
        const changed = q.settle.run(
          s.state,
          s.result === undefined ? null : JSON.stringify(s.result),
          s.reason ?? null,
          claim.deliveryKey,
          claim.index,
          claim.token,
        ).changes;
        if (changed !== 1) throw new Error(`batch ${claim.index} of "${claim.deliveryKey}" is not owned by this claim`);
      } catch (error) {
        fail("write", "cannot record the answer to a batch", error);
      } finally {
        live.delete(claim.token);
        owner?.resolve();
      }
    },
    async stop(key, reason) {
      open();
      try {
        q.stop.run(reason, key);
      } catch (error) {
        fail("write", "cannot record the stop", error);
      }
    },
    async finish(key) {
      open();
      await Promise.all([...live.values()].filter((c) => c.key === key).map((c) => c.done));
      try {
        db.transaction(() => interruptDead(key))();
        const r = record(key);
        if (!r) throw new Error(`no delivery under the key "${key}"`);
        return r;
      } catch (error) {
        return fail("read", "cannot read the delivery", error);
      }
    },
    async status(key) {
      open();
      try {
        return record(key);
      } catch (error) {
        return fail("read", "cannot read the delivery", error);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
