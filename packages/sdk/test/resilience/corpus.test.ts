/**
 * Bad input never leaves the process; good input is never refused by the client.
 *
 * For every operation a caller can send through the named methods, requests are generated from the
 * spec's own request schema (specs/*.yaml, `$ref`s resolved; see arbitraries.ts): valid ones, and
 * valid ones with exactly one constraint broken. Each generated request is first checked against an
 * independent Ajv compile of the spec (the corpus is what it claims to be), then sent through the
 * public client against the real sandbox:
 * - ≥ 1000 invalid requests per operation: every one throws ValidationError, whose violations name
 *   the broken place, and none reaches the sandbox (its request log does not move);
 * - ≥ 200 valid requests per operation: none is refused by the client, every one reaches the
 *   sandbox, and the sandbox's own spec check finds nothing wrong with what arrived (what the
 *   client validated is what it sent).
 *
 * LogInByAccount is not in the corpus: no named method takes its input (the client builds it from
 * the `auth` option, checked at construction).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox, type VendorServer } from "@signalbridge/sandbox";
import {
  createEiamClient,
  createEnosClient,
  createZStackClient,
  isSignalBridgeError,
  ValidationError,
  type EiamClient,
  type EnosClient,
  type ZStackClient,
} from "../../src/index.js";
import { invalidValue, validValue, type Broken } from "./arbitraries.js";
import { recordProcessed, type Processed } from "./probe.js";
import { satisfies, specOperation, type Schema, type SpecFile } from "./spec.js";

const INVALID_PER_OPERATION = 1000;
const VALID_PER_OPERATION = 200;
const SEND_CONCURRENCY = 8;
const SEED = Number(process.env.CORPUS_SEED ?? Date.now() % 2 ** 31);

type Vendor = "zstack" | "eiam" | "enos";
type Json = Record<string, unknown>;
/** A request as the spec shapes it: parameters by location, and the body. */
interface Req {
  path?: Json;
  query?: Json;
  body?: unknown;
}

interface CorpusOperation {
  vendor: Vendor;
  file: SpecFile;
  operationId: string;
  /** The named method, for the report. */
  method: string;
  /** Send a spec-shaped request through the public client's named method. */
  call(req: Req): Promise<unknown>;
  /**
   * Whether the method's arguments can carry this breakage exactly. The clients build some parts
   * themselves (ZStack's body wrapper and job header, EnOS's `orgId` default), so a broken wrapper
   * is not something a caller can send.
   */
  expressible?(broken: Broken): boolean;
  /** Vendor ids for half of the valid requests that are sent, so they get past "not found". */
  realistic?(req: Req): Req;
}

let sandbox: Sandbox;
let zs: ZStackClient;
let eiam: EiamClient;
let enos: EnosClient;
const processed: Record<Vendor, Processed[]> = { zstack: [], eiam: [], enos: [] };
let noticeId = "";
let updatableRules: string[] = [];
const deletableRules: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, zstack: { jobDurationMs: 0 } });
  const quiet = { logLevel: "off" as const };
  zs = createZStackClient({ ...sandbox.config.zstack, ...quiet, poll: { initialIntervalMs: 5, maxIntervalMs: 10 } });
  eiam = createEiamClient({ ...sandbox.config.eiam, ...quiet });
  // No default appId: a request without `appId` must stay without one.
  const { appId: _appId, ...enosConfig } = sandbox.config.enos;
  enos = createEnosClient({ ...enosConfig, ...quiet });
  processed.zstack = recordProcessed(sandbox.zstack);
  processed.eiam = recordProcessed(sandbox.eiam);
  processed.enos = recordProcessed(sandbox.enos);

  ({ notice_id: noticeId } = await eiam.sendInSiteNotice({ title: "corpus", content: "seed", message_type: "TEXT", all: true }));
  const appId = sandbox.fixtures.enos.appId;
  const rule = (name: string) => ({ ruleName: name, messageRule: { mark1: ["seed"] } });
  updatableRules = await enos.createMessageRules({ appId, rules: [rule("update-a"), rule("update-b")] });
  for (let batch = 0; batch < 3; batch++) {
    deletableRules.push(
      ...(await enos.createMessageRules({ appId, rules: Array.from({ length: 50 }, (_, i) => rule(`delete-${batch}-${i}`)) })),
    );
  }
});

afterAll(async () => {
  await sandbox?.close();
});

