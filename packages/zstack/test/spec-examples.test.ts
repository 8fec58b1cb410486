import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Redactor, collectViolations, type Exchange, type RequestInput } from "@signalbridge/core";
import { zstackErrorFromResponse } from "../src/errors.js";
import { operations } from "../src/generated/operations.js";

const spec = parse(readFileSync(fileURLToPath(new URL("../../../specs/zstack.yaml", import.meta.url)), "utf8"));
const resolve = (node: any): any =>
  node?.$ref
    ? resolve(
        node.$ref
          .slice(2)
          .split("/")
          .reduce((n: any, k: string) => n[k], spec),
      )
    : node;

type OpId = keyof typeof operations;
type Example = { summary?: string; value: unknown; "x-invalid-on-server"?: string };
interface Case {
  op: OpId;
  where: "request" | "response" | "parameter";
  name: string;
  example: Example;
  status?: string;
  media?: string;
  param?: any;
  seedOnly?: boolean;
}

const cases: Case[] = [];
const paramsOf: Record<string, any[]> = {};
for (const item of Object.values<any>(spec.paths)) {
  for (const op of Object.values<any>(item)) {
    const id = op.operationId as OpId;
    const params = (op.parameters ?? []).map(resolve);
    paramsOf[id] = params;
    for (const p of params) {
      for (const [name, ex] of Object.entries<Example>(p.examples ?? {}))
        cases.push({ op: id, where: "parameter", name, example: ex, param: p });
      if (p.example !== undefined) cases.push({ op: id, where: "parameter", name: "example", example: { value: p.example }, param: p });
    }
    const media = resolve(op.requestBody)?.content?.["application/json"];
    for (const [name, ex] of Object.entries<Example>(media?.examples ?? {})) cases.push({ op: id, where: "request", name, example: ex });
    for (const [name, ex] of Object.entries<Example>(media?.["x-seed-examples"] ?? {}))
      cases.push({ op: id, where: "request", name, example: ex, seedOnly: true });
    for (const [status, resp0] of Object.entries<any>(op.responses)) {
      for (const [type, m] of Object.entries<any>(resolve(resp0)?.content ?? {})) {
        for (const [name, ex] of Object.entries<Example>(m.examples ?? {}))
          cases.push({ op: id, where: "response", status, media: type, name, example: ex });
        for (const [name, ex] of Object.entries<Example>(m["x-seed-examples"] ?? {}))
          cases.push({ op: id, where: "response", status, media: type, name, example: ex, seedOnly: true });
      }
    }
  }
}

/** The request as the client validates it: required path/header parameters filled from the spec's own examples. */
function requestOf(op: OpId, extra: Partial<RequestInput> = {}): RequestInput {
  const input: Record<string, Record<string, unknown>> = {};
  for (const p of paramsOf[op] ?? []) {
    if (!p.required) continue;
    (input[p.in] ??= {})[p.name] = p.example ?? Object.values<Example>(p.examples ?? {})[0]?.value;
  }
  const out: RequestInput = { ...input };
  for (const [k, v] of Object.entries(extra)) {
    (out as any)[k] = typeof v === "object" && v !== null && !Array.isArray(v) && k !== "body" ? { ...(out as any)[k], ...v } : v;
  }
  return out;
}

const exchangeOf = (op: OpId, status: number, body: unknown, isJson: boolean) =>
  ({
    operation: operations[op],
    status,
    ok: status < 300,
    body,
    isJson,
    text: isJson ? JSON.stringify(body) : String(body),
    headers: new Headers(),
    requestId: undefined,
    attempts: 1,
    redactor: new Redactor({ owner: "zstack" }),
  }) as unknown as Exchange;

