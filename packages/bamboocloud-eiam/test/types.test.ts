import { describe, expectTypeOf, test } from "vitest";
import {
  createEiamClient,
  type EiamApiError,
  type EiamClient,
  type ErrorCode,
  type InSiteNoticeStatus,
  type KnownErrorCode,
  type SendInSiteNoticeRequest,
  type SentInSiteNotice,
} from "../src/index.js";

// Never called: these lines only have to compile (or, with @ts-expect-error, fail to). The
// package's `test` script runs tsc over this file before vitest.
async function typeChecks(c: EiamClient): Promise<void> {
  await c.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", user_names: ["a"] });
  await c.sendInSiteNotice({ title: "t", content: "c", message_type: "MARKDOWN", org_codes: ["1"], all: false });

  // @ts-expect-error misspelt field (the vendor's docs say userNames in prose; the wire name is user_names)
  await c.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", userNames: ["a"] });
  // @ts-expect-error message_type is TEXT | MARKDOWN
  await c.sendInSiteNotice({ title: "t", content: "c", message_type: "HTML", all: true });
  // @ts-expect-error user_names is a list of strings
  await c.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", user_names: "a" });
  // @ts-expect-error title is required
  await c.sendInSiteNotice({ content: "c", message_type: "TEXT", all: true });
  // @ts-expect-error all is a boolean
  await c.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", all: "true" });
  // @ts-expect-error the notice id is a string
  await c.getInSiteNoticeSendResult(42);

  const sent = await c.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", all: true });
  const id: string = sent.notice_id;
  const { status } = await c.getInSiteNoticeSendResult(id);
  const s: "UNSENT" | "SENDING" | "FINISHED" = status;
  // @ts-expect-error not a vendor status
  const bad: InSiteNoticeStatus = "DONE";

  // @ts-expect-error unknown path on the raw client
  await c.raw.POST("/api/v2/tenant/notice/insite/asyncsend", { body: { title: "t", content: "c", message_type: "TEXT" } });
  // @ts-expect-error raw body field types come from the spec too
  await c.raw.POST("/api/v2/tenant/notice/insite/asyncSend", { body: { title: 1, content: "c", message_type: "TEXT" } });

  // @ts-expect-error option names are camelCase here (clientId), as design.md's public API says
  createEiamClient({ baseUrl: "https://acme.bccastle.com", client_id: "x", clientSecret: "y" });

  const known: KnownErrorCode = "NOTICE.INSITE.0004";
  // @ts-expect-error not a documented code
  const unknownKnown: KnownErrorCode = "NOTICE.9999";
  const anyCode: ErrorCode = "SOMETHING.NEW"; // vendors may send codes the spec does not list
  void [s, bad, known, unknownKnown, anyCode];
}

describe("public types", () => {
  test("shapes", () => {
    expectTypeOf<SendInSiteNoticeRequest["message_type"]>().toEqualTypeOf<"TEXT" | "MARKDOWN">();
    expectTypeOf<SendInSiteNoticeRequest["user_names"]>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<SentInSiteNotice["notice_id"]>().toEqualTypeOf<string>();
    expectTypeOf<EiamClient["getInSiteNoticeSendResult"]>().returns.resolves.toEqualTypeOf<{ status: InSiteNoticeStatus }>();
    expectTypeOf<EiamApiError["code"]>().toEqualTypeOf<ErrorCode | undefined>();
    expectTypeOf(typeChecks).toBeFunction();
  });
});
