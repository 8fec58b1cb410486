/**
 * JSON Schema → fast-check arbitraries, for the keywords the specs use in requests: type (and type
 * lists), enum, const, required, properties, additionalProperties, items, min/maxItems,
 * min/maxLength, pattern, propertyNames, min/maxProperties, minimum/maximum, and the combinators
 * (allOf / anyOf / oneOf / if-then / not / contains), which are honoured by checking candidates
 * against the spec itself.
 *
 * - `validValue(schema)`: values that satisfy the schema.
 * - `invalidValue(schema)`: a valid value with exactly one constraint broken, chosen at random
 *   among every constraint that applies to that value (a kind first, then a place), with a
 *   description of what was broken and where.
 *
 * No constraint is copied by hand: every number, pattern and enum comes from the schema passed in.
 */
import fc from "fast-check";
import { satisfies, type Schema } from "./spec.js";

/** Unbounded arrays and maps get at most this many entries (bounded ones reach their bound). */
const OPEN_CAP = 4;

// One UTF-16 code unit per character, so that a length in characters is a length in code units
// (what the specs count): ASCII mostly, some CJK, now and then any BMP character, controls included.
const TEXT_UNIT = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xd7ff }).map((c) => String.fromCharCode(c)) },
);
// Two UTF-16 code units each (emoji and other astral characters).
const ASTRAL_UNIT = fc.integer({ min: 0x1f300, max: 0x1faff }).map((c) => String.fromCodePoint(c));

type JsonType = "string" | "integer" | "number" | "boolean" | "null" | "array" | "object";
const ALL_TYPES: JsonType[] = ["string", "integer", "number", "boolean", "null", "array", "object"];
const COMBINATORS = ["allOf", "anyOf", "oneOf", "if", "then", "else", "not", "contains"];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

function typesOf(schema: Schema): JsonType[] | undefined {
  const t = schema.type;
  if (typeof t === "string") return [t as JsonType];
  if (Array.isArray(t)) return t as JsonType[];
  if (schema.properties || schema.additionalProperties !== undefined || schema.required || schema.propertyNames) return ["object"];
  if (schema.items || schema.minItems !== undefined || schema.maxItems !== undefined) return ["array"];
  if (schema.minLength !== undefined || schema.maxLength !== undefined || schema.pattern) return ["string"];
  return undefined;
}

function jsonTypeOf(v: unknown): JsonType {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v as JsonType;
}

const typeAllows = (types: JsonType[], v: unknown) => {
  const t = jsonTypeOf(v);
  return types.includes(t) || (t === "integer" && types.includes("number"));
};

/** The schema without its combinators (what the plain generators understand). */
function base(schema: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) if (!COMBINATORS.includes(k)) out[k] = v;
  return out;
}

const hasCombinators = (schema: Schema) => COMBINATORS.some((k) => k in schema);

interface Caps {
  /** Entries of an unbounded array or map. */
  open: number;
}

// ---------------------------------------------------------------------------------------------
// valid values

// Arbitraries are built once per schema node (building one parses patterns, and the corpus asks
// for the same nodes thousands of times).
const memo = new Map<number, WeakMap<Schema, fc.Arbitrary<unknown>>>();

export function validValue(schema: Schema | boolean, caps: Caps = { open: OPEN_CAP }): fc.Arbitrary<unknown> {
  if (schema === true) return fc.jsonValue({ maxDepth: 2 });
  if (schema === false) throw new Error("no value satisfies `false`");
  let byCaps = memo.get(caps.open);
  if (!byCaps) memo.set(caps.open, (byCaps = new WeakMap()));
  let arb = byCaps.get(schema);
  if (!arb) byCaps.set(schema, (arb = buildValid(schema, caps)));
  return arb;
}

function buildValid(schema: Schema, caps: Caps): fc.Arbitrary<unknown> {
  const plain = plainValid(base(schema), caps);
  const anyOf = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  const candidates = anyOf ? fc.oneof(...anyOf.map((branch) => plainValid(base({ ...base(schema), ...branch }), caps))) : plain;
  // allOf / if-then / not / contains: keep the candidates the whole schema accepts.
  return hasCombinators(schema) ? candidates.filter((v) => satisfies(schema, v)) : candidates;
}