const server = (vendor: Vendor): VendorServer => sandbox[vendor];
const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const pick = (o: Json, keys: string[]) => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
const TAGS = ["systemTags", "userTags"];

/**
 * ZStack's methods take the wrapped fields plus the tags, flat, and the client builds the body and
 * its wrapper: the body itself and the wrapper object (its type, its absence) are not the caller's
 * to break; a field added inside the wrapper is.
 */
const zstackWrapped = (wrapper: string) => (b: Broken) => {
  const [where, key] = b.path;
  if (where !== "body") return true;
  if (key === undefined) return false;
  return !(key === wrapper && b.path.length === 2 && b.kind !== "unknown field");
};

/**
 * EnOS's methods take the body as is (so the body itself is the caller's to break, except as null
 * or nothing: known-bugs.test.ts) and `orgId` as a call option that falls back to the client's
 * when a call passes none (undefined or null).
 */
const enosExpressible = (b: Broken) => {
  if (b.path[0] === "body") return obj(b.value).body !== null && obj(b.value).body !== undefined;
  const orgId = obj(obj(b.value).query).orgId;
  return b.path.length > 1 && orgId !== undefined && orgId !== null;
};

const OPERATIONS: CorpusOperation[] = [
  {
    vendor: "zstack",
    file: "zstack.yaml",
    operationId: "AddSNSDingTalkAtPerson",
    method: "addDingTalkAtPerson",
    call: (r) => zs.addDingTalkAtPerson({ ...obj(obj(r.body).params), ...pick(obj(r.body), TAGS) } as never),
    expressible: zstackWrapped("params"),
    realistic: (r) => {
      const body = obj(r.body);
      const { tagUuids: _t, ...params } = obj(body.params);
      return { ...r, body: { params: { ...params, endpointUuid: sandbox.fixtures.zstack.dingTalkEndpoints[0]!.uuid } } };
    },
  },
  {
    vendor: "zstack",
    file: "zstack.yaml",
    operationId: "QuerySNSDingTalkAtPerson",
    method: "queryDingTalkAtPersons",
    call: (r) => zs.queryDingTalkAtPersons(r.query as never),
    expressible: (b) => b.path.length > 1,
    realistic: (r) => ({
      query: {
        ...pick(obj(r.query), ["limit", "count", "replyWithCount"]),
        q: [`endpointUuid=${sandbox.fixtures.zstack.dingTalkEndpoints[0]!.uuid}`],
      },
    }),
  },
  {
    vendor: "zstack",
    file: "zstack.yaml",
    operationId: "UpdateAtPersonOfAtDingTalkEndpoint",
    method: "updateDingTalkAtPerson",
    call: (r) =>
      zs.updateDingTalkAtPerson(
        obj(r.path).uuid as string,
        {
          ...obj(obj(r.body).updateAtPersonOfAtDingTalkEndpoint),
          ...pick(obj(r.body), TAGS),
        } as never,
      ),
    expressible: (b) => b.path.length > 1 && zstackWrapped("updateAtPersonOfAtDingTalkEndpoint")(b),
    realistic: (r) => {
      const person = sandbox.fixtures.zstack.atPersons[0]!;
      const { phoneNumber: _p, ...fields } = obj(obj(r.body).updateAtPersonOfAtDingTalkEndpoint);
      return {
        path: { uuid: person.uuid },
        body: { updateAtPersonOfAtDingTalkEndpoint: { ...fields, endpointUuid: person.endpointUuid } },
      };
    },
  },
  {
    vendor: "zstack",
    file: "zstack.yaml",
    operationId: "RemoveSNSDingTalkAtPerson",
    method: "removeDingTalkAtPerson",
    call: (r) => zs.removeDingTalkAtPerson({ ...obj(r.path), ...obj(r.query) } as never),
    expressible: (b) => b.path.length > 1,
    realistic: (r) => ({
      path: { ...obj(r.path), endpointUuid: sandbox.fixtures.zstack.dingTalkEndpoints[1]!.uuid },
      query: pick(obj(r.query), ["deleteMode"]),
    }),
  },
  {
    vendor: "eiam",
    file: "bamboocloud-eiam.yaml",
    operationId: "sendInSiteNotice",
    method: "sendInSiteNotice",
    call: (r) => eiam.sendInSiteNotice(r.body as never),
  },
  {
    vendor: "eiam",
    file: "bamboocloud-eiam.yaml",
    operationId: "getInSiteNoticeSendResult",
    method: "getInSiteNoticeSendResult",
    call: (r) => eiam.getInSiteNoticeSendResult(obj(r.path).notice_id as string),
    expressible: (b) => b.path.length > 1,
    realistic: () => ({ path: { notice_id: noticeId } }),
  },
  {
    vendor: "enos",
    file: "enos.yaml",
    operationId: "createMessageRules",
    method: "createMessageRules",
    call: (r) => enos.createMessageRules(r.body as never, { orgId: obj(r.query).orgId as string }),
    expressible: enosExpressible,
    realistic: (r) => {
      const { relations: _r, ...body } = obj(r.body);
      return { query: { orgId: sandbox.fixtures.enos.orgId }, body: { ...body, appId: sandbox.fixtures.enos.appId } };
    },
  },
  {
    vendor: "enos",
    file: "enos.yaml",
    operationId: "searchMessageRules",
    method: "searchMessageRules",
    call: (r) => enos.searchMessageRules(r.body as never, { orgId: obj(r.query).orgId as string }),
    expressible: enosExpressible,
    realistic: (r) => {
      const { appId: _a, ...body } = obj(r.body);
      return { query: { orgId: sandbox.fixtures.enos.orgId }, body };
    },
  },
  {
    vendor: "enos",
    file: "enos.yaml",
    operationId: "updateMessageRules",
    method: "updateMessageRules",
    call: (r) => enos.updateMessageRules(r.body as never, { orgId: obj(r.query).orgId as string }),
    expressible: enosExpressible,
    realistic: (r) => {
      const { relations: _r, ...body } = obj(r.body);
      return { query: { orgId: sandbox.fixtures.enos.orgId }, body: { ...body, ruleId: updatableRules[0] } };
    },
  },
  {
    vendor: "enos",
    file: "enos.yaml",
    operationId: "deleteMessageRules",
    method: "deleteMessageRules",
    call: (r) => enos.deleteMessageRules(r.body as never, { orgId: obj(r.query).orgId as string }),
    expressible: enosExpressible,
    realistic: () => ({ query: { orgId: sandbox.fixtures.enos.orgId }, body: { ruleIds: [deletableRules.pop() ?? "gone"] } }),
  },
];

