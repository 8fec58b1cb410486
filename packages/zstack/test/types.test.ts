import { expect, expectTypeOf, it } from "vitest";
import type { ErrorCode, QueryDingTalkAtPersonsResult, SNSDingTalkAtPersonInventory, ZStackApiError, ZStackClient } from "../src/index.js";

// Never called: these lines are checked by `tsc -p tsconfig.json` (the package's test script).
async function typeChecks(zs: ZStackClient) {
  // the happy path compiles, field names exactly as ZStack spells them
  const person: SNSDingTalkAtPersonInventory = await zs.addDingTalkAtPerson({
    phoneNumber: "+86-18988887777",
    endpointUuid: "e",
    remark: "jack",
    tagUuids: ["t"],
    resourceUuid: "af3c83c835234d11b1afe022e85d67ec",
    systemTags: ["k::v"],
    userTags: ["u"],
  });
  const { inventories, total } = await zs.queryDingTalkAtPersons({
    q: ["endpointUuid=e"],
    replyWithCount: true,
    fields: ["uuid"],
    sort: "-createDate",
  });
  await zs.updateDingTalkAtPerson("u", { endpointUuid: "e", remark: "" }, { timeoutMs: 5_000, poll: { maxPollMs: 60_000 } });
  await zs.removeDingTalkAtPerson({ endpointUuid: "e", phoneNumber: "+86-18988887777", deleteMode: "Enforcing" });

  // @ts-expect-error the field is tagUuids (the vendor page's tagUuid is a doc bug)
  await zs.addDingTalkAtPerson({ phoneNumber: "+86-1", endpointUuid: "e", tagUuid: ["t"] });
  // @ts-expect-error endpointUuid is required
  await zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777" });
  // @ts-expect-error remark is a string
  await zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777", endpointUuid: "e", remark: 5 });
  // @ts-expect-error update needs endpointUuid
  await zs.updateDingTalkAtPerson("u", { remark: "x" });
  // @ts-expect-error remove is keyed by endpoint and phone number, not by uuid
  await zs.removeDingTalkAtPerson({ uuid: "u" });
  // @ts-expect-error deleteMode is Permissive or Enforcing
  await zs.removeDingTalkAtPerson({ endpointUuid: "e", phoneNumber: "p", deleteMode: "Soft" });
  // @ts-expect-error fields is a list (sent comma-joined)
  await zs.queryDingTalkAtPersons({ fields: "uuid,phoneNumber" });
  // @ts-expect-error limit is a number
  await zs.queryDingTalkAtPersons({ limit: "10" });
  // @ts-expect-error .raw knows the spec's paths
  await zs.raw.GET("/v1/sns/application-endpoints/ding-talk/at-person");

  expectTypeOf(inventories).toEqualTypeOf<SNSDingTalkAtPersonInventory[]>();
  expectTypeOf(total).toEqualTypeOf<number | undefined>();
  expectTypeOf<Awaited<ReturnType<ZStackClient["queryDingTalkAtPersons"]>>>().toEqualTypeOf<QueryDingTalkAtPersonsResult>();
  expectTypeOf<ZStackApiError["code"]>().toEqualTypeOf<ErrorCode | undefined>();
  expectTypeOf(person.phoneNumber).toEqualTypeOf<string | undefined>();
  const known: ErrorCode = "ID.1001";
  return known;
}

it("type-level checks are compiled by tsc", () => {
  expect(typeof typeChecks).toBe("function");
});
