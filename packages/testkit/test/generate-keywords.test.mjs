/**
 * The generator refuses a spec schema keyword that core's checker does not implement (it would
 * silently be skipped, loosening validation), naming the spec, the keyword's place in the spec
 * and the keyword, and writes nothing for that spec. Annotations and `x-` extensions pass, and
 * so do the keywords the checker implements (they reach the generated tables).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateVendor } from "../../../scripts/generate/generate.mjs";
import { CHECKED_KEYWORDS, UnsupportedKeywordError, inlineSchema } from "../../../scripts/generate/schema-tools.mjs";

/** A small OpenAPI 3.1 spec; `tags` and `limit` carry the keywords under test. */
const spec = ({ tags, limit }) => `openapi: 3.1.0
info: { title: keyword test, version: "1" }
paths:
  /notices:
    post:
      operationId: sendNotice
      parameters:
        - name: limit
          in: query
          schema: ${JSON.stringify(limit)}
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Notice" }
      responses:
        "200":
          description: sent
          content:
            application/json:
              schema: { type: object, properties: { id: { type: string } } }
components:
  schemas:
    Notice:
      type: object
      description: a notice
      x-vendor-docs-say: anything
      required: [title]
      properties:
        title: { type: string, maxLength: 100, format: uri, examples: ["t"] }
        kind: { const: { nested: { patternProperties: "data, not a keyword" } } }
        tags: ${JSON.stringify(tags)}
`;

let dir;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "signalbridge-generate-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function generate(name, parts) {
  const specFile = join(dir, `${name}.yaml`);
  writeFileSync(specFile, spec(parts));
  const out = join(dir, `out-${name}`);
  const result = await generateVendor({ spec: specFile, packageDir: "pkg" }, out).then(
    () => undefined,
    (error) => error,
  );
  return { specFile, generated: join(out, "pkg", "src", "generated"), error: result };
}

describe("the generator and keywords the client checker does not implement", () => {
  it("refuses each one, naming the spec, the JSON pointer in the spec and the keyword, and writes nothing", async () => {
    const { specFile, generated, error } = await generate("refused", {
      tags: { type: "object", patternProperties: { "^t": { type: "string" } } },
      limit: { type: ["integer", "strng"], maxLenght: 3 },
    });
    expect(error).toBeInstanceOf(UnsupportedKeywordError);
    expect(error.message).toContain(
      `${specFile}: #/paths/~1notices/post/parameters/0/schema: JSON Schema keyword "maxLenght" is not implemented by the client's checker`,
    );
    expect(error.message).toContain(
      `${specFile}: #/components/schemas/Notice/properties/tags: JSON Schema keyword "patternProperties" is not implemented by the client's checker`,
    );
    expect(error.message).toContain(
      `${specFile}: #/paths/~1notices/post/parameters/0/schema: type "strng" is not a JSON Schema type the client's checker knows`,
    );
    expect(error.message).toContain("packages/core/src/schema-check.ts");
    expect(error.refusals.map((r) => r.keyword).sort()).toEqual(["maxLenght", "patternProperties", "type"]);
    expect(existsSync(generated)).toBe(false);
  });

  it("passes annotations, x- extensions and data, and carries the implemented keywords into the tables", async () => {
    const { generated, error } = await generate("accepted", {
      tags: { type: "array", uniqueItems: true, items: { type: "string" } },
      limit: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 100, multipleOf: 0.5 },
    });
    expect(error).toBeUndefined();
    const validators = readFileSync(join(generated, "validators.ts"), "utf8");
    expect(validators).toContain('"tags":{"type":"array","uniqueItems":true,"items":{"type":"string"}}');
    expect(validators).toContain('"limit":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":100,"multipleOf":0.5}');
    expect(validators).toContain('"kind":{"const":{"nested":{"patternProperties":"data, not a keyword"}}}');
    expect(validators).not.toMatch(/description|x-vendor|format|examples/);
  });

  it("refuses in recursive schemas and inside combinators too", () => {
    const doc = {
      components: {
        schemas: {
          Node: {
            type: "object",
            properties: { next: { $ref: "#/components/schemas/Node" } },
            anyOf: [{ required: ["a"] }, { dependentSchemas: { a: {} } }],
          },
        },
      },
    };
    expect(() => inlineSchema(doc, { $ref: "#/components/schemas/Node" }, { spec: "specs/x.yaml" })).toThrow(
      'specs/x.yaml: #/components/schemas/Node/anyOf/1: JSON Schema keyword "dependentSchemas"',
    );
  });

  it("keeps the constraints written beside a $ref (OpenAPI 3.1 allows them), refusing unknown ones there too", () => {
    const doc = { components: { schemas: { Name: { type: "string", description: "a name" } } } };
    const { schema } = inlineSchema(doc, { $ref: "#/components/schemas/Name", maxLength: 3, description: "short" });
    expect(schema).toEqual({ allOf: [{ type: "string" }, { maxLength: 3 }] });
    expect(inlineSchema(doc, { $ref: "#/components/schemas/Name", description: "only words" }).schema).toEqual({ type: "string" });
    expect(() =>
      inlineSchema(doc, { properties: { n: { $ref: "#/components/schemas/Name", maxContains: 1 } } }, { spec: "s.yaml" }),
    ).toThrow('s.yaml: #/properties/n: JSON Schema keyword "maxContains"');
  });

  it("lists what the checker implements, and nothing it does not", () => {
    for (const keyword of ["uniqueItems", "multipleOf", "exclusiveMinimum", "exclusiveMaximum", "dependentRequired", "if"])
      expect(CHECKED_KEYWORDS).toContain(keyword);
    for (const keyword of [
      "patternProperties",
      "prefixItems",
      "unevaluatedProperties",
      "dependentSchemas",
      "minContains",
      "nullable",
      "$defs",
    ]) {
      expect(CHECKED_KEYWORDS).not.toContain(keyword);
    }
  });
});
