import {
  ApiError,
  AuthenticationError,
  NetworkError,
  ResponseShapeError,
  SignalBridgeError,
  TimeoutError,
  ValidationError,
  assertValid,
  type CallOptions,
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
  /** Requests in flight at once. Default 2 (a notification API is not a load test). */
  concurrency?: number;
  /** Per-request options (timeout, retry, signal, headers) for every batch. */
  call?: CallOptions;
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
  error?: SignalBridgeError;
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
const USERS_PER_REQUEST = op.bodyConstraints.user_names.maxItems;
const ORGS_PER_REQUEST = op.bodyConstraints.org_codes.maxItems;

function chunk(list: string[], size: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function outcomeOf(error: unknown): "not-sent" | "uncertain" {
  if (error instanceof ValidationError) return "not-sent";
  if (error instanceof TimeoutError || error instanceof NetworkError) return error.mayHaveReachedServer ? "uncertain" : "not-sent";
  if (error instanceof ApiError) return error.status >= 500 ? "uncertain" : "not-sent";
  // A 2xx whose body we could not read, or anything unexpected: assume it may have happened.
  return "uncertain";
}

/**
 * Send one notice to any number of users and organisations: split into requests within EIAM's
 * limits (from the spec), each recipient in exactly one request, with bounded concurrency.
 * Stops starting new requests on the daily quota (NOTICE.INSITE.0003) or refused credentials, and
 * reports exactly which recipients were sent, not sent, or uncertain. Never re-sends anything.
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
      [{ path: "user_names", rule: "rule", message: "user_names or org_codes must not be empty (use sendInSiteNotice with all: true to reach everyone)" }],
      context,
    );
  }
  // Every batch is checked before the first is sent: bad input sends nothing at all.
  for (const body of bodies) assertValid(op.validateRequest, { body }, op.ruleMessages, context);

  const batches: BatchResult[] = bodies.map((b) => ({ user_names: [...(b.user_names ?? [])], org_codes: [...(b.org_codes ?? [])], outcome: "not-sent" }));
  let stoppedBy: BatchSendResult["stoppedBy"];
  let next = 0;
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 2, count));
  const worker = async () => {
    while (!stoppedBy && next < count) {
      const i = next++;
      try {
        const sent = await send(bodies[i]!, options.call);
        batches[i]!.outcome = "sent";
        batches[i]!.notice_id = sent.notice_id;
      } catch (error) {
        if (!(error instanceof SignalBridgeError)) throw error;
        batches[i]!.outcome = outcomeOf(error);
        batches[i]!.error = error;
        if (error instanceof ApiError && error.code === "NOTICE.INSITE.0003") stoppedBy = "quota";
        else if (error instanceof AuthenticationError) stoppedBy ??= "authentication";
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  const collect = (outcome: BatchResult["outcome"]): Recipients => ({
    user_names: batches.filter((b) => b.outcome === outcome).flatMap((b) => b.user_names),
    org_codes: batches.filter((b) => b.outcome === outcome).flatMap((b) => b.org_codes),
  });
  return { batches, sent: collect("sent"), notSent: collect("not-sent"), uncertain: collect("uncertain"), ...(stoppedBy ? { stoppedBy } : {}) };
}
