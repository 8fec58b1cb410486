import { expect, expectTypeOf, it } from "vitest";
import type { EnosApiError, EnosClient, ErrorCode, MessageRuleItem } from "../src/index.js";

// Never called: these lines are checked by `tsc -p tsconfig.json` (the package's test script).
async function typeChecks(enos: EnosClient) {
  // the happy path compiles, field names exactly as EnOS spells them
  const ids: string[] = await enos.createMessageRules({
    appId: "ak",
    rules: [{ ruleName: "r", isEnable: 0, messageRule: { mark1: ["a"], mark2: null } }],
    relations: [{ type: 1, identifiers: ["g"] }],
  });
  await enos.createMessageRules(
    { rules: [{ ruleName: "r", isEnable: "1", messageRule: { mark1: [] } }] },
    { orgId: "o2", timeoutMs: 5_000 },
  );

  // @ts-expect-error ruleName is spelt ruleName
  await enos.createMessageRules({ appId: "ak", rules: [{ rulename: "r", messageRule: {} }] });
  // @ts-expect-error isEnable is 0 | 1 | "0" | "1", not a boolean
  await enos.createMessageRules({ appId: "ak", rules: [{ ruleName: "r", isEnable: true, messageRule: {} }] });
  // @ts-expect-error a mark's value is a string list or null
  await enos.createMessageRules({ appId: "ak", rules: [{ ruleName: "r", messageRule: { mark1: "siteA" } }] });
  // @ts-expect-error relation type is 0 (user) or 1 (group)
  await enos.createMessageRules({ appId: "ak", rules: [], relations: [{ type: 2, identifiers: ["u"] }] });
  // @ts-expect-error rules is required
  await enos.createMessageRules({ appId: "ak" });
  // @ts-expect-error messageRule is required on update
  await enos.updateMessageRules({ ruleId: "mr1" });
  // @ts-expect-error delete takes ruleIds, not ruleId
  await enos.deleteMessageRules({ ruleId: "mr1" });
  // @ts-expect-error identifierType is an integer
  await enos.searchMessageRules({ ruleIds: [], identifierType: "0" });
  // @ts-expect-error .raw knows the spec's paths
  await enos.raw.POST("/app-portal-service/v2.2/message-service/rule/remove", {});

  const found = await enos.searchMessageRules({ ruleIds: ["mr1"] });
  expectTypeOf(found.messageRuleList).toEqualTypeOf<MessageRuleItem[]>();
  expectTypeOf(ids).toEqualTypeOf<string[]>();
  expectTypeOf<EnosApiError["code"]>().toEqualTypeOf<ErrorCode | undefined>();
  const known: ErrorCode = "31601";
  return known;
}

it("type-level checks are compiled by tsc", () => {
  expect(typeof typeChecks).toBe("function");
});