function plainValid(schema: Schema, caps: Caps): fc.Arbitrary<unknown> {
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const types = typesOf(schema) ?? ALL_TYPES.filter((t) => t !== "number");
  return fc.oneof(...types.map((t) => validOfType(t, schema, caps)));
}

function validOfType(type: JsonType, schema: Schema, caps: Caps): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return validString(schema);
    case "integer":
    case "number": {
      const min = num(schema.minimum) ?? (num(schema.exclusiveMinimum) ?? -(2 ** 31) - 1) + 1;
      const max = num(schema.maximum) ?? (num(schema.exclusiveMaximum) ?? 2 ** 31) - 1;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
    }
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return validArray(schema, caps);
    case "object":
      return validObject(schema, caps);
  }
}

function lengthBounds(schema: Schema): { min: number; max: number | undefined } {
  return { min: num(schema.minLength) ?? 0, max: num(schema.maxLength) };
}

function validString(schema: Schema): fc.Arbitrary<string> {
  const { min, max } = lengthBounds(schema);
  if (typeof schema.pattern === "string") {
    const re = new RegExp(schema.pattern);
    return fc.stringMatching(re).filter((s) => s.length >= min && (max === undefined || s.length <= max));
  }
  const some = fc.string({ unit: TEXT_UNIT, minLength: min, ...(max === undefined ? {} : { maxLength: max }) });
  // The bounds themselves are where off-by-one mistakes live: hit them now and then.
  const edges = [fc.string({ unit: TEXT_UNIT, minLength: min, maxLength: min })];
  if (max !== undefined) edges.push(fc.string({ unit: TEXT_UNIT, minLength: max, maxLength: max }));
  return fc.oneof({ weight: 4, arbitrary: some }, ...edges.map((arbitrary) => ({ weight: 1, arbitrary })));
}

function validArray(schema: Schema, caps: Caps): fc.Arbitrary<unknown[]> {
  const item = validValue((schema.items as Schema | undefined) ?? true, caps);
  const min = num(schema.minItems) ?? 0;
  const max = num(schema.maxItems);
  const some = fc.array(item, { minLength: min, maxLength: Math.max(min, Math.min(max ?? caps.open, caps.open)) });
  if (max === undefined) return some;
  return fc.oneof({ weight: 4, arbitrary: some }, { weight: 1, arbitrary: fc.array(item, { minLength: max, maxLength: max }) });
}

const keyMemo = new WeakMap<Schema, fc.Arbitrary<string>>();

/** Keys for a map's extra entries: the propertyNames pattern when there is one. */
function keyArbitrary(schema: Schema): fc.Arbitrary<string> {
  let arb = keyMemo.get(schema);
  if (!arb) {
    const names = schema.propertyNames as Schema | undefined;
    arb =
      names && typeof names.pattern === "string"
        ? fc.stringMatching(new RegExp(names.pattern))
        : fc.string({ unit: TEXT_UNIT, minLength: 1, maxLength: 12 });
    keyMemo.set(schema, arb);
  }
  return arb;
}

function validObject(schema: Schema, caps: Caps): fc.Arbitrary<Record<string, unknown>> {
  const props = (schema.properties as Record<string, Schema | boolean> | undefined) ?? {};
  const required = ((schema.required as string[] | undefined) ?? []).filter((k) => k in props);
  const known = fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, validValue(s, caps)])), {
    requiredKeys: required,
    noNullPrototype: true,
  });
  const extra = schema.additionalProperties;
  if (!isObject(extra)) return known as fc.Arbitrary<Record<string, unknown>>;
  // A map (the EnOS `messageRule`): entries under the propertyNames pattern, counted by min/maxProperties.
  const minKeys = Math.max(0, (num(schema.minProperties) ?? 0) - Object.keys(props).length);
  const maxKeys = Math.max(minKeys, Math.min(num(schema.maxProperties) ?? caps.open, caps.open + minKeys) - required.length);
  const entries = fc.dictionary(
    keyArbitrary(schema).filter((k) => !(k in props)),
    validValue(extra as Schema, caps),
    { minKeys, maxKeys, noNullPrototype: true },
  );
  return fc
    .tuple(known as fc.Arbitrary<Record<string, unknown>>, entries)
    .map(([a, b]) => ({ ...b, ...a }))
    .filter((o) => {
      const n = Object.keys(o).length;
      return n >= (num(schema.minProperties) ?? 0) && n <= (num(schema.maxProperties) ?? Infinity);
    });
}

