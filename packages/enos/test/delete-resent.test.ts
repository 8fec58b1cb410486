import { afterEach, describe, expect, it } from "vitest";
import { EnosApiError } from "../src/index.js";
import { RULE, client, fakeEnos, type FakeEnos } from "./support.js";

/**
 * A delete whose answer was lost is re-sent (the spec marks it idempotent); the re-send finds the
 * rules already gone and the App Portal answers in-band 31404. The client confirms with a search
 * and reports the delete done only when none of the rules remains. (Found through the facade by
 * the resilience suite; here against a plain server on 127.0.0.1, so only the EnOS client is in play.)
 */
let fake: FakeEnos | undefined;
afterEach(async () => {
  await fake?.server.close();
  fake = undefined;
});

const ok = (data: unknown) => ({ body: { code: 0, message: "OK", data } });
const gone = { body: { code: 31404, message: "Message rule mr1 does not exist", data: null } };
const lost = { status: 502, body: { message: "Bad Gateway" } };

/** Delete → 502 (the rules were deleted, the answer lost), re-sent delete → 31404, then the search answer. */
function afterLostAnswer(search: ReturnType<typeof ok>) {
  let deletes = 0;
  return (req: { pathname: string }) => (req.pathname === RULE("search") ? search : deletes++ === 0 ? lost : gone);
}

const paths = (f: FakeEnos) => f.business().map((r) => r.pathname.split("/").pop());

describe("deleteMessageRules re-sent after a lost answer", () => {
  it("resolves true when the re-send is answered 31404 and a search finds none of the rules", async () => {
    fake = await fakeEnos({ rules: afterLostAnswer(ok({ messageRuleList: [] })) });
    await expect(client(fake.server.url).deleteMessageRules({ ruleIds: ["mr1", "mr2"] })).resolves.toBe(true);
    expect(paths(fake)).toEqual(["delete", "delete", "search"]);
    expect(fake.business()[2]!.json()).toEqual({ ruleIds: ["mr1", "mr2"] });
  });

  it("throws the 31404 when a rule is still there", async () => {
    const remaining = {
      appId: "ak",
      ruleId: "mr2",
      ruleName: "r",
      relations: [{ type: 0, identifiers: ["u1"] }],
      messageRule: { mark1: ["siteA"] },
      isEnable: 1,
      createdBy: "ak",
      createdAt: "2025-06-26 10:00:00",
    };
    fake = await fakeEnos({ rules: afterLostAnswer(ok({ messageRuleList: [remaining] })) });
    // the answer is one the client accepts: the delete fails because of what it says
    expect((await client(fake.server.url).searchMessageRules({ ruleIds: ["mr2"] })).messageRuleList).toHaveLength(1);
    fake.server.requests.length = 0;
    const err = await client(fake.server.url)
      .deleteMessageRules({ ruleIds: ["mr1", "mr2"] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnosApiError);
    expect((err as EnosApiError).code).toBe("31404");
    expect((err as EnosApiError).attempts).toBe(2);
    expect(paths(fake)).toEqual(["delete", "delete", "search"]);
  });

  it("throws the 31404 when the confirming search fails", async () => {
    fake = await fakeEnos({ rules: afterLostAnswer({ body: { code: 31500, message: "internal error", data: null } } as never) });
    const err = await client(fake.server.url)
      .deleteMessageRules({ ruleIds: ["mr1"] })
      .catch((e: unknown) => e);
    expect((err as EnosApiError).code).toBe("31404");
  });

  it("a 31404 on the first attempt is the caller's answer: thrown, no search", async () => {
    fake = await fakeEnos({ rules: () => gone });
    const err = await client(fake.server.url)
      .deleteMessageRules({ ruleIds: ["mr1"] })
      .catch((e: unknown) => e);
    expect((err as EnosApiError).code).toBe("31404");
    expect((err as EnosApiError).attempts).toBe(1);
    expect(paths(fake)).toEqual(["delete"]);
  });
});
