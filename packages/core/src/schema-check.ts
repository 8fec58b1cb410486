import { isJsonObject } from "./json.js";
import type { GeneratedValidator, SchemaError } from "./validation.js";

/**
 * A small JSON Schema (2020-12 subset) checker for the schemas the generator writes from the
 * specs. The generator used to emit Ajv standalone code; a schema table read by this ~1 kB
 * interpreter carries the same constraints in a fraction of the bundle. A first pass only says
 * valid or not (the hot path); a second pass, on failure only, collects Ajv-shaped errors
 * (instancePath, schemaPath, keyword, params) so messages and rule sentences stay the same.
 * Lengths count UTF-16 code units, as the vendors' Java servers do.
 * The keywords it checks are listed in scripts/generate/schema-tools.mjs (CHECKED_KEYWORDS): the
 * generator refuses a spec that uses any other, so no constraint is ever dropped unnoticed. A new
 * keyword goes in both places, with a case in test/schema-check.test.ts against Ajv.
 */
export type Schema = boolean | { readonly [keyword: string]: any };

function typeOk(type: string, v: unknown): boolean {
  switch (type) {
    case "string":
      return typeof v === "string";
    case "integer":
      return Number.isInteger(v);
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "boolean":
      return typeof v === "boolean";
    case "null":
      return v === null;
    case "array":
      return Array.isArray(v);
    case "object":
      return isJsonObject(v);
    default:
      return true;
  }
}

/** JSON equality as Ajv has it (key order does not matter; NaN equals NaN), for enum, const, uniqueItems. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (!Object.hasOwn(b, key) || !equal((a as any)[key], (b as any)[key])) return false;
  return true;
}

/** The first pair of equal items, later index first (Ajv's `{ i, j }`), or undefined when all differ. */
function duplicate(items: readonly unknown[]): { i: number; j: number } | undefined {
  for (let i = items.length - 1; i > 0; i--) for (let j = i - 1; j >= 0; j--) if (equal(items[i], items[j])) return { i, j };
  return undefined;
}

// Exact for the quotients a spec's limits allow; Ajv's parseInt test agrees below 1e21.
const multipleOf = (n: number, divisor: number) => Number.isInteger(n / divisor);

const patterns = new Map<string, RegExp>();
const regex = (p: string) => {
  let re = patterns.get(p);
  if (!re) patterns.set(p, (re = new RegExp(p, "u")));
  return re;
};

type Emit = ((keyword: string, params: Record<string, unknown>, ip: string, sp: string) => void) | undefined;

const child = (emit: Emit, path: string, segment: string | number) => (emit ? `${path}/${segment}` : "");

/**
 * Check `data` against `s`. Without `emit` (the hot path) it allocates nothing and stops at the
 * first failure; with it, it visits everything and reports each failing keyword, like Ajv's
 * allErrors. Each check below reads: if it fails, stop (fast pass) or report and go on.
 */