// ---------------------------------------------------------------------------------------------
// invalid values: one broken constraint

export type Segment = string | number;

/** What a mutation does to the value at its path. */
type Replacement = { value: unknown } | { remove: true };

export interface Site {
  /** Where, as segments from the root of the value. */
  path: Segment[];
  /** Which kind of constraint is broken ("too long", "missing required", …). */
  kind: string;
  /** The keyword of the schema it breaks. */
  keyword: string;
  replacement: fc.Arbitrary<Replacement>;
}

export interface Broken {
  value: unknown;
  kind: string;
  keyword: string;
  path: Segment[];
}

// Values of every JSON type, for "wrong type": each site uses those its schema does not allow.
const TYPE_SAMPLES: unknown[] = [0, 7, -1, 2.5, "", "text", "42", true, false, null, [], ["x"], [1], {}, { k: "v" }];

/** Every constraint that applies to `value` under `schema`, as a way to break it. */
export function sites(schema: Schema | boolean, value: unknown, path: Segment[] = []): Site[] {
  if (typeof schema === "boolean" || value === undefined) return [];
  const at = (list: Array<Omit<Site, "path">>) => list.map((s) => ({ ...s, path }));
  const own = nodeSites(schema);
  const out: Site[] = at(own.always);
  if (typeof value === "string") out.push(...at(own.string));
  if (typeof value === "number") out.push(...at(own.number));
  if (Array.isArray(value)) out.push(...arraySites(schema, value, path));
  if (isObject(value)) out.push(...objectSites(schema, value, path));
  return out;
}

interface NodeSites {
  /** Whatever the value: wrong type, outside the enum, a cross-field rule. */
  always: Array<Omit<Site, "path">>;
  string: Array<Omit<Site, "path">>;
  number: Array<Omit<Site, "path">>;
}

const nodeMemo = new WeakMap<Schema, NodeSites>();

/** The ways to break a node that do not depend on its current value (built once per node). */
function nodeSites(schema: Schema): NodeSites {
  const cached = nodeMemo.get(schema);
  if (cached) return cached;
  const always: Array<Omit<Site, "path">> = [];
  const types = typesOf(schema);
  if (types) {
    const wrong = TYPE_SAMPLES.filter((v) => !typeAllows(types, v));
    if (wrong.length)
      always.push({ kind: "wrong type", keyword: "type", replacement: fc.constantFrom(...wrong).map((v) => ({ value: v })) });
  }
  if (Array.isArray(schema.enum) || "const" in schema) {
    const allowed = Array.isArray(schema.enum) ? (schema.enum as unknown[]) : [schema.const];
    const sameType = types ?? [jsonTypeOf(allowed[0])];
    const outside = fc
      .oneof(
        ...sameType
          .filter((t) => t === "string" || t === "integer" || t === "boolean")
          .map((t) => (t === "string" ? fc.string({ unit: TEXT_UNIT, maxLength: 12 }) : t === "integer" ? fc.integer() : fc.boolean())),
      )
      .filter((v) => !allowed.some((a) => a === v));
    const isEnum = Array.isArray(schema.enum);
    always.push({
      kind: isEnum ? "outside enum" : "not the const",
      keyword: isEnum ? "enum" : "const",
      replacement: outside.map((v) => ({ value: v })),
    });
  }
  // A cross-field rule (if/then, allOf, anyOf…): a value that keeps every plain constraint of
  // this node and breaks the rule.
  const breaking = ruleBreaker(schema);
  if (breaking) always.push({ kind: "cross-field rule broken", keyword: "rule", replacement: breaking.map((v) => ({ value: v })) });

  const number: Array<Omit<Site, "path">> = [];
  const min = num(schema.minimum);
  const max = num(schema.maximum);
  if (min !== undefined)
    number.push({
      kind: "below minimum",
      keyword: "minimum",
      replacement: fc.integer({ min: 1, max: 1000 }).map((d) => ({ value: min - d })),
    });
  if (max !== undefined)
    number.push({
      kind: "above maximum",
      keyword: "maximum",
      replacement: fc.integer({ min: 1, max: 1000 }).map((d) => ({ value: max + d })),
    });

  const result = { always, string: buildStringSites(schema), number };
  nodeMemo.set(schema, result);
  return result;
}