describe("spec examples", () => {
  it("covers every operation, and the seed examples are named seed… with the seed document in the summary", () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(operations)));
    const seeds = cases.filter((c) => c.name.startsWith("seed"));
    expect(seeds.map((c) => `${c.op} ${c.where} ${c.name}${c.seedOnly ? " (x-seed-examples)" : ""}`).sort()).toEqual([
      "AddSNSDingTalkAtPerson request seedExplorerCurl (x-seed-examples)",
      "AddSNSDingTalkAtPerson request seedExplorerCurlCorrected",
      "getApiJobResult response seedAddSNSDingTalkAtPersonResponse",
    ]);
    for (const c of seeds) expect(c.example.summary).toMatch(/zstack-add-sns-dingtalk-at-person\.txt/);
  });

  const valid = cases.filter((c) => !c.seedOnly);

  it.each(valid.filter((c) => c.where === "request").map((c) => [c.op, c.name, c] as const))(
    "request example %s / %s passes the generated validator",
    (op, _name, c) => {
      expect(collectViolations(operations[op].validateRequest, requestOf(op, { body: c.example.value }))).toEqual([]);
    },
  );

  it.each(valid.filter((c) => c.where === "parameter").map((c) => [c.op, c.param.name, c.name, c] as const))(
    "parameter example %s %s / %s passes the generated validator",
    (op, name, _n, c) => {
      const body = (spec.paths[operations[op].path] as any)[operations[op].method.toLowerCase()].requestBody
        ? { body: firstBodyExample(op) }
        : {};
      const input = requestOf(op, { ...body, [c.param.in]: { [name]: c.example.value } });
      expect(collectViolations(operations[op].validateRequest, input)).toEqual([]);
    },
  );

  it.each(
    valid
      .filter((c) => c.where === "response" && /^2/.test(c.status!) && c.media === "application/json")
      .map((c) => [c.op, c.status!, c.name, c] as const),
  )("response example %s %s / %s passes the generated validator", (op, status, _name, c) => {
    const validate = (operations[op] as { validateResponse?: Record<string, any> }).validateResponse?.[status];
    expect(validate).toBeDefined();
    expect(collectViolations(validate, c.example.value)).toEqual([]);
  });

  it("the seed's response example is an AddSNSDingTalkAtPerson job result with an inventory", () => {
    const seed = cases.find((c) => c.name === "seedAddSNSDingTalkAtPersonResponse")!;
    expect((seed.example.value as any).inventory.phoneNumber).toBe("18988887777");
  });

  it.each(valid.filter((c) => c.where === "response" && c.status === "503").map((c) => [c.op, c.name, c] as const))(
    "503 example %s / %s is read as the vendor error it shows",
    (op, _name, c) => {
      const body = c.example.value as { error: { code: string; details: string } };
      const err = zstackErrorFromResponse(exchangeOf(op, 503, body, true));
      expect(err.code).toBe(body.error.code);
      expect(err.message).toContain(body.error.details);
      expect(err.kind).toBe(["ID.1000", "ID.1001"].includes(body.error.code) ? "authentication" : "api");
    },
  );

  it.each(valid.filter((c) => c.where === "response" && c.media === "text/plain").map((c) => [c.op, c.status!, c.name, c] as const))(
    "plain-text example %s %s / %s becomes an error carrying the server's sentence",
    (op, status, _name, c) => {
      const err = zstackErrorFromResponse(exchangeOf(op, Number(status), c.example.value, false));
      expect(err.code).toBeUndefined();
      expect(err.message).toContain(String(c.example.value));
      expect(err.kind).toBe(status === "403" ? "authentication" : "api");
    },
  );

  it("x-seed-examples fail for their stated reason (tagUuid is not a field; the phone number has no +CC- prefix)", () => {
    const seedOnly = cases.filter((c) => c.seedOnly);
    expect(seedOnly).toHaveLength(1);
    for (const c of seedOnly) {
      const reason = c.example["x-invalid-on-server"]!;
      expect(reason).toMatch(/tagUuids/);
      expect(reason).toMatch(/SNSApiInterceptor/);
      const violations = collectViolations(operations[c.op].validateRequest, requestOf(c.op, { body: c.example.value }));
      const found = violations.map((v) => `${v.path} ${v.rule}`);
      expect(found).toContain("body.params.tagUuid additionalProperties");
      expect(found).toContain("body.params.phoneNumber pattern");
      // the corrected example differs from the seed exactly in these points and passes
      const corrected = valid.find((v) => v.op === c.op && v.name === `${c.name}Corrected`)!;
      const params = (corrected.example.value as any).params;
      expect(params.tagUuids).toBeDefined();
      expect(params.phoneNumber).toMatch(/^\+\d{2,3}-\d{11}$/);
    }
  });

  it("every operation lists its error codes with the status they arrive with (503) and when (response or poll)", () => {
    for (const item of Object.values<any>(spec.paths)) {
      for (const op of Object.values<any>(item)) {
        const codes = op["x-error-codes"] as Array<{ code: string; status: number; meaning: string; arrivesAt: string }>;
        expect(codes.length).toBeGreaterThan(0);
        const async = op["x-signalbridge-async"] !== undefined;
        for (const e of codes) {
          expect(e.code).toMatch(/^[A-Z]+\.\d{4}$/);
          expect(e.meaning).toBeTruthy();
          expect(e.status).toBe(503);
          expect(e.arrivesAt).toBe(async ? "poll" : "response");
        }
        expect(operations[op.operationId as OpId].errorCodes).toEqual(codes.map((e) => e.code));
      }
    }
  });

  it("idempotency: polls, queries, login and Remove may be retried; Add and Update may not", () => {
    const table = Object.fromEntries(Object.values(operations).map((o) => [o.id, o.idempotent]));
    expect(table).toEqual({
      AddSNSDingTalkAtPerson: false,
      UpdateAtPersonOfAtDingTalkEndpoint: false,
      LogInByAccount: true, // a repeat only adds an unused session (spec: LogInByAccount)
      RemoveSNSDingTalkAtPerson: true,
      QuerySNSDingTalkAtPerson: true,
      QuerySNSDingTalkAtPersonByUuid: true,
      getApiJobResult: true,
      LogOut: true,
      ValidateSession: true,
    });
  });
});

function firstBodyExample(op: OpId): unknown {
  const c = cases.find((x) => x.op === op && x.where === "request" && !x.seedOnly);
  return c?.example.value;
}
