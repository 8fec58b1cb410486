/**
 * Adding many at-persons (an on-call rota, a team) through the delivery journal: each at-person
 * is one AddSNSDingTalkAtPerson job, planned before the first is submitted, marked in flight before
 * it leaves and settled after its job ends. A call again with the same key (after a crash, from any
 * process sharing the journal) submits only the adds that never left and reports those in flight
 * at the crash as uncertain; an add is never submitted twice, since a second one would either
 * duplicate the at-person or fail on the server's duplicate-phone check.
 */
import {
  AuthenticationError,
  SignalBridgeError,
  ValidationError,
  assertValid,
  failedBatchOutcome,
  journalForCall,
  runBatches,
  type DeliveryJournal,
} from "@signalbridge/core";
import type { AddDingTalkAtPersonInput, SNSDingTalkAtPersonInventory, ZStackCallOptions } from "./client.js";
import { operations } from "./generated/operations.js";

export interface BulkAddOptions {
  /** Adds in flight at once (in this process). Default 2. */
  concurrency?: number;
  /** Per-call options (timeout, retry, signal, headers, poll) for every add. */
  call?: ZStackCallOptions;
  /** Where the record of what was added lives (`openJournal` from `@signalbridge/journal`); default: memory, this call only. */
  journal?: DeliveryJournal;
  /** Names this bulk add in the journal (required with `journal`): call again with it to resume. */
  deliveryKey?: string;
}

/** What became of one at-person: added, provably not added, or uncertain (the job may have run). */
export interface BulkAddItem {
  input: AddDingTalkAtPersonInput;
  outcome: "sent" | "not-sent" | "uncertain";
  /** The at-person's uuid, for an add this call or an earlier one saw succeed. */
  uuid?: string;
  error?: SignalBridgeError;
  reason?: string;
}

export interface BulkAddResult {
  items: BulkAddItem[];
  added: AddDingTalkAtPersonInput[];
  notAdded: AddDingTalkAtPersonInput[];
  uncertain: AddDingTalkAtPersonInput[];
  /** Why no further add was started: the session or AccessKey was refused. */
  stoppedBy?: "authentication";
}

const op = operations.AddSNSDingTalkAtPerson;
const OPERATION = "zstack.addDingTalkAtPerson";
const CHECK_JOB = "0".repeat(32);

// A vendor error with a code is the job's (or the submit's) definitive answer: nothing was added.
// A 404 on the poll (job unknown or expired) has no code: whether it ran is unknown.
const outcomeOf = (error: unknown) => failedBatchOutcome(error, (e) => (e.code !== undefined ? "not-sent" : "uncertain"));

/** Add every at-person in `inputs`, each exactly once, recorded in `options.journal`. */
export async function addAtPersonsInBulk(
  add: (input: AddDingTalkAtPersonInput, call?: ZStackCallOptions) => Promise<SNSDingTalkAtPersonInventory>,
  inputs: readonly AddDingTalkAtPersonInput[],
  options: BulkAddOptions = {},
): Promise<BulkAddResult> {
  const context = { vendor: "zstack", operation: "addDingTalkAtPersons" };
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new ValidationError([{ path: "inputs", rule: "minItems", message: "inputs: must list at least one at-person to add" }], context);
  }
  // Every add is checked before the first is submitted: bad input submits nothing at all.
  const planned = inputs.map((input) => JSON.parse(JSON.stringify(input ?? {})) as AddDingTalkAtPersonInput);
  planned.forEach((input, i) => {
    const { systemTags, userTags, ...params } = input;
    const body = { params, ...(systemTags ? { systemTags } : {}), ...(userTags ? { userTags } : {}) };
    try {
      assertValid(op.validateRequest, { header: { "X-Job-UUID": CHECK_JOB }, body }, op.ruleMessages, context);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(
        error.violations.map((v) => ({
          ...v,
          path: v.path.replace(/^body\.params\.|^body\./, `inputs[${i}].`),
          message: v.message.replace(/^body\.params\.|^body\./, `inputs[${i}].`),
        })),
        context,
      );
    }
  });

  const { journal, deliveryKey, fingerprint, done } = await journalForCall(options, () => planned, context);
  const run = await runBatches<SignalBridgeError>({
    journal,
    deliveryKey,
    plan: { operation: OPERATION, fingerprint, batches: planned },
    concurrency: options.concurrency ?? 2,
    send: async (content) => ({ uuid: (await add(content as AddDingTalkAtPersonInput, options.call)).uuid }),
    classify: (error) => {
      if (!(error instanceof SignalBridgeError)) throw error;
      return {
        state: outcomeOf(error),
        reason: `${error.name}: ${error.message}`,
        error,
        ...(error instanceof AuthenticationError ? { stop: "authentication" } : {}),
      };
    },
  });
  await done();

  const items: BulkAddItem[] = run.batches.map((b) => {
    const uuid = (b.result as { uuid?: string } | undefined)?.uuid;
    return {
      input: b.content as AddDingTalkAtPersonInput,
      outcome: b.state,
      ...(uuid !== undefined ? { uuid } : {}),
      ...(b.error ? { error: b.error } : {}),
      ...(b.reason !== undefined ? { reason: b.reason } : {}),
    };
  });
  const pick = (outcome: BulkAddItem["outcome"]) => items.filter((i) => i.outcome === outcome).map((i) => i.input);
  return {
    items,
    added: pick("sent"),
    notAdded: pick("not-sent"),
    uncertain: pick("uncertain"),
    ...(run.stoppedBy === "authentication" ? { stoppedBy: "authentication" as const } : {}),
  };
}
