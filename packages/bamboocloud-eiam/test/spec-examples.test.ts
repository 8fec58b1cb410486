import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Redactor, type Exchange } from "@signalbridge/core";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import { eiamErrors } from "../src/errors.js";
import { operations } from "../src/generated/operations.js";

type Json = Record<string, any>;
const SPEC_FILE = fileURLToPath(new URL("../../../specs/bamboocloud-eiam.yaml", import.meta.url));
const SEED_FILE = "bamboocloud-eiam-insite-notice-async-send.txt";
const doc = parse(readFileSync(SPEC_FILE, "utf8")) as Json;
const METHODS = ["get", "post", "put", "delete", "patch"];

interface Example {
  op: string;
  where: string;
  status?: string;
  name: string;
  value: unknown;
  example: Json;
}

const ops: Array<{ id: string; op: Json }> = [];
for (const item of Object.values(doc.paths as Json)) {
  for (const m of METHODS) if ((item as Json)[m]) ops.push({ id: (item as Json)[m].operationId, op: (item as Json)[m] });
}

function collect(key: "examples" | "x-seed-examples"): Example[] {
  const out: Example[] = [];
  for (const { id, op } of ops) {
    for (const [media, content] of Object.entries((op.requestBody?.content ?? {}) as Json)) {
      for (const [name, ex] of Object.entries((content[key] ?? {}) as Json)) {
        out.push({ op: id, where: `request ${media}`, name, value: ex.value, example: ex });
      }
    }
    for (const [status, resp] of Object.entries(op.responses as Json)) {
      for (const [media, content] of Object.entries(((resp as Json).content ?? {}) as Json)) {
        for (const [name, ex] of Object.entries((content[key] ?? {}) as Json)) {
          out.push({ op: id, where: `response ${status} ${media}`, status, name, value: ex.value, example: ex });
        }
      }
    }
  }
  return out;
}

const examples = collect("examples");
const seedExamples = collect("x-seed-examples");
const label = (e: Example) => `${e.op} ${e.where} ${e.name}`;

const ajv = new Ajv2020({ strict: false, allErrors: true, unicode: false, logger: false });
ajv.addSchema({ $id: "spec", components: doc.components });
const bySchemaRef = (ref: string) => ajv.compile({ $ref: `spec${ref}` });

function exchangeOf(op: string, status: number, body: unknown): Exchange {
  return {
    operation: (operations as Json)[op],
    status,
    ok: false,
    body,
    isJson: true,
    text: JSON.stringify(body),
    headers: new Headers(),
    requestId: undefined,
    attempts: 1,
    redactor: new Redactor({ owner: "eiam" }),
  };
}

describe("every `examples` entry of the spec is valid", () => {
  test("there are examples for every operation", () => {
    expect(new Set(examples.map((e) => e.op))).toEqual(new Set(ops.map((o) => o.id)));
  });

  test.each(examples.filter((e) => e.where.startsWith("request")).map((e) => [label(e), e] as const))(
    "%s passes the generated request validator",
    (_l, e) => {
      const op = (operations as Json)[e.op];
      const ok = op.validateRequest({ body: e.value });
      expect(op.validateRequest.errors ?? null, JSON.stringify(op.validateRequest.errors)).toBeNull();
      expect(ok).toBe(true);
    },
  );

  test.each(examples.filter((e) => /^response 2/.test(e.where)).map((e) => [label(e), e] as const))(
    "%s passes the generated response validator",
    (_l, e) => {
      const validate = (operations as Json)[e.op].validateResponse[e.status!];
      expect(validate(e.value), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  test.each(examples.filter((e) => /^response [45]/.test(e.where)).map((e) => [label(e), e] as const))(
    "%s matches its schema and parses into the vendor error with its code",
    (_l, e) => {
      const { id, op } = ops.find((o) => o.id === e.op)!;
      const schema = op.responses[e.status!].content["application/json"].schema;
      const validate = bySchemaRef(schema.$ref);
      expect(validate(e.value), JSON.stringify(validate.errors)).toBe(true);
      const error = eiamErrors.fromResponse(exchangeOf(id, Number(e.status), e.value)) as { code?: string };
      const v = e.value as Json;
      expect(error.code).toBe(String(v.error_code ?? v.error).trim());
    },
  );

  test("path parameter examples pass the request validator", () => {
    for (const { id, op } of ops) {
      for (const p of (op.parameters ?? []) as Json[]) {
        if (p.example === undefined) continue;
        expect((operations as Json)[id].validateRequest({ [p.in]: { [p.name]: String(p.example) } })).toBe(true);
      }
    }
  });
});

describe("x-seed-examples", () => {
  test("every seed example of the EIAM seed is valid against the server, so none is kept aside", () => {
    // The seed's request, success and error examples are all valid; if one is ever moved to
    // x-seed-examples it must say why (x-invalid-on-server) and fail validation.
    expect(seedExamples).toEqual([]);
  });

  test.each(seedExamples.map((e) => [label(e), e] as const))("%s fails for its stated reason", (_l, e) => {
    expect(typeof e.example["x-invalid-on-server"]).toBe("string");
    const op = (operations as Json)[e.op];
    const validate = e.where.startsWith("request") ? op.validateRequest : op.validateResponse?.[e.status!];
    expect(validate(e.where.startsWith("request") ? { body: e.value } : e.value)).toBe(false);
  });
});

describe("the seed document is fully in the spec", () => {
  const send = ops.find((o) => o.id === "sendInSiteNotice")!.op;
  const named = (where: string) =>
    examples.filter((e) => e.op === "sendInSiteNotice" && e.where.startsWith(where) && e.name.startsWith("seed"));

  test("the seed's request, success and error examples, verbatim, named seed… with the seed named in the summary", () => {
    const [req] = named("request");
    expect(req!.value).toEqual({
      title: "Notification Title 66",
      content: "Content: Abnormal risk detected in your account. View anomaly details 66.",
      message_type: "TEXT",
      user_names: ["ziceUser", "zhangaaa01"],
      org_codes: ["10000"],
      all: false,
    });
    expect(named("response 200")[0]!.value).toEqual({ noitce_id: "20220809161411767-9524-8618BA3BB" });
    expect(named("response 400")[0]!.value).toEqual({ error_code: "NOTICE.0004", error_msg: "通知标题不能为空" });
    for (const e of [...named("request"), ...named("response")]) expect(e.example.summary).toContain(SEED_FILE);
  });

  test("every seed error code is listed with status 400", () => {
    const listed = new Map((send["x-error-codes"] as Json[]).map((e) => [e.code, e]));
    for (const code of [
      "COM.0601",
      "NOTICE.0004",
      "NOTICE.0005",
      "NOTICE.0006",
      "NOTICE.0007",
      "NOTICE.0008",
      "NOTICE.0010",
      "NOTICE.0011",
      "NOTICE.INSITE.0003",
      "NOTICE.INSITE.0004",
    ]) {
      expect(listed.get(code)?.status, code).toBe(400);
      expect(listed.get(code)?.action, code).toBeTruthy();
      expect(listed.get(code)?.message_en, code).toBeTruthy();
    }
    expect(operations.sendInSiteNotice.errorCodes).toContain("invalid_token");
    expect(operations.getInSiteNoticeSendResult.errorCodes).toContain("NOTICE.0001");
  });

  test("idempotency: the send is not, the token fetch and the status poll are", () => {
    expect(operations.sendInSiteNotice.idempotent).toBe(false);
    expect(operations.getAccessToken.idempotent).toBe(true);
    expect(operations.getInSiteNoticeSendResult.idempotent).toBe(true);
  });
});
