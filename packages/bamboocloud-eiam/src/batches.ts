import {
  ApiError,
  AuthenticationError,
  SignalBridgeError,
  ValidationError,
  assertValid,
  failedBatchOutcome,
  journalForCall,
  runBatches,
  type CallOptions,
  type DeliveryJournal,
} from "@signalbridge/core";
import { VENDOR } from "./errors.js";
import { operations } from "./generated/operations.js";
import type { SendInSiteNoticeRequest, SentInSiteNotice } from "./client.js";

/** A notice for any number of recipients: asyncSend's body without `all` (one request does "all"). */
export type BatchNoticeRequest = Omit<SendInSiteNoticeRequest, "all" | "user_names" | "org_codes"> & {
  user_names?: readonly string[];
  org_codes?: readonly string[];
};

export interface BatchOptions {
  /** Requests in flight at once (in this process). Default 2 (a notification API is not a load test). */
  concurrency?: number;
  /** Per-request options (timeout, retry, signal, headers) for every batch. */
  call?: CallOptions;
  /**
   * Where the record of who was sent lives, so that a crash loses nothing and sends nothing twice:
   * `await openJournal({ file })` or `openJournal({ postgres })` from `@signalbridge/journal`, or
   * any DeliveryJournal. Without one the record is in memory, for this call only.
   */
  journal?: DeliveryJournal;
  /** Names this delivery in the journal (required with `journal`): call again with it to resume. */
  deliveryKey?: string;
}

/**
 * What became of one request. "sent": EIAM accepted it. "not-sent": it provably did not
 * happen (refused by EIAM, never left, or not started because the run stopped). "uncertain": it
 * may have been processed (a timeout or a reset after sending, a 5xx): it is NOT re-sent, because
 * a duplicate notice is worse than a reported gap; check with the recipients or EIAM's console.
 */
export interface BatchResult {
  user_names: string[];
  org_codes: string[];
  outcome: "sent" | "not-sent" | "uncertain";
  notice_id?: string;
  /** The error, when this call saw it (a batch settled by an earlier call has `reason` only). */
  error?: SignalBridgeError;
  /** Why it is not-sent or uncertain, in words, as the journal recorded it. */
  reason?: string;
}

export interface Recipients {
  user_names: string[];
  org_codes: string[];
}

export interface BatchSendResult {
  batches: BatchResult[];
  sent: Recipients;
  notSent: Recipients;
  uncertain: Recipients;
  /** Why the run stopped early: the daily quota (NOTICE.INSITE.0003) or refused credentials. */
  stoppedBy?: "quota" | "authentication";
}

const op = operations.sendInSiteNotice;
/** The journal's name for this bulk operation. */
const OPERATION = "eiam.sendInSiteNotice";

/** What the journal keeps of each batch: its recipients (the title and content are in the fingerprint). */
interface PlannedRecipients {
  user_names: string[];
  org_codes: string[];
}
const USERS_PER_REQUEST = op.bodyConstraints.user_names.maxItems;
const ORGS_PER_REQUEST = op.bodyConstraints.org_codes.maxItems;

