import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileSchema } from "../src/index.js";
import { compile as ajvCompile } from "./support.js";

// Schemas exercising every keyword the generator emits, shaped like the vendors' requests.
const schemas: Record<string, object> = {
  strings: { type: "object", required: ["t"], properties: { t: { type: "string", minLength: 1, maxLength: 5 }, p: { type: "string", pattern: "^\\+\\d{2}-\\d{3}$" } }, additionalProperties: false },
  arrays: { type: "array", minItems: 1, maxItems: 3, items: { type: ["string", "null"], maxLength: 2 }, contains: { const: "a" } },
  marks: { type: "object", propertyNames: { pattern: "^mark[1-9][0-9]*$" }, minProperties: 1, maxProperties: 2, additionalProperties: { type: ["array", "null"], items: { type: "string" } } },
  enums: { oneOf: [{ type: "integer", enum: [0, 1] }, { type: "string", enum: ["0", "1"] }] },
  crossField: {
    type: "object",
    properties: { all: { type: "boolean" }, users: { type: "array", maxItems: 2 }, orgs: { type: "array" } },
    if: { not: { required: ["all"], properties: { all: { const: true } } } },
    then: { anyOf: [{ required: ["users"], properties: { users: { minItems: 1 } } }, { required: ["orgs"], properties: { orgs: { minItems: 1 } } }] },
  },
  numbers: { allOf: [{ type: "number", minimum: 0 }, { maximum: 10 }], not: { const: 5 } },
  recursive: { $ref: "#/$defs/Node", $defs: { Node: { type: "object", required: ["code"], properties: { code: { type: "string" }, cause: { $ref: "#/$defs/Node" } } } } },
  dependent: { type: "object", dependentRequired: { a: ["b"] } },
};

const near = fc.oneof(
  fc.anything(),
  fc.record({ t: fc.string({ maxLength: 7 }), p: fc.constantFrom("+86-123", "86-123", "+86-1234"), x: fc.constant(1) }, { requiredKeys: [] }),
  fc.array(fc.oneof(fc.constantFrom("a", "b", "abc"), fc.constant(null), fc.integer()), { maxLength: 4 }),
  fc.dictionary(fc.constantFrom("mark1", "mark2", "mark10", "mark0", "x"), fc.oneof(fc.constant(null), fc.array(fc.string()), fc.integer()), { maxKeys: 3 }),
  fc.constantFrom(0, 1, 2, "0", "1", "2", 1.5, 5, -1, 11, true, null),
  fc.record({ all: fc.boolean(), users: fc.array(fc.string(), { maxLength: 3 }), orgs: fc.array(fc.string(), { maxLength: 2 }) }, { requiredKeys: [] }),
  fc.letrec((tie) => ({ node: fc.record({ code: fc.oneof(fc.string(), fc.integer()), cause: fc.option(tie("node"), { nil: undefined }) }, { requiredKeys: [] }) })).node,
  fc.record({ a: fc.integer(), b: fc.integer() }, { requiredKeys: [] }),
);

describe("compileSchema agrees with Ajv", () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it(`${name}: same verdict on 3000 random inputs, and errors whenever invalid`, () => {
      const ours = compileSchema(schema);
      const ajv = ajvCompile(schema);
      fc.assert(
        fc.property(near, (value) => {
          const verdict = ours(value);
          expect(verdict).toBe(ajv(value));
          if (verdict) expect(ours.errors).toBeNull();
          else expect(ours.errors!.length).toBeGreaterThan(0);
        }),
        { numRuns: 3000 },
      );
    });
  }

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
