/**
 * ZStack bulk add through the delivery journal, against the sandbox: every at-person added once,
 * bad input refused before anything is submitted, an add whose answer was lost reported uncertain
 * and never re-submitted when the same delivery is called again, a different request under a used
 * key refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryJournal, isJournalError } from "@signalbridge/core";
import { startSandbox, type Sandbox } from "@signalbridge/sandbox";
import { ValidationError, createZStackClient, type ZStackClient } from "../src/index.js";

let sandbox: Sandbox;
let zs: ZStackClient;
let endpointUuid: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, zstack: { jobDurationMs: 5 } });
  zs = createZStackClient({ ...sandbox.config.zstack, logLevel: "off", poll: { initialIntervalMs: 5, maxIntervalMs: 20 } });
  endpointUuid = sandbox.fixtures.zstack.dingTalkEndpoints[0]!.uuid;
}, 30_000);
afterAll(() => sandbox?.close());

const phone = (n: number) => `+86-139${String(n).padStart(8, "0")}`;
const submits = () => sandbox.zstack.requests.filter((r) => r.operationId === "AddSNSDingTalkAtPerson").length;
const onServer = async (phones: string[]) => {
  const { inventories } = await zs.queryDingTalkAtPersons({ q: [`endpointUuid=${endpointUuid}`] });
  return phones.map((p) => inventories.filter((i) => i.phoneNumber === p).length);
};

describe("addDingTalkAtPersons", () => {
  it("adds every at-person once and returns their uuids", { timeout: 30_000 }, async () => {
    const phones = [1, 2, 3, 4].map(phone);
    const result = await zs.addDingTalkAtPersons(phones.map((phoneNumber) => ({ phoneNumber, endpointUuid, remark: "rota" })));
    expect(result.added.map((i) => i.phoneNumber)).toEqual(phones);
    expect(result.items.every((i) => typeof i.uuid === "string")).toBe(true);
    expect(await onServer(phones)).toEqual([1, 1, 1, 1]);
  });

  it("refuses the whole list before submitting anything when one entry is invalid, naming it", async () => {
    const before = submits();
    const err = await zs
      .addDingTalkAtPersons([
        { phoneNumber: phone(10), endpointUuid },
        { phoneNumber: "13900000011", endpointUuid },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).violations[0]!.path).toBe("inputs[1].phoneNumber");
    expect(submits()).toBe(before);
  });

  it("an add whose answer was lost is uncertain, and calling the delivery again re-submits nothing", { timeout: 30_000 }, async () => {
    const journal = createMemoryJournal();
    const inputs = [20, 21, 22].map((n) => ({ phoneNumber: phone(n), endpointUuid }));
    sandbox.zstack.addFault({ operation: "AddSNSDingTalkAtPerson", nth: 2, action: "drop", after: true });
    const first = await zs.addDingTalkAtPersons(inputs, { journal, deliveryKey: "rota-2026-12", concurrency: 1 });
    expect(first.added.map((i) => i.phoneNumber)).toEqual([phone(20), phone(22)]);
    expect(first.uncertain.map((i) => i.phoneNumber)).toEqual([phone(21)]);
    const before = submits();
    const again = await zs.addDingTalkAtPersons(inputs, { journal, deliveryKey: "rota-2026-12" });
    expect(submits()).toBe(before);
    expect(again.uncertain.map((i) => i.phoneNumber)).toEqual([phone(21)]);
    expect(again.added).toHaveLength(2);
    // The lost answer's add did happen on the server: re-submitting it would have made a duplicate.
    expect(await onServer(inputs.map((i) => i.phoneNumber))).toEqual([1, 1, 1]);
    const status = await journal.status("rota-2026-12");
    expect(status?.batches.map((b) => b.state)).toEqual(["sent", "uncertain", "sent"]);
  });

  it("a vendor refusal is not-added and is tried again by the next call with the key", { timeout: 30_000 }, async () => {
    const journal = createMemoryJournal();
    const inputs = [
      { phoneNumber: phone(30), endpointUuid },
      { phoneNumber: phone(31), endpointUuid: "0123456789abcdef0123456789abcdef" },
    ];
    const first = await zs.addDingTalkAtPersons(inputs, { journal, deliveryKey: "k-refused" });
    expect(first.notAdded.map((i) => i.phoneNumber)).toEqual([phone(31)]);
    expect(first.items[1]!.error?.kind).toBe("api");
  });

  it("refuses a different request under a used key, sending nothing", async () => {
    const journal = createMemoryJournal();
    await zs.addDingTalkAtPersons([{ phoneNumber: phone(40), endpointUuid }], { journal, deliveryKey: "k-used" });
    const before = submits();
    const err = await zs
      .addDingTalkAtPersons([{ phoneNumber: phone(41), endpointUuid }], { journal, deliveryKey: "k-used" })
      .catch((e: unknown) => e);
    expect(isJournalError(err)).toBe(true);
    expect(err).toMatchObject({ reason: "key-conflict" });
    expect(submits()).toBe(before);
  });
});
