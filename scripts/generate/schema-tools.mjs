/** Turning OpenAPI 3.1 schemas into self-contained JSON Schemas for core's checker. */

// Keywords that only describe; they are dropped so the generated tables stay small.
// (`format` is an annotation in JSON Schema 2020-12 unless a validator opts in; ours does not.)
const ANNOTATIONS = new Set([
  "description",
  "title",
  "example",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
  "externalDocs",
  "xml",
  "discriminator",
  "$comment",
  "format",
  "contentMediaType",
  "contentEncoding",
  "default",
]);

/**
 * The keywords core's checker (packages/core/src/schema-check.ts) evaluates, by the kind of value
 * they take. Any other keyword in a spec schema is refused: a checker that skipped it would
 * silently accept what the spec forbids. (`$ref` is followed here; a recursive one becomes a
 * `$ref` into the root `$defs`, which the checker follows.)
 */
const SUBSCHEMA = new Set(["items", "contains", "additionalProperties", "propertyNames", "not", "if", "then", "else"]);
const SUBSCHEMA_LIST = new Set(["allOf", "anyOf", "oneOf"]);
const SUBSCHEMA_MAP = new Set(["properties"]);
const VALUE = new Set([
  "type",
  "enum",
  "const",
  "required",
  "dependentRequired",
  "maxLength",
  "minLength",
  "pattern",
  "maximum",
  "minimum",
  "exclusiveMaximum",
  "exclusiveMinimum",
  "multipleOf",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxProperties",
  "minProperties",
]);
export const CHECKED_KEYWORDS = Object.freeze(["$ref", ...SUBSCHEMA, ...SUBSCHEMA_LIST, ...SUBSCHEMA_MAP, ...VALUE].sort());

// The checker's type names; it would let any other pass unchecked.
const TYPES = new Set(["string", "integer", "number", "boolean", "null", "array", "object"]);

/** A spec schema uses a keyword (or a type) the client checker does not implement. */
export class UnsupportedKeywordError extends Error {
  constructor(spec, refusals) {
    super(
      refusals
        .map(({ where, keyword, type }) =>
          type === undefined
            ? `${spec}: ${where}: JSON Schema keyword "${keyword}" is not implemented by the client's checker`
            : `${spec}: ${where}: type "${type}" is not a JSON Schema type the client's checker knows`,
        )
        .join("\n") +
        "\nThe generated validators would silently skip it. Remove it from the spec, or implement it in " +
        "packages/core/src/schema-check.ts (with a case in its Ajv differential test) and list it in " +
        "scripts/generate/schema-tools.mjs.",
    );
    this.name = "UnsupportedKeywordError";
    this.spec = spec;
    this.refusals = refusals;
  }
}

const escapeSegment = (key) => String(key).replace(/~/g, "~0").replace(/\//g, "~1");

// Where each object of a parsed spec sits in it (its JSON pointer), to name it in a refusal.
const locations = new WeakMap();
function locate(doc) {
  let index = locations.get(doc);
  if (index) return index;
  index = new WeakMap();
  const visit = (node, pointer) => {
    if (node === null || typeof node !== "object" || index.has(node)) return;
    index.set(node, pointer);
    for (const [key, value] of Object.entries(node)) visit(value, `${pointer}/${escapeSegment(key)}`);
  };
  visit(doc, "#");
  locations.set(doc, index);
  return index;
}

/** Follow a local `#/...` reference. */
export function resolvePointer(doc, ref) {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported (got ${ref})`);
  return ref
    .slice(2)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((node, key) => {
      if (node === undefined || !(key in node)) throw new Error(`unresolvable $ref ${ref}`);
      return node[key];
    }, doc);
}

/**
 * Inline every `$ref` (recursion becomes `$defs`), drop annotations and `x-` extensions, and
 * collect `x-rule-message` sentences keyed by the schema path of the rule they describe.
 * A keyword the checker does not implement is refused: UnsupportedKeywordError naming `spec`, the
 * JSON pointer in the spec and the keyword; or, given a `refusals` list, each refusal is added to
 * it (once) so that a caller inlining many schemas of one spec can report them all together.
 */
export function inlineSchema(doc, schema, { spec = "the spec", basePath = "#", refusals } = {}) {
  const defs = {};
  const ruleMessages = {};
  const refused = refusals ?? [];
  const refuse = (refusal) => {
    if (!refused.some((r) => r.where === refusal.where && r.keyword === refusal.keyword && r.type === refusal.type)) refused.push(refusal);
  };
  const index = locate(doc);
  // `path` is the schema path in the output (where errors point); `where` the node's place in the spec.
  const walk = (node, path, stack, where) => {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return node;
    where = index.get(node) ?? where;
    if (typeof node.$ref === "string") {
      // In OpenAPI 3.1 a $ref may have sibling keywords, which apply too: both go under an allOf.
      const { $ref, ...siblings } = node;
      const constrained = Object.keys(siblings).some((k) => !ANNOTATIONS.has(k) && !k.startsWith("x-"));
      const refPath = constrained ? `${path}/allOf/0` : path;
      const name = $ref.split("/").pop();
      let target;
      if (stack.includes($ref)) {
        if (!defs[name]) {
          defs[name] = {}; // placeholder against infinite recursion
          defs[name] = walk(resolvePointer(doc, $ref), `#/$defs/${name}`, [], $ref);
        }
        target = { $ref: `#/$defs/${name}` };
      } else target = walk(resolvePointer(doc, $ref), refPath, [...stack, $ref], $ref);
      return constrained ? { allOf: [target, walk(siblings, `${path}/allOf/1`, stack, where)] } : target;
    }
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (ANNOTATIONS.has(key) || key.startsWith("x-")) continue;
      const at = `${where}/${escapeSegment(key)}`;
      if (SUBSCHEMA.has(key)) out[key] = walk(value, `${path}/${key}`, stack, at);
      else if (SUBSCHEMA_LIST.has(key)) out[key] = value.map((n, i) => walk(n, `${path}/${key}/${i}`, stack, `${at}/${i}`));
      else if (SUBSCHEMA_MAP.has(key)) {
        out[key] = Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, walk(v, `${path}/${key}/${k}`, stack, `${at}/${escapeSegment(k)}`)]),
        );
      } else if (VALUE.has(key)) {
        out[key] = value; // data (enum values, const), copied as written
        if (key === "type") for (const type of [value].flat()) if (!TYPES.has(type)) refuse({ where, keyword: key, type });
      } else refuse({ where, keyword: key });
    }
    // `x-rule-message` words the schema's own rule: its combinators (a cross-field rule) or its
    // pattern (a format such as a phone number), instead of a list of branches or a raw regex.
    if (typeof node["x-rule-message"] === "string") {
      for (const keyword of ["allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentRequired", "pattern", "propertyNames"]) {
        if (keyword in node) ruleMessages[`${path}/${keyword}`] = node["x-rule-message"];
      }
    }
    return out;
  };
  const inlined = walk(schema, basePath, [], basePath);
  if (!refusals && refused.length) throw new UnsupportedKeywordError(spec, refused);
  if (Object.keys(defs).length) inlined.$defs = { ...(inlined.$defs ?? {}), ...defs };
  return { schema: inlined, ruleMessages };
}
