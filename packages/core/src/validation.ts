import { ValidationError, type ErrorContext, type Violation } from "./errors.js";
import { isSecretKey } from "./redact.js";

/** The error objects of an Ajv standalone validator (generated with `messages: false`). */
export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** A validator written by the generator into `src/generated/validators.ts`. */
export type GeneratedValidator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/**
 * Readable sentences for cross-field rules, keyed by the schema path of the rule
 * (`x-rule-message` in the spec), so that an `if`/`anyOf` failure reads as the vendor's rule
 * rather than as a list of JSON Schema branches.
 */
export type RuleMessages = Readonly<Record<string, string>>;

/** Run a generated validator; an empty list means valid. */
export function collectViolations(validate: GeneratedValidator, data: unknown, ruleMessages: RuleMessages = {}): Violation[] {
  if (validate(data)) return [];
  const violations: Violation[] = [];
  const claimed = new Set<string>();
  for (const err of validate.errors ?? []) {
    if (err.keyword === "if") continue; // its failing `then` branch is reported (a rule message matches both)
    const rule = ruleFor(err.schemaPath, ruleMessages);
    if (rule) {
      // One rule is often spread over several keywords (`if` and `then`): report it once.
      if (claimed.has(rule.message + err.instancePath)) continue;
      claimed.add(rule.message + err.instancePath);
      // A worded pattern keeps its keyword; a cross-field rule spans several, so it is just "rule".
      const keyword = rule.path.endsWith("/pattern") || rule.path.endsWith("/propertyNames") ? err.keyword : "rule";
      violations.push({
        path: toDotted(err.instancePath) || "(request)",
        rule: keyword,
        message: `${label(err.instancePath)}${rule.message}`,
      });
      continue;
    }
    violations.push(describe(err, data));
  }
  return violations;
}

/** Throw a ValidationError listing every violation; nothing is sent. */
export function assertValid(
  validate: GeneratedValidator,
  data: unknown,
  ruleMessages: RuleMessages | undefined,
  context: ErrorContext,
): void {
  if (validate(data)) return;
  throw new ValidationError(collectViolations(validate, data, ruleMessages), context);
}

function ruleFor(schemaPath: string, messages: RuleMessages): { path: string; message: string } | undefined {
  let best: { path: string; message: string } | undefined;
  for (const path in messages) {
    if ((schemaPath === path || schemaPath.startsWith(`${path}/`)) && (!best || path.length > best.path.length)) {
      best = { path, message: messages[path]! };
    }
  }
  return best;
}

function toDotted(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

function label(pointer: string): string {
  const dotted = toDotted(pointer);
  return dotted ? `${dotted}: ` : "";
}

function at(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const seg of pointer.split("/").slice(1)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return cur;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "number" && Number.isInteger(v) ? "integer" : typeof v;
}

/** What we can say about a value without echoing it (it may be a secret or personal data). */
function sizeOf(v: unknown): string {
  if (typeof v === "string") return `${v.length} character${v.length === 1 ? "" : "s"}`;
  if (Array.isArray(v)) return `${v.length} item${v.length === 1 ? "" : "s"}`;
  if (v && typeof v === "object") {
    const n = Object.keys(v).length;
    return `${n} entr${n === 1 ? "y" : "ies"}`;
  }
  return typeName(v);
}

const plural = (n: unknown, word: string) => `${String(n)} ${word}${n === 1 ? "" : "s"}`;

function describe(err: SchemaError, data: unknown): Violation {
  const value = at(data, err.instancePath);
  const p = err.params;
  let path = err.instancePath;
  let text: string;
  switch (err.keyword) {
    case "required":
      path += `/${String(p.missingProperty)}`;
      text = "is required";
      break;
    case "additionalProperties":
      path += `/${String(p.additionalProperty)}`;
      text = "is not a field of this request (check its spelling against the vendor's docs)";
      break;
    case "maxLength":
      text = `must be at most ${plural(p.limit, "character")} (got ${sizeOf(value)})`;
      break;
    case "minLength":
      text = p.limit === 1 ? "must not be empty" : `must be at least ${plural(p.limit, "character")} (got ${sizeOf(value)})`;
      break;
    case "maxItems":
      text = `must have at most ${plural(p.limit, "item")} (got ${sizeOf(value)})`;
      break;
    case "minItems":
      text = p.limit === 1 ? "must not be empty" : `must have at least ${plural(p.limit, "item")} (got ${sizeOf(value)})`;
      break;
    case "maxProperties":
      text = `must have at most ${plural(p.limit, "entry").replace("entrys", "entries")} (got ${sizeOf(value)})`;
      break;
    case "minProperties":
      text = `must have at least ${plural(p.limit, "entry").replace("entrys", "entries")} (got ${sizeOf(value)})`;
      break;
    case "type":
      text = `must be ${String(p.type).replace(/,/g, " or ")} (got ${typeName(value)})`;
      break;
    case "enum":
      text = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}${echo(path, value)}`;
      break;
    case "const":
      text = `must be ${JSON.stringify(p.allowedValue)}${echo(path, value)}`;
      break;
    case "pattern":
      text = `must match the pattern ${String(p.pattern)} (got ${sizeOf(value)})`;
      break;
    case "propertyNames":
      path += `/${String(p.propertyName)}`;
      text = "is not an allowed key here";
      break;
    case "maximum":
    case "minimum":
    case "exclusiveMaximum":
    case "exclusiveMinimum":
      text = `must be ${String(p.comparison)} ${String(p.limit)}${echo(path, value)}`;
      break;
    case "multipleOf":
      text = `must be a multiple of ${String(p.multipleOf)}${echo(path, value)}`;
      break;
    case "uniqueItems":
      text = `must not repeat an item (items ${String(p.j)} and ${String(p.i)} are equal)`;
      break;
    case "anyOf":
    case "oneOf":
      text = "does not match any allowed form";
      break;
    case "not":
      text = "is a form that is not allowed here";
      break;
    default:
      text = `breaks the rule "${err.keyword}"`;
  }
  return { path: toDotted(path) || "(request)", rule: err.keyword, message: `${label(path) || ""}${text}` };
}

/** Short, non-secret scalars are quoted back to help the caller; anything else is not. */
function echo(pointer: string, value: unknown): string {
  const key = pointer.split("/").pop() ?? "";
  if (isSecretKey(key)) return ` (got ${typeName(value)})`;
  if ((typeof value === "string" && value.length <= 40) || typeof value === "number" || typeof value === "boolean") {
    return ` (got ${JSON.stringify(value)})`;
  }
  return ` (got ${typeName(value)})`;
}
