import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHECKED_KEYWORDS } from "../../../scripts/generate/schema-tools.mjs";
import { collectViolations, compileSchema } from "../src/index.js";
import { compile as ajvCompile } from "./support.js";

// Schemas exercising every keyword the generator emits, shaped like the vendors' requests.
const schemas: Record<string, object> = {
  strings: {
    type: "object",
    required: ["t"],
    properties: { t: { type: "string", minLength: 1, maxLength: 5 }, p: { type: "string", pattern: "^\\+\\d{2}-\\d{3}$" } },
    additionalProperties: false,
  },
  arrays: { type: "array", minItems: 1, maxItems: 3, items: { type: ["string", "null"], maxLength: 2 }, contains: { const: "a" } },
  marks: {
    type: "object",
    propertyNames: { pattern: "^mark[1-9][0-9]*$" },
    minProperties: 1,
    maxProperties: 2,
    additionalProperties: { type: ["array", "null"], items: { type: "string" } },
  },
  enums: {
    oneOf: [
      { type: "integer", enum: [0, 1] },
      { type: "string", enum: ["0", "1"] },
    ],
  },
  crossField: {
    type: "object",
    properties: { all: { type: "boolean" }, users: { type: "array", maxItems: 2 }, orgs: { type: "array" } },
    if: { not: { required: ["all"], properties: { all: { const: true } } } },
    then: {
      anyOf: [
        { required: ["users"], properties: { users: { minItems: 1 } } },
        { required: ["orgs"], properties: { orgs: { minItems: 1 } } },
      ],
    },
  },
  numbers: { allOf: [{ type: "number", minimum: 0 }, { maximum: 10 }], not: { const: 5 } },
  recursive: {
    $ref: "#/$defs/Node",
    $defs: { Node: { type: "object", required: ["code"], properties: { code: { type: "string" }, cause: { $ref: "#/$defs/Node" } } } },
  },
  dependent: { type: "object", dependentRequired: { a: ["b"] } },
  ifElse: { if: { type: "string" }, then: { maxLength: 2 }, else: { type: "integer", minimum: 0 } },
  // Bounded: beyond 1e21 Ajv's multipleOf (a parseInt of the quotient) says no where ours says yes.
  exclusive: { type: "number", exclusiveMinimum: -1000, exclusiveMaximum: 1000, multipleOf: 0.5 },
  integerSteps: { type: "integer", minimum: -1e6, maximum: 1e6, multipleOf: 7 },
  unique: { type: "array", uniqueItems: true },
  // Equal JSON whatever the key order, as Ajv (and the specs' enum/const) mean it.
  deepEqual: {
    type: "object",
    properties: { c: { const: { a: 1, b: [1, { c: null }] } } },
    anyOf: [{ required: ["c"] }, { enum: [{ x: [1, 2], y: "z" }] }],
  },
};