const ruleBreakers = new WeakMap<Schema, fc.Arbitrary<unknown> | null>();

/** Values that keep a node's plain constraints and break its combinators; null when it has none. */
function ruleBreaker(schema: Schema): fc.Arbitrary<unknown> | null {
  if (!hasCombinators(schema)) return null;
  let arb = ruleBreakers.get(schema);
  if (arb === undefined) {
    const plain = base(schema);
    // Wider arrays than usual: some rules only bite past a count (EnOS: more than 6 rules).
    arb = plainValid(plain, { open: 10 }).filter((v) => satisfies(plain, v) && !satisfies(schema, v));
    ruleBreakers.set(schema, arb);
  }
  return arb;
}

function buildStringSites(schema: Schema): Array<Omit<Site, "path">> {
  const out: Array<Omit<Site, "path">> = [];
  const { min, max } = lengthBounds(schema);
  const pattern = typeof schema.pattern === "string" ? new RegExp(schema.pattern) : undefined;
  const add = (kind: string, keyword: string, arb: fc.Arbitrary<string>) =>
    out.push({ kind, keyword, replacement: arb.map((value) => ({ value })) });
  if (min > 0) add("too short", "minLength", fc.string({ unit: TEXT_UNIT, maxLength: min - 1 }));
  if (max !== undefined) {
    if (pattern) {
      // Longer than allowed and still matching the pattern, when the pattern can grow that far.
      if (canExceed(pattern, max))
        add(
          "too long",
          "maxLength",
          fc.stringMatching(pattern, { size: "medium" }).filter((s) => s.length > max),
        );
    } else {
      add("too long", "maxLength", fc.string({ unit: TEXT_UNIT, minLength: max + 1, maxLength: max + 20 }));
      // Within the limit in code points, over it in UTF-16 code units (how the vendors count).
      if (max >= 2) {
        const n = Math.floor(max / 2) + 1;
        add("too long in UTF-16 units", "maxLength", fc.string({ unit: ASTRAL_UNIT, minLength: n, maxLength: Math.min(max, n + 5) }));
      }
    }
  }
  if (pattern) {
    add(
      "pattern mismatch",
      "pattern",
      fc.string({ unit: TEXT_UNIT, minLength: min, maxLength: max ?? min + 40 }).filter((s) => !pattern.test(s)),
    );
  }
  return out;
}

const growth = new Map<string, boolean>();

function canExceed(pattern: RegExp, max: number): boolean {
  const key = `${pattern.source}|${max}`;
  let can = growth.get(key);
  if (can === undefined) {
    can = fc.sample(fc.stringMatching(pattern, { size: "medium" }), { numRuns: 300, seed: 1 }).some((s) => s.length > max);
    growth.set(key, can);
  }
  return can;
}

function arraySites(schema: Schema, value: unknown[], path: Segment[]): Site[] {
  const out: Site[] = [];
  const itemSchema = (schema.items as Schema | undefined) ?? true;
  const min = num(schema.minItems);
  const max = num(schema.maxItems);
  if (min !== undefined && min > 0) {
    out.push({
      path,
      kind: "too few items",
      keyword: "minItems",
      replacement: fc.integer({ min: 0, max: min - 1 }).map((n) => ({ value: value.slice(0, n) })),
    });
  }
  if (max !== undefined) {
    const more = fc.array(validValue(itemSchema), { minLength: max + 1 - value.length, maxLength: max + 3 - value.length });
    out.push({ path, kind: "too many items", keyword: "maxItems", replacement: more.map((extra) => ({ value: [...value, ...extra] })) });
  }
  value.forEach((item, i) => out.push(...sites(itemSchema, item, [...path, i])));
  return out;
}

