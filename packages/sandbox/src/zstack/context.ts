/**
 * What every part of the ZStack simulator shares: its options, fixtures, accounts and the state in
 * memory. Each resource module (sessions, jobs, at-persons, query) reads and changes this object.
 */
import { createHash } from "node:crypto";
import { systemClock, type SandboxClock } from "../kit/clock.js";
import { SpecIndex } from "../kit/spec.js";
import type { SimReply } from "../kit/types.js";
import { createDates, type ZStackDates } from "./dates.js";

export interface ZStackSimulatorOptions {
  /** The admin account. Default "admin" / "Sandbox#Admin1". */
  accountName?: string;
  password?: string;
  /** Session lifetime (identity/session.timeout). Default 7200 s. */
  sessionTimeoutSeconds?: number;
  /** Sessions per account (identity/session.maxConcurrent). Default 500. */
  maxConcurrentSessions?: number;
  /** The node's IANA time zone: dates in answers and the AccessKey `Date` check. Default "Asia/Shanghai". */
  timeZone?: string;
  /** Origin written into 202 locations (the node's own address). Default "http://172.20.0.10:8080"; "self" = the real one. */
  locationOrigin?: string;
  /** How long an async job runs before its result is available. Default 150 ms. */
  jobDurationMs?: number;
  /** How long a finished job's result is kept (rest/completedApi.expiredPeriod). Default 10800 s. */
  jobExpirySeconds?: number;
  /** apiTimeout of async calls without X-API-Timeout, ms. Default 1 800 000 (inferred). */
  defaultApiTimeoutMs?: number;
  /** Accepted AccessKey `Date` skew. Default 15 min (RestConstants.REQUEST_DURATION_MINUTES). */
  maxClockSkewMinutes?: number;
  /** The node's clock: sessions, jobs and dates follow it. Default real time; tests pass a `ManualClock`. */
  clock?: SandboxClock;
}

export interface Account {
  uuid: string;
  name: string;
  passwordSha512: string;
  /** May only query (inferred fixture for ID.1002). */
  readOnly: boolean;
}

export interface Session {
  uuid: string;
  accountUuid: string;
  createdAt: number;
  expiresAt: number;
}

export interface AtPerson {
  uuid: string;
  phoneNumber: string;
  endpointUuid: string;
  remark?: string | undefined;
  createdAt: number;
  lastOpAt: number;
}

export interface Job {
  uuid: string;
  operation: string;
  doneAt: number;
  expiresAt: number;
  status: number;
  body: unknown;
}

/** Who is calling, or the answer that refuses them. */
export type Principal = { account: Account } | { error: SimReply };

export const sha512 = (text: string) => createHash("sha512").update(text, "utf8").digest("hex");

/**
 * The limits the server checks, read from the spec (`x-server-pattern` is the server's own regex,
 * applied after trimming; the spec's `pattern` is its trim-tolerant form for clients).
 */
function serverRules(spec: SpecIndex) {
  const add = (pointer: string, keyword: string) => spec.bodyRule("AddSNSDingTalkAtPerson", pointer, keyword);
  const update = (pointer: string) => spec.bodyRule<number>("UpdateAtPersonOfAtDingTalkEndpoint", pointer, "maxLength");
  return {
    addPhoneMax: add("/params/phoneNumber", "maxLength") as number,
    addRemarkMax: add("/params/remark", "maxLength") as number,
    updatePhoneMax: update("/updateAtPersonOfAtDingTalkEndpoint/phoneNumber"),
    updateRemarkMax: update("/updateAtPersonOfAtDingTalkEndpoint/remark"),
    dingDingPhone: new RegExp(add("/params/phoneNumber", "x-server-pattern") as string),
    zstackUuid: new RegExp(add("/params/resourceUuid", "pattern") as string),
  };
}

