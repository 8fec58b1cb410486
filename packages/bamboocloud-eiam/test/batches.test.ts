import { afterEach, describe, expect, it } from "vitest";
import type { TestServer } from "@signalbridge/testkit";
import { JournalError, ValidationError, createMemoryJournal, type DeliveryJournal } from "@signalbridge/core";
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
const client = (url: string) =>
  createEiamClient({ baseUrl: url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, logLevel: "off", retry: { initialDelayMs: 1 } });
const sends = (s: TestServer) => businessCalls(s).filter((r) => r.pathname === SEND_PATH);

describe("sendInSiteNoticeInBatches", () => {
  it("splits within the spec's limits (100 users, 20 orgs) and sends each recipient exactly once", async () => {
    let n = 0;
    server = await startEiam(() => ({ body: { noitce_id: `N${++n}` } }));
    const input = [...users(250), "user007", "user123"]; // duplicates in the input are dropped, not sent twice
    const result = await client(server.url).sendInSiteNoticeInBatches({ ...notice, user_names: input, org_codes: orgs(25) });

    const bodies = sends(server).map((r) => r.json());
    expect(bodies.map((b) => [b.user_names?.length ?? 0, b.org_codes?.length ?? 0])).toEqual([
      [100, 20],
      [100, 5],
      [50, 0],
    ]);
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
      ++n >= 2
        ? { status: 400, body: { error_code: "NOTICE.INSITE.0003", error_msg: "本次发送站内信数量超过规格限制" } }
        : { body: { noitce_id: `N${n}` } },
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

  describe("with { journal, deliveryKey }", () => {
    it("a second call with the key resumes instead of re-sending: sent and uncertain batches are never sent again", async () => {
      let n = 0;
      server = await startEiam(() => (++n === 2 ? { destroy: true } : { body: { noitce_id: `N${n}` } }));
      const journal = createMemoryJournal();
      const all = users(300);
      const first = await client(server.url).sendInSiteNoticeInBatches(
        { ...notice, user_names: all },
        { journal, deliveryKey: "alarm-1", concurrency: 1 },
      );
      expect(first.uncertain.user_names).toEqual(all.slice(100, 200));
      expect(sends(server)).toHaveLength(3);
      const again = await client(server.url).sendInSiteNoticeInBatches({ ...notice, user_names: all }, { journal, deliveryKey: "alarm-1" });
      expect(sends(server)).toHaveLength(3);
      expect(again.sent).toEqual(first.sent);
      expect(again.uncertain).toEqual(first.uncertain);
      expect(again.batches[1]!.reason).toMatch(/^NetworkError: /); // what the first call recorded, without the instance
      expect((await journal.status("alarm-1"))?.batches.map((b) => b.state)).toEqual(["sent", "uncertain", "sent"]);
    });

    it("a different request under a used key is refused, and nothing is sent", async () => {
      server = await startEiam(() => ({ body: { noitce_id: "N" } }));
      const journal = createMemoryJournal();
      await client(server.url).sendInSiteNoticeInBatches({ ...notice, user_names: users(2) }, { journal, deliveryKey: "k" });
      const before = server.requests.length;
      await expect(
        client(server.url).sendInSiteNoticeInBatches({ ...notice, title: "Other", user_names: users(2) }, { journal, deliveryKey: "k" }),
      ).rejects.toThrow('deliveryKey "k" already names a different request');
      expect(server.requests).toHaveLength(before);
    });

    it("a journal that fails at begin stops the delivery before anything is sent, not even a token request", async () => {
      server = await startEiam(() => ({ body: { noitce_id: "N" } }));
      const broken: DeliveryJournal = {
        ...createMemoryJournal(),
        location: "/var/lib/x/deliveries.db",
        begin: async () => {
          throw new JournalError(
            "write",
            "/var/lib/x/deliveries.db",
            "journal file /var/lib/x/deliveries.db: cannot record the plan: disk I/O error",
          );
        },
      };
      await expect(
        client(server.url).sendInSiteNoticeInBatches({ ...notice, user_names: users(2) }, { journal: broken, deliveryKey: "k" }),
      ).rejects.toThrow("journal file /var/lib/x/deliveries.db");
      expect(server.requests).toHaveLength(0);
    });

    it("bad keys: a deliveryKey without a journal, an empty key", async () => {
      server = await startEiam(() => ({ body: { noitce_id: "N" } }));
      const c = client(server.url);
      await expect(c.sendInSiteNoticeInBatches({ ...notice, user_names: users(2) }, { deliveryKey: "k" })).rejects.toThrow(
        "deliveryKey needs a journal",
      );
      await expect(
        c.sendInSiteNoticeInBatches({ ...notice, user_names: users(2) }, { journal: createMemoryJournal(), deliveryKey: "" }),
      ).rejects.toThrow("deliveryKey must be a non-empty string");
      expect(server.requests).toHaveLength(0);
    });
  });
});
