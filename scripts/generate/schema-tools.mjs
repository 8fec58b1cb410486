/** Turning OpenAPI 3.1 schemas into self-contained JSON Schemas for Ajv. */

// Keywords that only describe; they are dropped so the compiled validators stay small.
const ANNOTATIONS = new Set([
  "description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly",
  "externalDocs", "xml", "discriminator", "$comment", "format", "contentMediaType", "default",
]);

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
 */
export function inlineSchema(doc, schema, basePath = "#") {
  const defs = {};
  const ruleMessages = {};
  const walk = (node, path, stack) => {
    if (Array.isArray(node)) return node.map((n, i) => walk(n, `${path}/${i}`, stack));
    if (node === null || typeof node !== "object") return node;
    if (typeof node.$ref === "string") {
      const name = node.$ref.split("/").pop();
      if (stack.includes(node.$ref)) {
        if (!defs[name]) {
          defs[name] = {}; // placeholder against infinite recursion
          defs[name] = walk(resolvePointer(doc, node.$ref), `#/$defs/${name}`, []);
        }
        return { $ref: `#/$defs/${name}` };
      }
      return walk(resolvePointer(doc, node.$ref), path, [...stack, node.$ref]);
    }
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (ANNOTATIONS.has(key) || key.startsWith("x-")) continue;
      const isMap = key === "properties" || key === "patternProperties" || key === "$defs" || key === "dependentSchemas";
      out[key] = isMap
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${path}/${key}/${k}`, stack)]))
        : walk(value, `${path}/${key}`, stack);
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
  const inlined = walk(schema, basePath, []);
  if (Object.keys(defs).length) inlined.$defs = { ...(inlined.$defs ?? {}), ...defs };
  return { schema: inlined, ruleMessages };
}
