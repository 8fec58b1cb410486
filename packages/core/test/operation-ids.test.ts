/**
 * Typed operations: `exchange`/`invoke` accept only the ids of the client's generated operation
 * table. A typo would otherwise validate against no schema and take no retry rule of its own.
 * The `@ts-expect-error` lines are checked by `tsc` in this package's test script: were the ids
 * plain strings again, tsc would fail on the unused directives.
 */
import { describe, expect, it } from "vitest";
import { createApiClient, type OperationId } from "../src/index.js";
import { operations, silent, type TestPaths } from "./support.js";

const api = createApiClient<TestPaths, typeof operations>({
  vendor: "test",
  operations,
  errors: {
    fromResponse: () => {
      throw new Error("not reached");
    },
  },
  options: { baseUrl: "http://127.0.0.1:8", logger: silent },
});
const send = () => Promise.reject(new Error("nothing is sent in this test"));

describe("operation ids are typed by the generated table", () => {
  it("accepts the table's ids", () => {
    const ids: OperationId<typeof operations>[] = ["sendNotice", "getNotice", "getToken"];
    expect(ids.every((id) => api.operations[id].id === id)).toBe(true);
  });

  it("refuses a wrong id at compile time, and at run time for plain-JS callers", async () => {
    // @ts-expect-error "sendNotise" is not an operation of this table
    const typo = () => api.invoke("sendNotise", { body: {} }, send);
    // @ts-expect-error neither is another vendor's operation
    const other = () => api.exchange("AddSNSDingTalkAtPerson", {}, send);
    await expect(typo()).rejects.toThrow("test: unknown operation sendNotise");
    await expect(other()).rejects.toThrow("unknown operation AddSNSDingTalkAtPerson");
  });
});