/** The part of the request schema a caller controls: headers (X-Job-UUID…) are the client's. */
function callerSchema(file: SpecFile, operationId: string): Schema {
  const { request } = specOperation(file, operationId);
  const { header: _header, ...properties } = request.properties as Record<string, Schema>;
  return { ...request, properties, required: (request.required as string[]).filter((k) => k !== "header") };
}

const dotted = (path: ReadonlyArray<string | number>) => path.map(String).join(".");

/** One path is the other or lies inside it (a rule on an object is reported on the object). */
function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

function tally(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

const show = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");

/** How the vendor answered a call that passed validation. */
function outcome(error: unknown): string {
  if (error === undefined) return "accepted";
  if (isSignalBridgeError(error)) {
    const code = (error as { code?: unknown }).code;
    const status = (error as { status?: unknown }).status;
    return `${error.kind}${status === undefined ? "" : ` ${String(status)}`}${code === undefined ? "" : ` ${String(code)}`}`;
  }
  return `thrown ${error instanceof Error ? error.name : typeof error}`;
}

async function pool<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

describe.each(OPERATIONS)("$vendor $operationId ($method)", (op) => {
  const schema = callerSchema(op.file, op.operationId);
  const summary = {
    invalid: 0,
    invalidRejected: 0,
    invalidReached: 0,
    invalidKinds: {} as Record<string, number>,
    valid: 0,
    validRefused: 0,
    validReached: 0,
    outcomes: {} as Record<string, number>,
  };

  afterAll(() => {
    console.log(
      `[corpus] ${op.vendor} ${op.operationId} (${op.method}): ` +
        `invalid ${summary.invalid} generated, ${summary.invalidRejected} rejected with ValidationError, ${summary.invalidReached} requests reached the sandbox ` +
        `[${show(summary.invalidKinds)}]; ` +
        `valid ${summary.valid} generated and sent, ${summary.validRefused} refused client-side, ${summary.validReached} requests reached the sandbox ` +
        `[vendor answers: ${show(summary.outcomes)}] (seed ${SEED})`,
    );
  });

  it(`rejects ${INVALID_PER_OPERATION} invalid requests before sending any`, { timeout: 60_000 }, async () => {
    const before = server(op.vendor).requests.length;
    // The request object itself is the client's to build; everything inside it is the caller's.
    const invalid = invalidValue(schema).filter((b) => b.path.length > 0 && (op.expressible?.(b) ?? true));
    await fc.assert(
      fc.asyncProperty(invalid, async (broken) => {
        // The corpus is what it says: the spec itself refuses the request.
        expect(satisfies(schema, broken.value), `generated as "${broken.kind}" at ${dotted(broken.path)} yet valid`).toBe(false);
        const error = await op.call(broken.value as Req).then(
          () => undefined,
          (e: unknown) => e,
        );
        summary.invalid++;
        expect(error, `${broken.kind} at ${dotted(broken.path)} was not refused`).toBeInstanceOf(ValidationError);
        summary.invalidRejected++;
        const violations = (error as ValidationError).violations;
        expect(violations.length).toBeGreaterThan(0);
        for (const v of violations) expect(v.path, v.message).toMatch(/\S/);
        const where = dotted(broken.path);
        expect(
          violations.some((v) => related(v.path, where)),
          `${broken.kind} at ${where}: violations name ${violations.map((v) => v.path).join(", ")}`,
        ).toBe(true);
        tally(summary.invalidKinds, broken.kind);
      }),
      { numRuns: INVALID_PER_OPERATION, seed: SEED, endOnFailure: true },
    );
    summary.invalidReached = server(op.vendor).requests.length - before;
    expect(summary.invalidRejected).toBeGreaterThanOrEqual(INVALID_PER_OPERATION);
    expect(summary.invalidReached, "invalid requests reached the sandbox").toBe(0);
  });

  it(`sends ${VALID_PER_OPERATION} valid requests without refusing one`, { timeout: 60_000 }, async () => {
    const requests = fc.sample(fc.tuple(validValue(schema), fc.boolean()), { numRuns: VALID_PER_OPERATION, seed: SEED });
    const log = processed[op.vendor];
    const seenBefore = log.length;
    const sentBefore = server(op.vendor).requests.length;
    const refused: string[] = [];
    await pool(requests, SEND_CONCURRENCY, async ([generated, useVendorIds]) => {
      const req = useVendorIds && op.realistic ? op.realistic(generated as Req) : (generated as Req);
      expect(satisfies(schema, req), `not valid: ${JSON.stringify(req).slice(0, 300)}`).toBe(true);
      const error = await op.call(req).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error instanceof ValidationError || !(error === undefined || isSignalBridgeError(error))) {
        summary.validRefused++;
        refused.push(
          `${outcome(error)}: ${error instanceof Error ? error.message : String(error)} for ${JSON.stringify(req).slice(0, 300)}`,
        );
      }
      tally(summary.outcomes, outcome(error));
      summary.valid++;
    });
    summary.validReached = server(op.vendor).requests.length - sentBefore;
    expect(refused, "valid requests refused by the client").toEqual([]);
    expect(summary.valid).toBe(VALID_PER_OPERATION);
    expect(summary.validReached).toBeGreaterThanOrEqual(VALID_PER_OPERATION);
    expect(log.length - seenBefore).toBeGreaterThanOrEqual(VALID_PER_OPERATION);
    // What arrived is what the spec allows (the sandbox checks every request against the spec).
    const wrong = log.slice(seenBefore).filter((p) => p.violations.length > 0);
    expect(
      wrong.map((p) => `${p.method} ${p.path} ${p.rawBody.slice(0, 200)}: ${JSON.stringify(p.violations)}`).slice(0, 5),
      "the sandbox found spec violations in requests the client validated",
    ).toEqual([]);
  });
});

describe("the corpus check itself", () => {
  it("notices a client that lets invalid requests through (validation turned off)", async () => {
    const unchecked = createEiamClient({ ...sandbox.config.eiam, logLevel: "off", validate: false });
    const schema = callerSchema("bamboocloud-eiam.yaml", "sendInSiteNotice");
    const samples = fc.sample(
      invalidValue(schema).filter((b) => b.path.length > 0),
      { numRuns: 20, seed: SEED },
    );
    const before = sandbox.eiam.requests.length;
    let refused = 0;
    for (const broken of samples) {
      const error = await unchecked.sendInSiteNotice(obj(broken.value).body as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error instanceof ValidationError) refused++;
    }
    expect(refused).toBe(0);
    expect(sandbox.eiam.requests.length - before).toBeGreaterThanOrEqual(samples.length);
  });
});
