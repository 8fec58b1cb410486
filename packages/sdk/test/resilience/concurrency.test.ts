/**
 * Single flight: 200 concurrent calls on a fresh client (empty token cache) make exactly one token
 * request, and 200 concurrent calls on a token the vendor has just expired renew it exactly once.
 * Counted in the sandbox's own request log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox, type VendorServer } from "@signalbridge/sandbox";
import { createEiamClient, createEnosClient, createZStackClient } from "../../src/index.js";

const CONCURRENT = 200;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, zstack: { jobDurationMs: 5 } });
});
afterAll(async () => {
  await sandbox?.close();
});

interface Case {
  vendor: "zstack" | "eiam" | "enos";
  /** The operations that issue credentials (login / token get / token refresh). */
  tokenOperations: string[];
  /** A fresh client's call number `i` (sends and reads mixed). */
  client(): Promise<(i: number, round: string) => Promise<unknown>>;
  /** How many of the sends of `round` the vendor stored (each send carries a unique marker). */
  stored(round: string): number;
}

const quiet = { logLevel: "off" as const, poll: { initialIntervalMs: 5, maxIntervalMs: 20 } };

const CASES: Case[] = [
  {
    vendor: "zstack",
    tokenOperations: ["LogInByAccount"],
    async client() {
      const zs = createZStackClient({ ...sandbox.config.zstack, ...quiet });
      const endpointUuid = sandbox.fixtures.zstack.dingTalkEndpoints[0]!.uuid;
      return (i, round) =>
        i % 2 === 0
          ? zs.addDingTalkAtPerson({ phoneNumber: `+86-1${round}${String(i).padStart(9, "0")}`, endpointUuid })
          : zs.queryDingTalkAtPersons({ q: [`endpointUuid=${endpointUuid}`], limit: 1 });
    },
    stored: (round) =>
      (sandbox.zstack.state() as { atPersons: Array<{ phoneNumber: string }> }).atPersons.filter((p) =>
        p.phoneNumber.startsWith(`+86-1${round}`),
      ).length,
  },
  {
    vendor: "eiam",
    tokenOperations: ["getAccessToken"],
    async client() {
      // A notice to read, sent by another client so that this one starts with an empty cache.
      const { notice_id } = await createEiamClient({ ...sandbox.config.eiam, ...quiet }).sendInSiteNotice({
        title: "read me",
        content: "c",
        message_type: "TEXT",
        all: true,
      });
      const eiam = createEiamClient({ ...sandbox.config.eiam, ...quiet });
      return (i, round) =>
        i % 2 === 0
          ? eiam.sendInSiteNotice({ title: `${round}-${i}`, content: "concurrent", message_type: "TEXT", user_names: ["lisi"] })
          : eiam.getInSiteNoticeSendResult(notice_id);
    },
    stored: (round) =>
      (sandbox.eiam.state() as { notices: Array<{ title: string }> }).notices.filter((n) => n.title.startsWith(`${round}-`)).length,
  },
  {
    vendor: "enos",
    tokenOperations: ["getAccessToken", "refreshAccessToken"],
    async client() {
      const enos = createEnosClient({ ...sandbox.config.enos, ...quiet });
      return (i, round) =>
        i % 2 === 0
          ? enos.createMessageRules({ rules: [{ ruleName: `${round}-${i}`, messageRule: { mark1: ["x"] } }] })
          : enos.searchMessageRules({ ruleIds: [] });
    },
    stored: (round) =>
      (sandbox.enos.state() as { rules: Array<{ ruleName: string }> }).rules.filter((r) => r.ruleName.startsWith(`${round}-`)).length,
  },
];

const tokenRequests = (server: VendorServer, operations: string[], from: number) => {
  const counts: Record<string, number> = {};
  for (const r of server.requests.slice(from))
    if (r.operationId && operations.includes(r.operationId)) counts[r.operationId] = (counts[r.operationId] ?? 0) + 1;
  return counts;
};

describe.each(CASES)(`$vendor: ${CONCURRENT} concurrent calls, one token`, (c) => {
  let call: (i: number, round: string) => Promise<unknown>;
  const numbers: string[] = [];

  afterAll(() => console.log(`[concurrency] ${c.vendor}: ${numbers.join("; ")}`));

  it("a fresh client fetches its token once", { timeout: 30_000 }, async () => {
    call = await c.client();
    const server = sandbox[c.vendor];
    const from = server.requests.length;
    const results = await Promise.allSettled(Array.from({ length: CONCURRENT }, (_, i) => call(i, "1")));
    const failed = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
    expect(failed, "calls that failed").toEqual([]);
    const tokens = tokenRequests(server, c.tokenOperations, from);
    numbers.push(`fresh client, ${CONCURRENT} concurrent calls → token requests ${JSON.stringify(tokens)}`);
    expect(tokens).toEqual({ [c.tokenOperations[0]!]: 1 });
    expect(c.stored("1")).toBe(CONCURRENT / 2);
  });

  it("a token the vendor expired is renewed once for all the calls it fails", { timeout: 30_000 }, async () => {
    const server = sandbox[c.vendor];
    server.expireTokens();
    const from = server.requests.length;
    const results = await Promise.allSettled(Array.from({ length: CONCURRENT }, (_, i) => call(i, "2")));
    const failed = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
    expect(failed, "calls that failed").toEqual([]);
    const tokens = tokenRequests(server, c.tokenOperations, from);
    const refused = server.requests.slice(from).filter((r) => r.status === 400 || r.status === 401 || r.status === 503).length;
    numbers.push(
      `expired token, ${CONCURRENT} concurrent calls (${refused} refused as expired) → token requests ${JSON.stringify(tokens)}`,
    );
    // One renewal: one token fetch (EnOS first tries a refresh, which an expired token cannot get).
    expect(tokens[c.tokenOperations[0]!]).toBe(1);
    for (const op of c.tokenOperations.slice(1)) expect(tokens[op] ?? 0).toBeLessThanOrEqual(1);
    expect(c.stored("2")).toBe(CONCURRENT / 2);
  });
});
