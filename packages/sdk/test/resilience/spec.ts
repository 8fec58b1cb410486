/**
 * The request schemas of the specs, read straight from specs/*.yaml: `{ path, query, header, body }`
 * per operation, the shape the clients validate (parameters grouped by where they go, the JSON or
 * form body under `body`), with every local `$ref` inlined. An independent Ajv compile of these
 * schemas is the oracle that checks the generated corpus itself.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";

export type Schema = { [keyword: string]: unknown };

export type SpecFile = "zstack.yaml" | "bamboocloud-eiam.yaml" | "enos.yaml";

const SPECS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "specs");
const METHODS = ["get", "put", "post", "delete", "patch"] as const;

const documents = new Map<SpecFile, Schema>();

function load(file: SpecFile): Schema {
  let doc = documents.get(file);
  if (!doc) {
    doc = parse(readFileSync(join(SPECS_DIR, file), "utf8")) as Schema;
    documents.set(file, doc);
  }
  return doc;
}

const isObject = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

function pointer(doc: Schema, ref: string): unknown {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are expected in the specs (got ${ref})`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(node) || !(key in node)) throw new Error(`unresolvable $ref ${ref}`);
    node = node[key];
  }
  return node;
}

/** Inline every `$ref`; the request schemas of these specs are not recursive (a cycle throws). */
export function inline(doc: Schema, node: unknown, seen: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => inline(doc, n, seen));
  if (!isObject(node)) return node;
  if (typeof node.$ref === "string") {
    if (seen.includes(node.$ref)) throw new Error(`recursive $ref ${node.$ref}`);
    return inline(doc, pointer(doc, node.$ref), [...seen, node.$ref]);
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) out[key] = inline(doc, value, seen);
  return out;
}

export interface SpecOperation {
  file: SpecFile;
  operationId: string;
  method: string;
  path: string;
  /** `{ type: object, properties: { path?, query?, header?, body? }, required }`, refs inlined. */
  request: Schema;
}

/** The request schema of one operation of a spec. */
export function specOperation(file: SpecFile, operationId: string): SpecOperation {
  const doc = load(file);
  for (const [path, item] of Object.entries(doc.paths as Record<string, Schema>)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op) || op.operationId !== operationId) continue;
      const params = [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])].map(
        (p) => inline(doc, p) as Schema,
      );
      const properties: Record<string, Schema> = {};
      const required: string[] = [];
      for (const location of ["path", "query", "header"]) {
        const list = params.filter((p) => p.in === location);
        if (!list.length) continue;
        // A path segment of "." or ".." cannot address a resource (the URL resolves it away), and
        // the client refuses it whatever the spec says: the corpus treats it as invalid too.
        const schemaOf = (p: Schema): Schema =>
          location === "path" ? { ...((p.schema as Schema) ?? {}), not: { enum: [".", ".."] } } : ((p.schema as Schema) ?? {});
        const group: Schema = { type: "object", properties: Object.fromEntries(list.map((p) => [p.name, schemaOf(p)])) };
        const req = list.filter((p) => p.required === true).map((p) => String(p.name));
        if (req.length) {
          group.required = req;
          required.push(location);
        }
        properties[location] = group;
      }
      const body = inline(doc, op.requestBody) as Schema | undefined;
      const content = body?.content as Record<string, Schema> | undefined;
      const media = content?.["application/json"] ?? content?.["application/x-www-form-urlencoded"];
      if (media?.schema) {
        properties.body = media.schema as Schema;
        if (body?.required === true) required.push("body");
      }
      return { file, operationId, method: method.toUpperCase(), path, request: { type: "object", properties, required } };
    }
  }
  throw new Error(`${file} has no operation ${operationId}`);
}

// The clients count lengths in UTF-16 code units, like the vendors' Java servers (design.md):
// Ajv's `unicode: false` does the same.
const ajv = new Ajv2020({ strict: false, allErrors: false, unicode: false, validateFormats: false, logger: false });
const compiled = new WeakMap<object, (value: unknown) => boolean>();

/** True when `value` satisfies `schema` (an independent compile of the spec, not the client's validator). */
export function satisfies(schema: Schema | boolean, value: unknown): boolean {
  if (typeof schema === "boolean") return schema;
  let fn = compiled.get(schema);
  if (!fn) {
    const validate = ajv.compile(schema);
    fn = (v) => validate(v) as boolean;
    compiled.set(schema, fn);
  }
  return fn(value);
}