function chunk(list: string[], size: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

// EIAM's 4xx refusals happen before the notice is queued; a 5xx may come after it was.
const outcomeOf = (error: unknown) => failedBatchOutcome(error, (e) => (e.status >= 500 ? "uncertain" : "not-sent"));

/**
 * Send one notice to any number of users and organisations: split into requests within EIAM's
 * limits (from the spec), each recipient in exactly one request, with bounded concurrency.
 * Stops starting new requests on the daily quota (NOTICE.INSITE.0003) or refused credentials, and
 * reports exactly which recipients were sent, not sent, or uncertain. Never re-sends a batch that
 * may have been processed. With `{ journal, deliveryKey }` the plan and every batch's state are
 * durable: calling again with the key (after a crash, from any process sharing the journal)
 * sends only the batches that were never processed and reports those in flight at the crash
 * as uncertain.
 */
export async function sendInBatches(
  send: (body: SendInSiteNoticeRequest, call?: CallOptions) => Promise<SentInSiteNotice>,
  request: BatchNoticeRequest,
  options: BatchOptions = {},
): Promise<BatchSendResult> {
  const users = [...new Set(request.user_names ?? [])];
  const orgs = [...new Set(request.org_codes ?? [])];
  const { user_names: _u, org_codes: _o, ...common } = request as BatchNoticeRequest & { all?: unknown };
  if ("all" in common) delete (common as { all?: unknown }).all;
  const userChunks = chunk(users, USERS_PER_REQUEST);
  const orgChunks = chunk(orgs, ORGS_PER_REQUEST);
  const count = Math.max(userChunks.length, orgChunks.length);
  const bodies: SendInSiteNoticeRequest[] = Array.from({ length: count }, (_, i) => ({
    ...common,
    ...(userChunks[i] ? { user_names: userChunks[i] } : {}),
    ...(orgChunks[i] ? { org_codes: orgChunks[i] } : {}),
    all: false,
  }));
  const context = { vendor: VENDOR, operation: "sendInSiteNoticeInBatches" };
  if (count === 0) {
    throw new ValidationError(
      [
        {
          path: "user_names",
          rule: "rule",
          message: "user_names or org_codes must not be empty (use sendInSiteNotice with all: true to reach everyone)",
        },
      ],
      context,
    );
  }
  // Every batch is checked before the first is sent: bad input sends nothing at all.
  for (const body of bodies) assertValid(op.validateRequest, { body }, op.ruleMessages, context);

  // The recipients as sets: the same people in another order is the same delivery.
  const { journal, deliveryKey, fingerprint, done } = await journalForCall(
    options,
    () => ({ ...common, all: false, user_names: [...users].sort(), org_codes: [...orgs].sort() }),
    context,
  );
  const plan = {
    operation: OPERATION,
    fingerprint,
    batches: bodies.map((b): PlannedRecipients => ({ user_names: b.user_names ?? [], org_codes: b.org_codes ?? [] })),
  };
  const run = await runBatches<SignalBridgeError>({
    journal,
    deliveryKey,
    plan,
    concurrency: options.concurrency ?? 2,
    send: async (content) => {
      // What a later call sends is what the journal planned, even if this call's request split differently.
      const { user_names, org_codes } = content as PlannedRecipients;
      const body: SendInSiteNoticeRequest = {
        ...common,
        ...(user_names.length ? { user_names } : {}),
        ...(org_codes.length ? { org_codes } : {}),
        all: false,
      };
      assertValid(op.validateRequest, { body }, op.ruleMessages, context);
      const sent = await send(body, options.call);
      return { notice_id: sent.notice_id };
    },
    classify: (error) => {
      if (!(error instanceof SignalBridgeError)) throw error;
      const stop =
        error instanceof ApiError && error.code === "NOTICE.INSITE.0003"
          ? "quota"
          : error instanceof AuthenticationError
            ? "authentication"
            : undefined;
      return { state: outcomeOf(error), reason: `${error.name}: ${error.message}`, error, ...(stop ? { stop } : {}) };
    },
    notStartedReason: (stoppedBy) => `not started: the delivery stopped (${stoppedBy})`,
  });
  await done();

  const batches: BatchResult[] = run.batches.map((b) => {
    const { user_names, org_codes } = b.content as PlannedRecipients;
    const noticeId = (b.result as { notice_id?: string } | undefined)?.notice_id;
    return {
      user_names: [...user_names],
      org_codes: [...org_codes],
      outcome: b.state,
      ...(noticeId !== undefined ? { notice_id: noticeId } : {}),
      ...(b.error ? { error: b.error } : {}),
      ...(b.reason !== undefined ? { reason: b.reason } : {}),
    };
  });
  const stoppedBy = run.stoppedBy as BatchSendResult["stoppedBy"];
  const collect = (outcome: BatchResult["outcome"]): Recipients => ({
    user_names: batches.filter((b) => b.outcome === outcome).flatMap((b) => b.user_names),
    org_codes: batches.filter((b) => b.outcome === outcome).flatMap((b) => b.org_codes),
  });
  return {
    batches,
    sent: collect("sent"),
    notSent: collect("not-sent"),
    uncertain: collect("uncertain"),
    ...(stoppedBy ? { stoppedBy } : {}),
  };
}
