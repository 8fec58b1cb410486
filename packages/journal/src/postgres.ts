/**
 * The distributed engine: PostgreSQL through `pg`, shared by any number of worker processes on
 * any number of machines.
 *
 * - A claim is one transaction on this worker's lease connection: `SELECT … FOR UPDATE SKIP
 *   LOCKED` picks a pending batch no other worker is picking, marks it in flight, and takes a
 *   session advisory lock on it, all committed before the request leaves. Exactly one worker
 *   sends each batch.
 * - The advisory lock lives as long as the lease connection: when a worker dies (kill -9, lost
 *   machine), PostgreSQL ends its session and drops the lock. A batch in flight whose lock is free
 *   therefore belongs to a dead worker: it is reported uncertain and never claimed again.
 * - finish() waits on each in-flight batch's lock (blocking, no polling), so every worker returns
 *   the same, complete record.
 * For a worker on another machine, a dead peer is noticed when its TCP connection drops: set
 * `tcp_keepalives_idle` on the server (or `keepAlive` here, the default) to bound that time.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import {
  INTERRUPTED_REASON,
  JournalError,
  keyConflictMessage,
  registerSecret,
  type DeliveryJournal,
  type DeliveryRecord,
  type JournalBatchRecord,
  type JournalBatchState,
  type JournalClaim,
} from "@signalbridge/core";
import { describe, passwordOf, redactUrl } from "./location.js";

/** First key of every advisory lock this journal takes ("SB" + 1): other users of advisory locks pick other numbers. */
const LOCK_SPACE = 0x5342_0001;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS signalbridge_deliveries (
  delivery_key text PRIMARY KEY,
  operation text NOT NULL,
  fingerprint text NOT NULL,
  stopped_by text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS signalbridge_batches (
  id serial PRIMARY KEY,
  delivery_key text NOT NULL REFERENCES signalbridge_deliveries (delivery_key),
  idx integer NOT NULL,
  content jsonb NOT NULL,
  state text NOT NULL,
  claim_token text,
  result jsonb,
  reason text,
  claimed_at timestamptz,
  settled_at timestamptz,
  UNIQUE (delivery_key, idx)
);
CREATE INDEX IF NOT EXISTS signalbridge_batches_pending ON signalbridge_batches (delivery_key, idx) WHERE state = 'pending';
`;

export interface PostgresJournalOptions {
  /** A connection URL: postgres://user:password@host:5432/db */
  postgres: string;
  /** Connections for reads and waits (the lease connection comes on top). Default 2. */
  poolSize?: number;
}

interface BatchRow {
  id: number;
  idx: number;
  content: unknown;
  state: JournalBatchState;
  result: unknown;
  reason: string | null;
  locked: boolean;
}

/** One at a time on the lease connection: a claim and a settle of the same worker never interleave. */
function serial() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

export async function openPostgresJournal(options: PostgresJournalOptions): Promise<DeliveryJournal> {
  const url = options.postgres;
  const location = typeof url === "string" ? redactUrl(url) : String(url);
  registerSecret(typeof url === "string" ? passwordOf(url) : undefined);
  const fail = (reason: "open" | "write" | "read", what: string, error: unknown): never => {
    throw new JournalError(reason, location, `PostgreSQL journal ${location}: ${what}: ${describe(error)}`, error);
  };
  if (typeof url !== "string" || !/^postgres(ql)?:\/\//.test(url)) {
    return fail("open", "cannot be opened", new Error("postgres must be a postgres:// or postgresql:// URL"));
  }
  const config = { connectionString: url, keepAlive: true, connectionTimeoutMillis: 10_000 };
  const lease = new pg.Client(config);
  const pool = new pg.Pool({ ...config, max: options.poolSize ?? 2 });
  // A dropped connection must not crash the process: the next call reports it.
  lease.on("error", () => undefined);
  pool.on("error", () => undefined);
  try {
    await lease.connect();
    await lease.query("BEGIN");
    // Concurrent CREATE TABLE IF NOT EXISTS from several workers can still collide: one at a time.
    await lease.query("SELECT pg_advisory_xact_lock($1, 0)", [LOCK_SPACE]);
    await lease.query(SCHEMA);
    await lease.query("COMMIT");
  } catch (error) {
    await lease.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
    return fail("open", "cannot be opened", error);
  }
  const onLease = serial();
  let closed = false;
  const open = () => {
    if (closed) throw new JournalError("closed", location, `PostgreSQL journal ${location} is closed`);
  };

  const inTransaction = async <T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> => {
    await client.query("BEGIN");
    try {
      const out = await work();
      await client.query("COMMIT");
      return out;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  };

  /** The record; `locked` says whether a live worker holds the batch's lock. */
  const read = async (client: pg.ClientBase, key: string): Promise<DeliveryRecord | undefined> => {
    const d = await client.query<{ operation: string; fingerprint: string; stopped_by: string | null }>(
      "SELECT operation, fingerprint, stopped_by FROM signalbridge_deliveries WHERE delivery_key = $1",
      [key],
    );
    const head = d.rows[0];
    if (!head) return undefined;
    const rows = await client.query<BatchRow>(
      `SELECT b.id, b.idx, b.content, b.state, b.result, b.reason,
              EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND l.classid = $2::oid AND l.objid = b.id::oid AND l.objsubid = 2) AS locked
       FROM signalbridge_batches b WHERE b.delivery_key = $1 ORDER BY b.idx`,
      [key, LOCK_SPACE],
    );
    const batches = rows.rows.map((row): JournalBatchRecord => {
      const dead = row.state === "in-flight" && !row.locked;
      return {
        index: row.idx,
        state: dead ? "uncertain" : row.state,
        content: row.content,
        ...(row.result !== null ? { result: row.result } : {}),
        ...(dead ? { reason: INTERRUPTED_REASON } : row.reason !== null ? { reason: row.reason } : {}),
      };
    });
    return {
      deliveryKey: key,
      operation: head.operation,
      fingerprint: head.fingerprint,
      ...(head.stopped_by !== null ? { stoppedBy: head.stopped_by } : {}),
      batches,
    };
  };

  /** Mark in-flight batches whose worker is gone as uncertain (the caller holds a transaction). */
  const interruptDead = (client: pg.ClientBase, key: string) =>
    client.query(
      `UPDATE signalbridge_batches SET state = 'uncertain', reason = $2, settled_at = now()
       WHERE delivery_key = $1 AND state = 'in-flight' AND pg_try_advisory_xact_lock($3, id)`,
      [key, INTERRUPTED_REASON, LOCK_SPACE],
    );

  return {
    location,
    async begin(key, plan) {
      open();
      const client = await pool.connect().catch((error: unknown) => fail("write", "cannot connect", error));
      try {
        await inTransaction(client, async () => {
          const inserted = await client.query(
            "INSERT INTO signalbridge_deliveries (delivery_key, operation, fingerprint) VALUES ($1, $2, $3) ON CONFLICT (delivery_key) DO NOTHING",
            [key, plan.operation, plan.fingerprint],
          );
          if (inserted.rowCount === 1) {
            await client.query(
              `INSERT INTO signalbridge_batches (delivery_key, idx, content, state)
               SELECT $1, ord - 1, content, 'pending' FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t (content, ord)`,
              [key, JSON.stringify(plan.batches)],
            );
            return;
          }
          const used = await client.query<{ operation: string; fingerprint: string }>(
            "SELECT operation, fingerprint FROM signalbridge_deliveries WHERE delivery_key = $1",
            [key],
          );
          const head = used.rows[0]!;
          if (head.operation !== plan.operation || head.fingerprint !== plan.fingerprint) {
            throw new JournalError("key-conflict", location, keyConflictMessage(key, head, plan));
          }
          await client.query(
            "UPDATE signalbridge_batches SET state = 'pending', reason = NULL WHERE delivery_key = $1 AND state = 'not-sent'",
            [key],
          );
          await client.query("UPDATE signalbridge_deliveries SET stopped_by = NULL WHERE delivery_key = $1", [key]);
          await interruptDead(client, key);
        });
      } catch (error) {
        if (error instanceof JournalError) throw error;
        fail("write", "cannot record the plan", error);
      } finally {
        client.release();
      }
    },
    claim(key) {
      open();
      return onLease(async () => {
        const token = randomUUID();
        try {
          // One statement, so one round trip and one commit: pick (skipping rows other workers are
          // picking), mark in flight, and take the session lock that outlives the statement.
          const picked = await lease.query<{ id: number; idx: number; content: unknown }>(
            `WITH picked AS (
               SELECT b.id FROM signalbridge_batches b JOIN signalbridge_deliveries d USING (delivery_key)
               WHERE b.delivery_key = $1 AND b.state = 'pending' AND d.stopped_by IS NULL
               ORDER BY b.idx LIMIT 1 FOR UPDATE OF b SKIP LOCKED)
             UPDATE signalbridge_batches b SET state = 'in-flight', claim_token = $2, claimed_at = now()
             FROM picked WHERE b.id = picked.id
             RETURNING b.id, b.idx, b.content, pg_advisory_lock($3, b.id) IS NULL AS locked`,
            [key, token, LOCK_SPACE],
          );
          const row = picked.rows[0];
          if (!row) return undefined;
          return { deliveryKey: key, index: row.idx, content: row.content, token: `${row.id}:${token}` } satisfies JournalClaim;
        } catch (error) {
          return fail("write", "cannot mark a batch in flight", error);
        }
      });
    },
    settle(claim, s) {
      open();
      return onLease(async () => {
        const [id, token] = claim.token.split(":") as [string, string];
        let unlocked = false;
        try {
          const changed = await lease.query<{ unlocked: boolean }>(
            `UPDATE signalbridge_batches SET state = $3, result = $4::jsonb, reason = $5, settled_at = now() WHERE id = $1 AND claim_token = $2
             RETURNING pg_advisory_unlock($6, id) AS unlocked`,
            [Number(id), token, s.state, s.result === undefined ? null : JSON.stringify(s.result), s.reason ?? null, LOCK_SPACE],
          );
          unlocked = changed.rows[0]?.unlocked === true;
          if (changed.rowCount !== 1) throw new Error(`batch ${claim.index} of "${claim.deliveryKey}" is not owned by this claim`);
        } catch (error) {
          fail("write", "cannot record the answer to a batch", error);
        } finally {
          if (!unlocked) await lease.query("SELECT pg_advisory_unlock($1, $2)", [LOCK_SPACE, Number(id)]).catch(() => undefined);
        }
      });
    },
    async stop(key, reason) {
      open();
      try {
        await pool.query("UPDATE signalbridge_deliveries SET stopped_by = coalesce(stopped_by, $2) WHERE delivery_key = $1", [key, reason]);
      } catch (error) {
        fail("write", "cannot record the stop", error);
      }
    },
    async finish(key) {
      open();
      const client = await pool.connect().catch((error: unknown) => fail("read", "cannot connect", error));
      try {
        for (;;) {
          const flying = await client.query<{ id: number }>(
            "SELECT id FROM signalbridge_batches WHERE delivery_key = $1 AND state = 'in-flight'",
            [key],
          );
          if (flying.rowCount === 0) break;
          for (const { id } of flying.rows) {
            await inTransaction(client, async () => {
              // Blocks until the owner settles (and unlocks) or its session ends.
              await client.query("SELECT pg_advisory_xact_lock($1, $2)", [LOCK_SPACE, id]);
              await client.query(
                "UPDATE signalbridge_batches SET state = 'uncertain', reason = $2, settled_at = now() WHERE id = $1 AND state = 'in-flight'",
                [id, INTERRUPTED_REASON],
              );
            });
          }
        }
        const r = await read(client, key);
        if (!r) throw new Error(`no delivery under the key "${key}"`);
        return r;
      } catch (error) {
        return fail("read", "cannot read the delivery", error);
      } finally {
        client.release();
      }
    },
    async status(key) {
      open();
      try {
        const client = await pool.connect();
        try {
          return await read(client, key);
        } finally {
          client.release();
        }
      } catch (error) {
        return fail("read", "cannot read the delivery", error);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await onLease(async () => undefined);
      await Promise.all([lease.end().catch(() => undefined), pool.end().catch(() => undefined)]);
    },
  };
}
