import { afterEach, describe, expect, it } from "vitest";
import type { TestServer } from "@signalbridge/testkit";
import { ValidationError } from "@signalbridge/core";
import { createEiamClient, EiamApiError } from "../src/index.js";
import { CLIENT_ID, CLIENT_SECRET, SEND_PATH, businessCalls, startEiam } from "./helpers.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const users = (n: number) => Array.from({ length: n }, (_, i) => `user${String(i).padStart(3, "0")}`);
const orgs = (n: number) => Array.from({ length: n }, (_, i) => `org${i}`);
const notice = { title: "Disk alarm", content: "Disk 90% full", message_type: "TEXT" as const };
const client = (url: string) => createEiamClient({ baseUrl: url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, logLevel: "off", retry: { initialDelayMs: 1 } });
const sends = (s: TestServer) => businessCalls(s).filter((r) => r.pathname === SEND_PATH);

describe("sendInSiteNoticeInBatches", () => {
  it("splits within the spec's limits (100 users, 20 orgs) and sends each recipient exactly once", async () => {
    let n = 0;
    server = await startEiam(() => ({ body: { noitce_id: `N${++n}` } }));
    const input = [...users(250), "user007", "user123"]; // duplicates in the input are dropped, not sent twice
    const result = await client(server.url).sendInSiteNoticeInBatches({ ...notice, user_names: input, org_codes: orgs(25) });

    const bodies = sends(server).map((r) => r.json());
    expect(bodies.map((b) => [b.user_names?.length ?? 0, b.org_codes?.length ?? 0])).toEqual([[100, 20], [100, 5], [50, 0]]);
    expect(bodies.every((b) => b.all === false && b.title === notice.title && b.message_type === "TEXT")).toBe(true);
    const sentUsers = bodies.flatMap((b) => b.user_names ?? []);
    expect(sentUsers).toHaveLength(250);
    expect(new Set(sentUsers).size).toBe(250);
    expect(result.sent.user_names).toHaveLength(250);
    expect(result.sent.org_codes).toHaveLength(25);
    expect(result.notSent).toEqual({ user_names: [], org_codes: [] });
    expect(result.batches.map((b) => b.notice_id).sort()).toEqual(["N1", "N2", "N3"]);
    expect(result.stoppedBy).toBeUndefined();
  });

  it("stops on the daily quota and reports exactly who was not sent", async () => {
    let n = 0;
    server = await startEiam(() =>
      ++n >= 2 ? { status: 400, body: { error_code: "NOTICE.INSITE.0003", error_msg: "本次发送站内信数量超过规格限制" } } : { body: { noitce_id: `N${n}` } },
    );
    const all = users(350);
    const result = await client(server.url).sendInSiteNoticeInBatches({ ...notice, user_names: all }, { concurrency: 1 });
    expect(sends(server)).toHaveLength(2); // the third and fourth batches were never started
    expect(result.stoppedBy).toBe("quota");
    expect(result.sent.user_names).toEqual(all.slice(0, 100));
    expect(result.notSent.user_names).toEqual(all.slice(100));
    expect(result.batches[1]!.error).toBeInstanceOf(EiamApiError);
    expect(result.batches.map((b) => b.outcome)).toEqual(["sent", "not-sent", "not-sent", "not-sent"]);
  });

  it("never re-sends a batch that may have been processed; reports it as uncertain", async () => {
    let n = 0;
    server = await startEiam(() => (++n === 2 ? { destroy: true } : { body: { noitce_id: `N${n}` } }));
    const all = users(300);
    const result = await client(server.url).sendInSiteNoticeInBatches({ ...notice, user_names: all }, { concurrency: 1 });
    expect(sends(server)).toHaveLength(3);
    expect(result.uncertain.user_names).toEqual(all.slice(100, 200));
    expect(result.sent.user_names).toEqual([...all.slice(0, 100), ...all.slice(200)]);
    expect(result.stoppedBy).toBeUndefined();
  });

  it("checks every batch before sending any: bad input sends nothing, not even a token request", async () => {
    server = await startEiam(() => ({ body: { noitce_id: "N" } }));
    const c = client(server.url);
    await expect(c.sendInSiteNoticeInBatches({ ...notice, title: "x".repeat(101), user_names: users(150) })).rejects.toThrow(
      "body.title: must be at most 100 characters (got 101 characters)",
    );
    await expect(c.sendInSiteNoticeInBatches({ ...notice, user_names: [], org_codes: [] })).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });
});