export interface ZStackContext {
  readonly clock: SandboxClock;
  readonly spec: SpecIndex;
  readonly rules: ReturnType<typeof serverRules>;
  readonly accountName: string;
  readonly password: string;
  readonly sessionMs: number;
  readonly maxSessions: number;
  readonly jobDurationMs: number;
  readonly jobExpiryMs: number;
  readonly defaultApiTimeoutMs: number;
  readonly maxSkewMs: number;
  /** Where 202 locations point; "self" is resolved once the server knows its origin. */
  locationOrigin: string;
  readonly dates: ZStackDates;
  readonly fixtures: ReturnType<typeof createFixtures>;
  readonly accounts: Account[];
  readonly accessKeys: Map<string, { secret: string; account: Account }>;
  /** The state in memory; `reset` replaces it. */
  store: { sessions: Map<string, Session>; atPersons: Map<string, AtPerson>; jobs: Map<string, Job>; created: number };
}

function createFixtures(timeZone: string) {
  return {
    /** Pre-seeded SNS DingTalk endpoints (`SNSDingTalkEndpointVO`). */
    dingTalkEndpoints: [
      { uuid: "7b9b311a1a6c445bbe48c02b52f91ef6", name: "ops-alarm-dingtalk" },
      { uuid: "2c5e4f0d9a8b4c7e8f6a5b4c3d2e1f0a", name: "dba-alarm-dingtalk" },
    ],
    /** Tag uuids (`TagPatternVO`) usable in `tagUuids`. */
    tagUuids: ["4f1c2e0f1c1b4d8a9c3b2a1d0e9f8a7b"],
    /** An at-person seeded on the first endpoint. */
    atPersons: [
      {
        uuid: "9f8e7d6c5b4a4c3d8e2f1a0b9c8d7e6f",
        phoneNumber: "+86-13912345678",
        endpointUuid: "7b9b311a1a6c445bbe48c02b52f91ef6",
        remark: "oncall lead",
      },
    ],
    /** A second account that may query but not change anything (answers ID.1002). */
    readOnlyAccount: { accountName: "viewer", password: "Sandbox#Viewer1" },
    /** An AccessKey of the admin account. */
    accessKey: { accessKeyId: "SBXAKIDzstack0000001", accessKeySecret: "sbx-ak-secret-zstack-0000000000000001" },
    /** The node's time zone (for the AccessKey Date header). */
    timeZone,
  };
}

export function createContext(options: ZStackSimulatorOptions): ZStackContext {
  const spec = new SpecIndex("zstack.yaml");
  const accountName = options.accountName ?? "admin";
  const password = options.password ?? "Sandbox#Admin1";
  const timeZone = options.timeZone ?? "Asia/Shanghai";
  const fixtures = createFixtures(timeZone);
  const admin: Account = { uuid: "36c27e8ff05c4780bf6d2fa65700f22e", name: accountName, passwordSha512: sha512(password), readOnly: false };
  const viewer: Account = {
    uuid: "5d0c6f4e3b2a4c1d9e8f7a6b5c4d3e2f",
    name: fixtures.readOnlyAccount.accountName,
    passwordSha512: sha512(fixtures.readOnlyAccount.password),
    readOnly: true,
  };
  return {
    clock: options.clock ?? systemClock,
    spec,
    rules: serverRules(spec),
    accountName,
    password,
    sessionMs: (options.sessionTimeoutSeconds ?? 7200) * 1000,
    maxSessions: options.maxConcurrentSessions ?? 500,
    jobDurationMs: options.jobDurationMs ?? 150,
    jobExpiryMs: (options.jobExpirySeconds ?? 10_800) * 1000,
    defaultApiTimeoutMs: options.defaultApiTimeoutMs ?? 1_800_000,
    maxSkewMs: (options.maxClockSkewMinutes ?? 15) * 60_000,
    locationOrigin: options.locationOrigin && options.locationOrigin !== "self" ? options.locationOrigin : "http://172.20.0.10:8080",
    dates: createDates(timeZone),
    fixtures,
    accounts: [admin, viewer],
    accessKeys: new Map([[fixtures.accessKey.accessKeyId, { secret: fixtures.accessKey.accessKeySecret, account: admin }]]),
    store: { sessions: new Map(), atPersons: new Map(), jobs: new Map(), created: 0 },
  };
}
