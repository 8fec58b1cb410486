import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Redactor, collectViolations, type Exchange } from "@signalbridge/core";
import { enosErrors } from "../src/errors.js";
import { operations } from "../src/generated/operations.js";

const spec = parse(readFileSync(fileURLToPath(new URL("../../../specs/enos.yaml", import.meta.url)), "utf8"));
const resolve = (node: any): any =>
  node?.$ref
    ? resolve(
        node.$ref
          .slice(2)
          .split("/")
          .reduce((n: any, k: string) => n[k], spec),
      )
    : node;

type Example = { summary?: string; value: unknown; "x-invalid-on-server"?: string };
interface Case {
  op: string;
  where: string;
  name: string;
  example: Example;
  status?: string;
  seedOnly?: boolean;
}

const cases: Case[] = [];
for (const item of Object.values<any>(spec.paths)) {
  for (const op of Object.values<any>(item)) {
    const id = op.operationId as string;
    const media = resolve(op.requestBody)?.content?.["application/json"];
    for (const [name, ex] of Object.entries<Example>(media?.examples ?? {})) cases.push({ op: id, where: "request", name, example: ex });
    for (const [name, ex] of Object.entries<Example>(media?.["x-seed-examples"] ?? {}))
      cases.push({ op: id, where: "request", name, example: ex, seedOnly: true });
    for (const [status, resp0] of Object.entries<any>(op.responses)) {
      const m = resolve(resp0)?.content?.["application/json"];
      const all: Array<[string, Example]> = Object.entries<Example>(m?.examples ?? {});
      if (m?.example !== undefined) all.push(["example", { value: m.example }]);
      for (const [name, ex] of all) cases.push({ op: id, where: "response", status, name, example: ex });
      for (const [name, ex] of Object.entries<Example>(m?.["x-seed-examples"] ?? {}))
        cases.push({ op: id, where: "response", status, name, example: ex, seedOnly: true });
    }
  }
}

const requestOf = (op: string, body: unknown) => {
  const params = spec.paths[operations[op as keyof typeof operations].path].post.parameters ?? [];
  return params.length ? { query: { orgId: "o15724268424841" }, body } : { body };
};

describe("spec examples", () => {
  it("the spec has examples for every operation, and the seed ones are named seed…", () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(operations)));
    const seeds = cases.filter((c) => c.name.startsWith("seed"));
    expect(seeds.map((c) => `${c.op} ${c.where} ${c.name}`).sort()).toEqual([
      "createMessageRules request seedCreateTwoRules",
      "createMessageRules response seedCreated",
    ]);
    for (const c of seeds) expect(c.example.summary).toMatch(/enos-create-message-rules\.txt/);
  });

  const valid = cases.filter((c) => !c.seedOnly);
  it.each(valid.filter((c) => c.where === "request").map((c) => [c.op, c.name, c] as const))(
    "request example %s / %s passes the generated validator",
    (op, _name, c) => {
      const validate = operations[op as keyof typeof operations].validateRequest;
      expect(collectViolations(validate, requestOf(op, c.example.value))).toEqual([]);
    },
  );

  it.each(valid.filter((c) => c.where === "response" && /^2/.test(c.status!)).map((c) => [c.op, c.status!, c.name, c] as const))(
    "response example %s %s / %s passes the generated validator",
    (op, status, _name, c) => {
      const validate = (operations[op as keyof typeof operations] as any).validateResponse[status];
      expect(collectViolations(validate, c.example.value)).toEqual([]);
    },
  );

  it.each(valid.filter((c) => c.where === "response" && /^2/.test(c.status!)).map((c) => [c.op, c.name, c] as const))(
    "2XX example %s / %s is read as success or as the in-band error its name says",
    (op, name, c) => {
      const body = c.example.value;
      const exchange = {
        operation: operations[op as keyof typeof operations],
        status: 200,
        ok: true,
        body,
        isJson: true,
        text: JSON.stringify(body),
        headers: new Headers(),
        requestId: undefined,
        attempts: 1,
        redactor: new Redactor({ owner: "enos" }),
      } as unknown as Exchange;
      const err = enosErrors.fromSuccessBody!(exchange);
      if (/^inBand/.test(name)) {
        expect(err?.code).toBe(String((body as any).code ?? (body as any).status));
      } else {
        expect(err).toBeUndefined();
      }
    },
  );

  it.each(valid.filter((c) => c.where === "response" && !/^2/.test(c.status!)).map((c) => [c.op, c.status!, c.name, c] as const))(
    "gateway example %s %s / %s is a gateway error body",
    (op, status, _name, c) => {
      const body = c.example.value as Record<string, unknown>;
      expect(typeof body.message).toBe("string");
      const exchange = {
        operation: operations[op as keyof typeof operations],
        status: Number(status),
        ok: false,
        body,
        isJson: true,
        text: JSON.stringify(body),
        headers: new Headers(),
        requestId: undefined,
        attempts: 1,
        redactor: new Redactor({ owner: "enos" }),
      } as unknown as Exchange;
      const err = enosErrors.fromResponse(exchange);
      expect(err.message).toContain(body.message as string);
    },
  );

  const seedOnly = cases.filter((c) => c.seedOnly);
  it("x-seed-examples (none in this spec: the seed's examples are valid) fail for their stated reason", () => {
    for (const c of seedOnly) {
      expect(c.example["x-invalid-on-server"]).toBeTruthy();
      const validate = operations[c.op as keyof typeof operations].validateRequest;
      expect(collectViolations(validate, requestOf(c.op, c.example.value)).length).toBeGreaterThan(0);
    }
    expect(seedOnly).toHaveLength(0);
  });

  it("every operation lists its error codes with the HTTP status they arrive with", () => {
    for (const item of Object.values<any>(spec.paths)) {
      for (const op of Object.values<any>(item)) {
        const codes = op["x-error-codes"] as Array<{ code: number; status: number; meaning: string }>;
        expect(codes.length).toBeGreaterThan(0);
        for (const e of codes) {
          expect(e.meaning).toBeTruthy();
          expect([200, 401]).toContain(e.status);
        }
      }
    }
  });
});
