/**
 * The delivery journal: the durable record of a bulk operation split into batches, so that a
 * crash (kill -9, a lost machine) loses nothing and sends nothing twice.
 *
 * The protocol every bulk send follows (`runBatches` below):
 *   begin(plan)  the batches, each recipient in exactly one, written before the first send;
 *   claim()      one batch marked in flight, durably, before its request leaves;
 *   settle()     the answer recorded after it came back;
 *   finish()     the record, once no live worker has a batch in flight.
 * A batch found in flight whose worker is gone was possibly processed: it is reported uncertain
 * and never claimed again. Engines live in `@signalbridge/journal` (SQLite file, PostgreSQL);
 * this module holds only the contract and an in-memory journal for calls without one.
 */
import { sha256Hex } from "./crypto.js";
import { ApiError, NetworkError, SignalBridgeError, TimeoutError, ValidationError } from "./errors.js";

/** What a journal says happened to a batch. "in-flight": a live worker is sending it right now. */
export type JournalBatchState = "pending" | "in-flight" | "sent" | "not-sent" | "uncertain";

/** The batches of one delivery as planned, and what identifies the request they came from. */
export interface DeliveryPlan {
  /** The bulk operation, e.g. "eiam.sendInSiteNotice". */
  readonly operation: string;
  /** A digest of the whole request: a different request under a used key is refused. */
  readonly fingerprint: string;
  /** Each batch's content (JSON-serializable: what a later call needs to send it). */
  readonly batches: readonly unknown[];
}

export interface JournalBatchRecord {
  readonly index: number;
  readonly state: JournalBatchState;
  readonly content: unknown;
  /** What the vendor answered for a sent batch (e.g. `{ notice_id }`). */
  readonly result?: unknown;
  /** Why a batch is not-sent or uncertain, in words (already free of secrets). */
  readonly reason?: string;
}

export interface DeliveryRecord {
  readonly deliveryKey: string;
  readonly operation: string;
  readonly fingerprint: string;
  /** Why the delivery stopped claiming batches (e.g. "quota"); cleared by the next begin. */
  readonly stoppedBy?: string;
  readonly batches: readonly JournalBatchRecord[];
}

/** A batch this worker owns until it settles it. */
export interface JournalClaim {
  readonly deliveryKey: string;
  readonly index: number;
  readonly content: unknown;
  /** Identifies this attempt: only its owner can settle it. */
  readonly token: string;
}

export interface Settlement {
  readonly state: "sent" | "not-sent" | "uncertain";
  readonly result?: unknown;
  readonly reason?: string;
}

/** Any engine that keeps the record: the in-memory one here, a file or PostgreSQL in `@signalbridge/journal`. */
export interface DeliveryJournal {
  /** Where the record lives, for messages: a file path, or a URL with its password masked. */
  readonly location: string;
  /**
   * Write the plan under `deliveryKey`, or, when the key is used, check that it holds the same
   * request (else a JournalError "key-conflict"). A used key's not-sent batches (refused, or
   * never started because the delivery stopped) become pending again; batches found in flight
   * whose worker is gone become uncertain.
   */
  begin(deliveryKey: string, plan: DeliveryPlan): Promise<void>;
  /** The next pending batch, durably in flight and owned by the caller; undefined when none is left or the delivery stopped. */
  claim(deliveryKey: string): Promise<JournalClaim | undefined>;
  /** Record the answer to a claimed batch. */
  settle(claim: JournalClaim, settlement: Settlement): Promise<void>;
  /** Stop claiming batches of this delivery (the first reason is kept). */
  stop(deliveryKey: string, reason: string): Promise<void>;
  /** Wait until no live worker has a batch of this delivery in flight; then its record. */
  finish(deliveryKey: string): Promise<DeliveryRecord>;
  /** The record now (in-flight batches of live workers show as "in-flight"); undefined for an unknown key. */
  status(deliveryKey: string): Promise<DeliveryRecord | undefined>;
  close(): Promise<void>;
}

export type JournalErrorReason = "open" | "write" | "read" | "key-conflict" | "closed";

/** The journal could not be used, or refused the call. Thrown before anything is sent when it happens at begin. */
export class JournalError extends SignalBridgeError {
  readonly reason: JournalErrorReason;
  /** The journal's file path or URL (password masked). */
  readonly location: string;
  constructor(reason: JournalErrorReason, location: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? {} : { cause });
    this.reason = reason;
    this.location = location;
  }
}

export const isJournalError = (e: unknown): e is JournalError => e instanceof JournalError;

/** A delivery key names one delivery for its whole life: non-empty, printable, at most 200 characters. */
export function checkDeliveryKey(deliveryKey: unknown): string {
  if (
    typeof deliveryKey !== "string" ||
    deliveryKey.length === 0 ||
    deliveryKey.length > 200 ||
    /[\u0000-\u001f\u007f]/.test(deliveryKey)
  ) {
    throw new ValidationError([
      {
        path: "deliveryKey",
        rule: "rule",
        message:
          "deliveryKey must be a non-empty string of at most 200 printable characters (it names one delivery: reuse it only to resume that delivery)",
      },
    ]);
  }
  return deliveryKey;
}