function check(s: Schema, data: unknown, root: Schema, emit: Emit, ip: string, sp: string): boolean {
  if (s === true) return true;
  if (s === false) {
    emit?.("false schema", {}, ip, sp);
    return false;
  }
  let ok = true;
  if (s.$ref !== undefined) {
    const name = String(s.$ref).slice(8); // "#/$defs/".length
    if (!check((root as any).$defs[name], data, root, emit, ip, `#/$defs/${name}`)) {
      if (!emit) return false;
      ok = false;
    }
  }
  if (s.type !== undefined) {
    let typed = false;
    if (typeof s.type === "string") typed = typeOk(s.type, data);
    else for (let i = 0; i < s.type.length && !typed; i++) typed = typeOk(s.type[i], data);
    if (!typed) {
      if (!emit) return false;
      ok = false;
      emit("type", { type: String(s.type) }, ip, `${sp}/type`);
    }
  }
  if (s.enum !== undefined) {
    let found = false;
    for (let i = 0; i < s.enum.length && !found; i++) found = equal(s.enum[i], data);
    if (!found) {
      if (!emit) return false;
      ok = false;
      emit("enum", { allowedValues: s.enum }, ip, `${sp}/enum`);
    }
  }
  if (s.const !== undefined && !equal(s.const, data)) {
    if (!emit) return false;
    ok = false;
    emit("const", { allowedValue: s.const }, ip, `${sp}/const`);
  }

  if (typeof data === "string") {
    if (s.maxLength !== undefined && data.length > s.maxLength) {
      if (!emit) return false;
      ok = false;
      emit("maxLength", { limit: s.maxLength }, ip, `${sp}/maxLength`);
    }
    if (s.minLength !== undefined && data.length < s.minLength) {
      if (!emit) return false;
      ok = false;
      emit("minLength", { limit: s.minLength }, ip, `${sp}/minLength`);
    }
    if (s.pattern !== undefined && !regex(s.pattern).test(data)) {
      if (!emit) return false;
      ok = false;
      emit("pattern", { pattern: s.pattern }, ip, `${sp}/pattern`);
    }
  } else if (typeof data === "number") {
    if (s.maximum !== undefined && data > s.maximum) {
      if (!emit) return false;
      ok = false;
      emit("maximum", { comparison: "<=", limit: s.maximum }, ip, `${sp}/maximum`);
    }
    if (s.minimum !== undefined && data < s.minimum) {
      if (!emit) return false;
      ok = false;
      emit("minimum", { comparison: ">=", limit: s.minimum }, ip, `${sp}/minimum`);
    }
    if (s.exclusiveMaximum !== undefined && data >= s.exclusiveMaximum) {
      if (!emit) return false;
      ok = false;
      emit("exclusiveMaximum", { comparison: "<", limit: s.exclusiveMaximum }, ip, `${sp}/exclusiveMaximum`);
    }
    if (s.exclusiveMinimum !== undefined && data <= s.exclusiveMinimum) {
      if (!emit) return false;
      ok = false;
      emit("exclusiveMinimum", { comparison: ">", limit: s.exclusiveMinimum }, ip, `${sp}/exclusiveMinimum`);
    }
    if (s.multipleOf !== undefined && !multipleOf(data, s.multipleOf)) {
      if (!emit) return false;
      ok = false;
      emit("multipleOf", { multipleOf: s.multipleOf }, ip, `${sp}/multipleOf`);
    }
  } else if (Array.isArray(data)) {
    if (s.maxItems !== undefined && data.length > s.maxItems) {
      if (!emit) return false;
      ok = false;
      emit("maxItems", { limit: s.maxItems }, ip, `${sp}/maxItems`);
    }
    if (s.minItems !== undefined && data.length < s.minItems) {
      if (!emit) return false;
      ok = false;
      emit("minItems", { limit: s.minItems }, ip, `${sp}/minItems`);
    }
    if (s.uniqueItems === true) {
      const pair = duplicate(data);
      if (pair) {
        if (!emit) return false;
        ok = false;
        emit("uniqueItems", pair, ip, `${sp}/uniqueItems`);
      }
    }
    if (s.items !== undefined) {
      for (let i = 0; i < data.length; i++) {
        if (!check(s.items, data[i], root, emit, child(emit, ip, i), child(emit, sp, "items"))) {
          if (!emit) return false;
          ok = false;
        }
      }
    }
    if (s.contains !== undefined) {
      let found = false;
      for (let i = 0; i < data.length && !found; i++) found = check(s.contains, data[i], root, undefined, "", "");
      if (!found) {
        if (!emit) return false;
        ok = false;
        emit("contains", {}, ip, `${sp}/contains`);
      }
    }
  } else if (isJsonObject(data)) {
    if (s.maxProperties !== undefined || s.minProperties !== undefined) {
      const n = Object.keys(data).length;
      if (s.maxProperties !== undefined && n > s.maxProperties) {
        if (!emit) return false;
        ok = false;
        emit("maxProperties", { limit: s.maxProperties }, ip, `${sp}/maxProperties`);
      }
      if (s.minProperties !== undefined && n < s.minProperties) {
        if (!emit) return false;
        ok = false;
        emit("minProperties", { limit: s.minProperties }, ip, `${sp}/minProperties`);
      }
    }
    if (s.required !== undefined) {
      for (let i = 0; i < s.required.length; i++) {
        if (data[s.required[i]] === undefined) {
          if (!emit) return false;
          ok = false;
          emit("required", { missingProperty: s.required[i] }, ip, `${sp}/required`);
        }
      }
    }
    const props = s.properties as Record<string, Schema> | undefined;
    const extra = s.additionalProperties;
    const names = s.propertyNames;
    for (const key in data) {
      const value = data[key];
      const sub = props === undefined ? undefined : props[key];
      if (sub !== undefined) {
        if (value !== undefined && !check(sub, value, root, emit, child(emit, ip, key), child(emit, sp, `properties/${key}`))) {
          if (!emit) return false;
          ok = false;
        }
      } else if (extra === false) {
        if (!emit) return false;
        ok = false;
        emit("additionalProperties", { additionalProperty: key }, ip, `${sp}/additionalProperties`);
      } else if (extra !== undefined && !check(extra, value, root, emit, child(emit, ip, key), child(emit, sp, "additionalProperties"))) {
        if (!emit) return false;
        ok = false;
      }
      if (names !== undefined && !check(names, key, root, undefined, "", "")) {
        if (!emit) return false;
        ok = false;
        emit("propertyNames", { propertyName: key }, ip, `${sp}/propertyNames`);
      }
    }
  }

  if (s.allOf !== undefined) {
    for (let i = 0; i < s.allOf.length; i++) {
      if (!check(s.allOf[i], data, root, emit, ip, child(emit, sp, `allOf/${i}`))) {
        if (!emit) return false;
        ok = false;
      }
    }
  }
  if (s.anyOf !== undefined) {
    let any = false;
    for (let i = 0; i < s.anyOf.length && !any; i++) any = check(s.anyOf[i], data, root, undefined, "", "");
    if (!any) {
      if (!emit) return false;
      ok = false;
      for (let i = 0; i < s.anyOf.length; i++) check(s.anyOf[i], data, root, emit, ip, `${sp}/anyOf/${i}`);
      emit("anyOf", {}, ip, `${sp}/anyOf`);
    }
  }
  if (s.oneOf !== undefined) {
    let passing = 0;
    for (let i = 0; i < s.oneOf.length; i++) if (check(s.oneOf[i], data, root, undefined, "", "")) passing++;
    if (passing !== 1) {
      if (!emit) return false;
      ok = false;
      if (passing === 0) for (let i = 0; i < s.oneOf.length; i++) check(s.oneOf[i], data, root, emit, ip, `${sp}/oneOf/${i}`);
      emit("oneOf", { passingSchemas: passing === 0 ? null : passing }, ip, `${sp}/oneOf`);
    }
  }
  if (s.not !== undefined && check(s.not, data, root, undefined, "", "")) {
    if (!emit) return false;
    ok = false;
    emit("not", {}, ip, `${sp}/not`);
  }
  if (s.if !== undefined) {
    const branch = check(s.if, data, root, undefined, "", "") ? "then" : "else";
    if (s[branch] !== undefined && !check(s[branch], data, root, emit, ip, child(emit, sp, branch))) {
      if (!emit) return false;
      ok = false;
      emit("if", { failingKeyword: branch }, ip, `${sp}/if`);
    }
  }
  if (s.dependentRequired !== undefined && isJsonObject(data)) {
    for (const key in s.dependentRequired) {
      if (data[key] === undefined) continue;
      for (const dep of s.dependentRequired[key] as string[]) {
        if (data[dep] === undefined) {
          if (!emit) return false;
          ok = false;
          emit("dependentRequired", { property: key, missingProperty: dep }, ip, `${sp}/dependentRequired`);
        }
      }
    }
  }
  return ok;
}