// JSON values only: the checker sees what JSON.parse made of the bytes sent or received (core
// validates the serialization), so Infinity, undefined or a prototype can never reach it.
const near = fc.oneof(
  fc.jsonValue(),
  fc.record(
    { t: fc.string({ maxLength: 7 }), p: fc.constantFrom("+86-123", "86-123", "+86-1234"), x: fc.constant(1) },
    { requiredKeys: [] },
  ),
  fc.array(fc.oneof(fc.constantFrom("a", "b", "abc"), fc.constant(null), fc.integer()), { maxLength: 4 }),
  fc.dictionary(
    fc.constantFrom("mark1", "mark2", "mark10", "mark0", "x"),
    fc.oneof(fc.constant(null), fc.array(fc.string()), fc.integer()),
    { maxKeys: 3 },
  ),
  fc.constantFrom(0, 1, 2, "0", "1", "2", 1.5, 5, -1, 11, true, null),
  fc.record(
    { all: fc.boolean(), users: fc.array(fc.string(), { maxLength: 3 }), orgs: fc.array(fc.string(), { maxLength: 2 }) },
    { requiredKeys: [] },
  ),
  fc.letrec((tie) => ({
    node: fc.record({ code: fc.oneof(fc.string(), fc.integer()), cause: fc.option(tie("node"), { nil: undefined }) }, { requiredKeys: [] }),
  })).node,
  fc.record({ a: fc.integer(), b: fc.integer() }, { requiredKeys: [] }),
  fc.oneof(
    fc.double({ min: -1100, max: 1100 }),
    fc.integer({ min: -1100, max: 1100 }),
    fc.constantFrom(-1000, 1000, 999.5, -999.5, 0.5, 0.25, 0, -0, 14, -21, 7e6),
  ),
  fc.array(fc.constantFrom(1, "1", null, true, { a: 1, b: 2 }, { b: 2, a: 1 }, [1, 2], [2, 1], [{ a: 1 }]), { maxLength: 4 }),
  fc.record(
    {
      c: fc.constantFrom(
        { a: 1, b: [1, { c: null }] },
        { b: [1, { c: null }], a: 1 },
        { a: 1, b: [{ c: null }, 1] },
        { a: 1, b: [1, { c: null }], d: 1 },
        1,
      ),
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom({ x: [1, 2], y: "z" }, { y: "z", x: [1, 2] }, { x: [2, 1], y: "z" }, { x: [1, 2] }),
);

/** The keywords a schema uses (not its property names), to see that the table covers them all. */
function keywordsOf(schema: unknown, into = new Set<string>()): Set<string> {
  if (schema === null || typeof schema !== "object") return into;
  for (const [key, value] of Object.entries(schema)) {
    into.add(key);
    if (key === "properties" || key === "$defs") for (const sub of Object.values(value as object)) keywordsOf(sub, into);
    else if (key === "allOf" || key === "anyOf" || key === "oneOf") for (const sub of value as unknown[]) keywordsOf(sub, into);
    else if (["items", "contains", "additionalProperties", "propertyNames", "not", "if", "then", "else"].includes(key))
      keywordsOf(value, into);
  }
  return into;
}

const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));
function hasPrototypeKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasPrototypeKey);
  if (value === null || typeof value !== "object") return false;
  return Object.keys(value).some((k) => PROTOTYPE_KEYS.has(k) || hasPrototypeKey((value as Record<string, unknown>)[k]));
}

describe("compileSchema agrees with Ajv", () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it(`${name}: same verdict on 3000 random inputs, and errors whenever invalid`, () => {
      const ours = compileSchema(schema);
      const ajv = ajvCompile(schema);
      fc.assert(
        fc.property(near, (value) => {
          // Ajv's deep-equal (enum, const) throws on objects with keys such as "toString": no oracle there.
          fc.pre(!hasPrototypeKey(value));
          const verdict = ours(value);
          expect(verdict).toBe(ajv(value));
          if (verdict) expect(ours.errors).toBeNull();
          else expect(ours.errors!.length).toBeGreaterThan(0);
        }),
        { numRuns: 3000 },
      );
    });
  }

  it("covers every keyword the generator lets through to the checker", () => {
    const used = new Set<string>();
    for (const schema of Object.values(schemas)) keywordsOf(schema, used);
    expect(CHECKED_KEYWORDS.filter((k) => !used.has(k))).toEqual([]);
  });

  it("words the new keywords' failures for the caller", () => {
    const steps = compileSchema({ type: "object", properties: { size: schemas.exclusive!, tags: schemas.unique! } });
    expect(collectViolations(steps, { size: 1000, tags: ["a", "b", "a"] }).map((v) => v.message)).toEqual([
      "size: must be < 1000 (got 1000)",
      "tags: must not repeat an item (items 0 and 2 are equal)",
    ]);
    expect(collectViolations(steps, { size: 2.25 }).map((v) => v.message)).toEqual(["size: must be a multiple of 0.5 (got 2.25)"]);
  });

  it("reports Ajv-shaped errors with paths", () => {
    const v = compileSchema(schemas.strings!);
    expect(v({ t: "toolong", p: "86-123", zz: 1 })).toBe(false);
    expect(v.errors).toEqual([
      { instancePath: "/t", schemaPath: "#/properties/t/maxLength", keyword: "maxLength", params: { limit: 5 } },
      { instancePath: "/p", schemaPath: "#/properties/p/pattern", keyword: "pattern", params: { pattern: "^\\+\\d{2}-\\d{3}$" } },
      { instancePath: "", schemaPath: "#/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: "zz" } },
    ]);
  });
});