/**
 * What a failed batch means for the record: "not-sent" when it provably did not happen (refused
 * before sending, never left), "uncertain" when it may have been processed. Only how a vendor's
 * own "no" reads differs, so the vendor says that (`apiOutcome`); anything unexpected (a 2xx
 * whose body could not be read) is uncertain.
 */
export function failedBatchOutcome(error: unknown, apiOutcome: (error: ApiError) => "not-sent" | "uncertain"): "not-sent" | "uncertain" {
  if (error instanceof ValidationError) return "not-sent";
  if (error instanceof TimeoutError || error instanceof NetworkError) return error.mayHaveReachedServer ? "uncertain" : "not-sent";
  if (error instanceof ApiError) return apiOutcome(error);
  return "uncertain";
}

/** Where one bulk call keeps its record. */
export interface CallJournal {
  readonly journal: DeliveryJournal;
  readonly deliveryKey: string;
  /** A digest of the request (empty for a memory journal, which no other call can see). */
  readonly fingerprint: string;
  /** Close the journal when it is this call's own. */
  done(): Promise<void>;
}

/**
 * The caller's journal and key, checked, with the request's fingerprint; or, without a journal,
 * a memory one for this call only (and a deliveryKey without a journal is refused).
 */
export async function journalForCall(
  options: { journal?: DeliveryJournal | undefined; deliveryKey?: string | undefined },
  fingerprintOf: () => unknown,
  context: { vendor: string; operation: string },
): Promise<CallJournal> {
  if (options.journal) {
    const deliveryKey = checkDeliveryKey(options.deliveryKey);
    return { journal: options.journal, deliveryKey, fingerprint: await sha256Hex(canonicalJson(fingerprintOf())), done: async () => {} };
  }
  if (options.deliveryKey !== undefined) {
    throw new ValidationError(
      [{ path: "deliveryKey", rule: "rule", message: "deliveryKey needs a journal (pass { journal, deliveryKey })" }],
      context,
    );
  }
  const journal = createMemoryJournal();
  return { journal, deliveryKey: "call", fingerprint: "", done: () => journal.close() };
}

/** JSON with sorted object keys: the same request always gives the same fingerprint. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The message a begin() refusal carries, the same for every engine. */
export function keyConflictMessage(deliveryKey: string, used: { operation: string; fingerprint: string }, plan: DeliveryPlan): string {
  const what = used.operation === plan.operation ? "a different request" : `another operation (${used.operation})`;
  return `deliveryKey "${deliveryKey}" already names ${what}: a delivery key identifies one request for good (pass the same request to resume it, or a new key for a new delivery)`;
}

export const INTERRUPTED_REASON =
  "interrupted: the worker sending this batch stopped before recording the answer, so it may have been processed; it is never re-sent";

/**
 * A journal in memory: the record of one call, gone with the process. What a bulk send uses
 * without `{ journal }`; it follows the same contract as the durable engines.
 */
export function createMemoryJournal(): DeliveryJournal {
  interface Row {
    content: unknown;
    state: JournalBatchState;
    token?: string;
    result?: unknown;
    reason?: string;
  }
  const deliveries = new Map<string, { operation: string; fingerprint: string; stoppedBy?: string; rows: Row[] }>();
  const inFlight = new Map<string, Promise<void>>();
  const settled = new Map<string, () => void>();
  let next = 0;
  let closed = false;
  const get = (key: string) => {
    if (closed) throw new JournalError("closed", "memory", "the journal is closed");
    const d = deliveries.get(key);
    if (!d) throw new JournalError("read", "memory", `no delivery under the key "${key}" (begin it first)`);
    return d;
  };
  const record = (key: string): DeliveryRecord => {
    const d = get(key);
    return {
      deliveryKey: key,
      operation: d.operation,
      fingerprint: d.fingerprint,
      ...(d.stoppedBy !== undefined ? { stoppedBy: d.stoppedBy } : {}),
      batches: d.rows.map((r, index) => ({
        index,
        state: r.state,
        content: r.content,
        ...(r.result !== undefined ? { result: r.result } : {}),
        ...(r.reason !== undefined ? { reason: r.reason } : {}),
      })),
    };
  };
  return {
    location: "memory",
    async begin(key, plan) {
      if (closed) throw new JournalError("closed", "memory", "the journal is closed");
      const used = deliveries.get(key);
      if (!used) {
        deliveries.set(key, {
          operation: plan.operation,
          fingerprint: plan.fingerprint,
          rows: plan.batches.map((content) => ({ content, state: "pending" })),
        });
        return;
      }
      if (used.operation !== plan.operation || used.fingerprint !== plan.fingerprint) {
        throw new JournalError("key-conflict", "memory", keyConflictMessage(key, used, plan));
      }
      delete used.stoppedBy;
      for (const row of used.rows) {
        if (row.state === "not-sent") {
          row.state = "pending";
          delete row.reason;
        }
      }
    },
    async claim(key) {
      const d = get(key);
      if (d.stoppedBy !== undefined) return undefined;
      const index = d.rows.findIndex((r) => r.state === "pending");
      if (index < 0) return undefined;
      const row = d.rows[index]!;
      const token = `m${++next}`;
      row.state = "in-flight";
      row.token = token;
      inFlight.set(token, new Promise<void>((resolve) => settled.set(token, resolve)));
      return { deliveryKey: key, index, content: row.content, token };
    },
    async settle(claim, s) {
      const row = get(claim.deliveryKey).rows[claim.index];
      if (!row || row.token !== claim.token)
        throw new JournalError("write", "memory", `batch ${claim.index} of "${claim.deliveryKey}" is not owned by this claim`);
      row.state = s.state;
      row.result = s.result;
      row.reason = s.reason;
      settled.get(claim.token)?.();
      settled.delete(claim.token);
      inFlight.delete(claim.token);
    },
    async stop(key, reason) {
      const d = get(key);
      d.stoppedBy ??= reason;
    },
    async finish(key) {
      await Promise.all(inFlight.values());
      return record(key);
    },
    async status(key) {
      return deliveries.has(key) ? record(key) : undefined;
    },
    async close() {
      closed = true;
    },
  };
}