type Check = (data: unknown) => boolean;

const all = (checks: Check[]): Check => {
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0]!;
  return (d) => {
    for (let i = 0; i < checks.length; i++) if (!checks[i]!(d)) return false;
    return true;
  };
};

/**
 * The hot path: a schema node compiled once into closures holding only the checks it has, so a
 * valid request costs a few property reads per field (an interpreter probing every keyword of
 * every node was 5-10x slower on EnOS's nested rules).
 */
function compileNode(s: Schema, root: Schema): Check {
  if (s === true) return () => true;
  if (s === false) return () => false;
  const checks: Check[] = [];
  if (s.$ref !== undefined) {
    const name = String(s.$ref).slice(8);
    let target: Check | undefined; // compiled on first use: recursive schemas refer to themselves
    checks.push((d) => (target ??= compileNode((root as any).$defs[name], root))(d));
  }
  if (s.type !== undefined) {
    const types: string[] = typeof s.type === "string" ? [s.type] : s.type;
    const [first, second] = types as [string, string | undefined];
    checks.push(
      types.length === 1
        ? (d) => typeOk(first, d)
        : types.length === 2
          ? (d) => typeOk(first, d) || typeOk(second!, d)
          : (d) => types.some((t) => typeOk(t, d)),
    );
  }
  if (s.enum !== undefined) {
    const values: unknown[] = s.enum;
    checks.push((d) => {
      for (let i = 0; i < values.length; i++) if (equal(values[i], d)) return true;
      return false;
    });
  }
  if (s.const !== undefined) checks.push((d) => equal(s.const, d));
  const { maxLength, minLength, pattern } = s;
  if (maxLength !== undefined || minLength !== undefined || pattern !== undefined) {
    const re = pattern === undefined ? undefined : regex(pattern);
    checks.push(
      (d) =>
        typeof d !== "string" ||
        ((maxLength === undefined || d.length <= maxLength) &&
          (minLength === undefined || d.length >= minLength) &&
          (re === undefined || re.test(d))),
    );
  }
  const { maximum, minimum, exclusiveMaximum, exclusiveMinimum } = s;
  if (maximum !== undefined || minimum !== undefined) {
    checks.push((d) => typeof d !== "number" || ((maximum === undefined || d <= maximum) && (minimum === undefined || d >= minimum)));
  }
  if (exclusiveMaximum !== undefined || exclusiveMinimum !== undefined) {
    checks.push(
      (d) =>
        typeof d !== "number" ||
        ((exclusiveMaximum === undefined || d < exclusiveMaximum) && (exclusiveMinimum === undefined || d > exclusiveMinimum)),
    );
  }
  if (s.multipleOf !== undefined) checks.push((d) => typeof d !== "number" || multipleOf(d, s.multipleOf));
  const { maxItems, minItems } = s;
  const unique = s.uniqueItems === true;
  const items = s.items === undefined ? undefined : compileNode(s.items, root);
  const contains = s.contains === undefined ? undefined : compileNode(s.contains, root);
  if (maxItems !== undefined || minItems !== undefined || unique || items || contains) {
    checks.push((d) => {
      if (!Array.isArray(d)) return true;
      if ((maxItems !== undefined && d.length > maxItems) || (minItems !== undefined && d.length < minItems)) return false;
      if (unique && duplicate(d)) return false;
      if (items) for (let i = 0; i < d.length; i++) if (!items(d[i])) return false;
      return !contains || d.some(contains);
    });
  }
  const { required, maxProperties, minProperties } = s;
  // The schema's own properties are walked from a list (each closure sees one object shape); data
  // keys are only walked when something must be said about every key: an unknown-key rule, a
  // schema for extra values, propertyNames, or a key count.
  const props: Array<[string, Check]> = Object.keys(s.properties ?? {}).map((key) => [key, compileNode(s.properties[key], root)]);
  const known = new Set(props.map(([key]) => key));
  const extra =
    s.additionalProperties === undefined || s.additionalProperties === false
      ? s.additionalProperties
      : compileNode(s.additionalProperties, root);
  const names = s.propertyNames === undefined ? undefined : compileNode(s.propertyNames, root);
  const walkKeys = extra !== undefined || names !== undefined || maxProperties !== undefined || minProperties !== undefined;
  if (required || props.length || walkKeys) {
    checks.push((d) => {
      if (!isJsonObject(d)) return true;
      if (required) for (let i = 0; i < required.length; i++) if (d[required[i]] === undefined) return false;
      let present = 0;
      for (let i = 0; i < props.length; i++) {
        const [key, check] = props[i]!;
        if (!(key in d)) continue;
        present++;
        const value = d[key];
        if (value !== undefined && !check(value)) return false;
      }
      if (!walkKeys) return true;
      let n = 0;
      for (const key in d) {
        n++;
        if (names && !names(key)) return false;
        if (typeof extra === "function" && !known.has(key) && !extra(d[key])) return false;
      }
      if (extra === false && n > present) return false; // a key the schema does not list
      return (maxProperties === undefined || n <= maxProperties) && (minProperties === undefined || n >= minProperties);
    });
  }
  if (s.allOf !== undefined) checks.push(all((s.allOf as Schema[]).map((x) => compileNode(x, root))));
  if (s.anyOf !== undefined) {
    const branches = (s.anyOf as Schema[]).map((x) => compileNode(x, root));
    checks.push((d) => {
      for (let i = 0; i < branches.length; i++) if (branches[i]!(d)) return true;
      return false;
    });
  }
  if (s.oneOf !== undefined) {
    const branches = (s.oneOf as Schema[]).map((x) => compileNode(x, root));
    checks.push((d) => {
      let passing = 0;
      for (let i = 0; i < branches.length; i++) if (branches[i]!(d) && ++passing > 1) return false;
      return passing === 1;
    });
  }
  if (s.not !== undefined) {
    const not = compileNode(s.not, root);
    checks.push((d) => !not(d));
  }
  if (s.if !== undefined) {
    const cond = compileNode(s.if, root);
    const then = s.then === undefined ? undefined : compileNode(s.then, root);
    const otherwise = s.else === undefined ? undefined : compileNode(s.else, root);
    checks.push((d) => (cond(d) ? !then || then(d) : !otherwise || otherwise(d)));
  }
  if (s.dependentRequired !== undefined) {
    const deps = Object.entries(s.dependentRequired as Record<string, string[]>);
    checks.push((d) => !isJsonObject(d) || deps.every(([k, list]) => d[k] === undefined || list.every((x) => d[x] !== undefined)));
  }
  return all(checks);
}

/**
 * Turn a generated schema into a validator with Ajv's interface: `(data) => boolean`, `.errors`.
 * Compiled on first use, so importing a vendor package costs nothing for operations not called.
 */
export function compileSchema(schema: Schema): GeneratedValidator {
  let fast: Check | undefined;
  const validate = ((data: unknown) => {
    if ((fast ??= compileNode(schema, schema))(data)) {
      validate.errors = null;
      return true;
    }
    const errors: SchemaError[] = [];
    check(
      schema,
      data,
      schema,
      (keyword, params, instancePath, schemaPath) => void errors.push({ instancePath, schemaPath, keyword, params }),
      "",
      "#",
    );
    validate.errors = errors;
    return false;
  }) as GeneratedValidator;
  return validate;
}