function objectSites(schema: Schema, value: Record<string, unknown>, path: Segment[]): Site[] {
  const out: Site[] = [];
  const props = (schema.properties as Record<string, Schema | boolean> | undefined) ?? {};
  const extra = schema.additionalProperties;
  const names = schema.propertyNames as Schema | undefined;
  const namePattern = names && typeof names.pattern === "string" ? new RegExp(names.pattern) : undefined;
  const count = Object.keys(value).length;
  const add = (kind: string, keyword: string, replacement: fc.Arbitrary<Replacement>, at: Segment[] = path) =>
    out.push({ path: at, kind, keyword, replacement });

  for (const key of (schema.required as string[] | undefined) ?? []) {
    if (key in value) add("missing required", "required", fc.constant({ remove: true }), [...path, key]);
  }
  if (extra === false) {
    const unknown = fc
      .tuple(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/), fc.jsonValue({ maxDepth: 1 }))
      .filter(([k]) => !(k in props) && !(k in value));
    add(
      "unknown field",
      "additionalProperties",
      unknown.map(([k, v]) => ({ value: { ...value, [k]: v } })),
    );
  }
  if (namePattern && isObject(extra)) {
    const entryValue = validValue(extra as Schema);
    const badKey = fc.string({ unit: TEXT_UNIT, maxLength: 12 }).filter((k) => !namePattern.test(k) && !(k in value) && !(k in props));
    add(
      "key not allowed",
      "propertyNames",
      fc.tuple(badKey, entryValue).map(([k, v]) => ({ value: { ...value, [k]: v } })),
    );
  }
  const maxP = num(schema.maxProperties);
  if (maxP !== undefined && isObject(extra)) {
    const entries = fc.dictionary(
      keyArbitrary(schema).filter((k) => !(k in value)),
      validValue(extra as Schema),
      {
        minKeys: maxP + 1 - count,
        maxKeys: maxP + 3 - count,
        noNullPrototype: true,
      },
    );
    add(
      "too many entries",
      "maxProperties",
      entries.map((more) => ({ value: { ...value, ...more } })),
    );
  }
  const minP = num(schema.minProperties);
  if (minP !== undefined && minP > 0) {
    const keys = Object.keys(value);
    add(
      "too few entries",
      "minProperties",
      fc.integer({ min: 0, max: minP - 1 }).map((n) => ({ value: Object.fromEntries(keys.slice(0, n).map((k) => [k, value[k]])) })),
    );
  }
  for (const [key, v] of Object.entries(value)) {
    const sub = key in props ? props[key]! : isObject(extra) ? (extra as Schema) : undefined;
    if (sub !== undefined) out.push(...sites(sub, v, [...path, key]));
  }
  return out;
}

/** A copy of `root` with the value at `path` replaced or removed. */
export function applyAt(root: unknown, path: Segment[], replacement: Replacement): unknown {
  if (path.length === 0) {
    if ("remove" in replacement) throw new Error("cannot remove the root");
    return replacement.value;
  }
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[head as number] = applyAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(root as Record<string, unknown>) };
  if (rest.length === 0 && "remove" in replacement) delete copy[head as string];
  else copy[head as string] = applyAt(copy[head as string], rest, replacement);
  return copy;
}

/**
 * Valid values of `schema` with one constraint broken. Kinds are drawn evenly (then the place), so
 * rare kinds (a cross-field rule) are as well covered as common ones (a wrong type).
 */
export function invalidValue(schema: Schema, keep: (site: Site) => boolean = () => true): fc.Arbitrary<Broken> {
  return validValue(schema).chain((valid) => {
    const all = sites(schema, valid).filter(keep);
    if (all.length === 0) throw new Error("no constraint applies to this value");
    const kinds = [...new Set(all.map((s) => s.kind))];
    return fc
      .constantFrom(...kinds)
      .chain((kind) =>
        fc
          .constantFrom(...all.filter((s) => s.kind === kind))
          .chain((site) =>
            site.replacement.map((r) => ({ value: applyAt(valid, site.path, r), kind: site.kind, keyword: site.keyword, path: site.path })),
          ),
      );
  });
}