/** What became of one batch in this call (with the error instance when this call saw it). */
export interface BatchOutcome<E> {
  index: number;
  state: "sent" | "not-sent" | "uncertain";
  content: unknown;
  result?: unknown;
  reason?: string;
  error?: E;
}

export interface RunBatchesOptions<E> {
  journal: DeliveryJournal;
  deliveryKey: string;
  plan: DeliveryPlan;
  /** Batches in flight at once in this process. */
  concurrency: number;
  /** Send one batch; resolve with its result, or reject (see `classify`). */
  send(content: unknown): Promise<unknown>;
  /** What a failed send means: its outcome, the words recorded, and whether the delivery must stop (and why). */
  classify(error: unknown): { state: "not-sent" | "uncertain"; reason: string; stop?: string; error: E };
  /** Called when a batch is not started because the delivery stopped. */
  notStartedReason?: (stoppedBy: string) => string;
}

/**
 * Run a planned bulk operation through a journal: begin, then workers that claim, send and
 * settle until nothing is left, then the record. A journal failure at begin sends nothing; a
 * journal failure later stops new sends, lets the ones in flight end, and is thrown.
 */
export async function runBatches<E>(options: RunBatchesOptions<E>): Promise<{ batches: BatchOutcome<E>[]; stoppedBy?: string }> {
  const { journal, deliveryKey, plan } = options;
  await journal.begin(deliveryKey, plan);
  const errors = new Map<number, E>();
  let stopped = false;
  let failure: unknown;
  const worker = async () => {
    while (!stopped && failure === undefined) {
      let claim: JournalClaim | undefined;
      try {
        claim = await journal.claim(deliveryKey);
      } catch (error) {
        failure ??= error;
        return;
      }
      if (!claim) return;
      let settlement: Settlement;
      try {
        settlement = { state: "sent", result: await options.send(claim.content) };
      } catch (error) {
        const verdict = options.classify(error);
        errors.set(claim.index, verdict.error);
        settlement = { state: verdict.state, reason: verdict.reason };
        if (verdict.stop !== undefined) {
          stopped = true;
          try {
            await journal.stop(deliveryKey, verdict.stop);
          } catch (e) {
            failure ??= e;
          }
        }
      }
      try {
        await journal.settle(claim, settlement);
      } catch (error) {
        // The batch stays in flight in the record: a later call reports it uncertain, never re-sends it.
        failure ??= error;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, plan.batches.length)) }, worker));
  if (failure !== undefined) throw failure;
  const record = await journal.finish(deliveryKey);
  const batches = record.batches.map((b): BatchOutcome<E> => {
    const error = errors.get(b.index);
    const base = { index: b.index, content: b.content, ...(error !== undefined ? { error } : {}) };
    if (b.state === "sent" || b.state === "not-sent" || b.state === "uncertain") {
      return {
        ...base,
        state: b.state,
        ...(b.result !== undefined ? { result: b.result } : {}),
        ...(b.reason !== undefined ? { reason: b.reason } : {}),
      };
    }
    // pending after finish: never started because the delivery stopped. (finish leaves no live in-flight batch.)
    if (b.state === "pending") {
      const stoppedBy = record.stoppedBy ?? "stop";
      return {
        ...base,
        state: "not-sent",
        reason: options.notStartedReason?.(stoppedBy) ?? `not started: the delivery stopped (${stoppedBy})`,
      };
    }
    return { ...base, state: "uncertain", reason: INTERRUPTED_REASON };
  });
  return { batches, ...(record.stoppedBy !== undefined ? { stoppedBy: record.stoppedBy } : {}) };
}
