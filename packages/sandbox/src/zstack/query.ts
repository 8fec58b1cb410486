/**
 * The at-person query API: `q` conditions with ZStack's operators, `limit`/`start`, `count`,
 * `replyWithCount`, `sort`, `fields`; answers `{inventories, total?, schema}`.
 */
import type { SimReply, SimRequest } from "../kit/types.js";
import { inventory } from "./at-persons.js";
import type { AtPerson, ZStackContext } from "./context.js";
import { DINGTALK, fail, json, text } from "./replies.js";

const QUERYABLE = ["uuid", "phoneNumber", "endpointUuid", "createDate", "lastOpDate", "remark"] as const;

type Condition = { field: string; op: string; value: string };
const OPS = ["!?=", "!~=", "?=", "~=", "!=", ">=", "<=", "=", ">", "<"];

function parseCondition(q: string): Condition | undefined {
  const nullOp = /^([^ ]+) (is null|not null)$/.exec(q);
  if (nullOp) return { field: nullOp[1]!, op: nullOp[2]!, value: "" };
  let best: { at: number; op: string } | undefined;
  for (const op of OPS) {
    const at = q.indexOf(op);
    if (at > 0 && (!best || at < best.at || (at === best.at && op.length > best.op.length))) best = { at, op };
  }
  if (!best) return undefined;
  return { field: q.slice(0, best.at), op: best.op, value: q.slice(best.at + best.op.length) };
}

const fieldValue = (p: AtPerson, field: string): string | number | undefined => {
  switch (field) {
    case "createDate":
      return p.createdAt;
    case "lastOpDate":
      return p.lastOpAt;
    default:
      return (p as unknown as Record<string, string | undefined>)[field];
  }
};
const like = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      .replace(/%/g, ".*")
      .replace(/_/g, ".")}$`,
    "s",
  );

function matches(ctx: ZStackContext, p: AtPerson, c: Condition): boolean {
  const actual = fieldValue(p, c.field);
  if (c.op === "is null") return actual === undefined;
  if (c.op === "not null") return actual !== undefined;
  if (actual === undefined) return false;
  const isDate = typeof actual === "number";
  const cmp = (v: string) => (isDate ? (actual as number) - ctx.dates.dateValue(v) : String(actual) < v ? -1 : String(actual) > v ? 1 : 0);
  switch (c.op) {
    case "=":
      return cmp(c.value) === 0;
    case "!=":
      return cmp(c.value) !== 0;
    case ">":
      return cmp(c.value) > 0;
    case "<":
      return cmp(c.value) < 0;
    case ">=":
      return cmp(c.value) >= 0;
    case "<=":
      return cmp(c.value) <= 0;
    case "?=":
      return c.value.split(",").some((v) => cmp(v) === 0);
    case "!?=":
      return !c.value.split(",").some((v) => cmp(v) === 0);
    case "~=":
      return like(c.value).test(String(isDate ? ctx.dates.vendorDate(actual as number) : actual));
    case "!~=":
      return !like(c.value).test(String(isDate ? ctx.dates.vendorDate(actual as number) : actual));
    default:
      return false;
  }
}

export function query(ctx: ZStackContext, req: SimRequest, byUuid: string | undefined): SimReply {
  const conditions: Condition[] = [];
  for (const q of req.query.getAll("q")) {
    const c = parseCondition(q);
    if (!c) return text(400, `Invalid query string[${q}], no operator found`); // inferred text
    conditions.push(c);
  }
  const int = (name: string): number | undefined | SimReply => {
    const v = req.query.get(name);
    if (v === null) return undefined;
    if (!/^-?\d+$/.test(v.trim()) || Math.abs(Number(v)) > 2_147_483_647)
      return text(400, `Invalid query parameter[${name}], ${v} is not an integer`); // inferred
    return Number(v);
  };
  const limit = int("limit");
  if (typeof limit === "object") return limit;
  const start = int("start");
  if (typeof start === "object") return start;
  if (byUuid !== undefined) conditions.push({ field: "uuid", op: "=", value: byUuid });
  for (const c of conditions) {
    if (!(QUERYABLE as readonly string[]).includes(c.field)) {
      return fail(
        "SYS.1007",
        `condition name[${c.field}] is invalid, no such field on inventory class[${DINGTALK}.SNSDingTalkAtPersonInventory]`,
      );
    }
  }
  const bool = (name: string) => (req.query.get(name) ?? "").trim().toLowerCase() === "true";
  let list = [...ctx.store.atPersons.values()].filter((p) => conditions.every((c) => matches(ctx, p, c)));
  const sort = req.query.get("sort");
  if (sort !== null && sort.trim() !== "") {
    const s = sort.trim(); // a "+" sent unencoded arrives as a space, which is trimmed away (inferred)
    const desc = s.startsWith("-");
    const field = s.replace(/^[+-]/, "");
    if (!(QUERYABLE as readonly string[]).includes(field))
      return fail(
        "SYS.1007",
        `sort field[${field}] is invalid, no such field on inventory class[${DINGTALK}.SNSDingTalkAtPersonInventory]`,
      );
    list.sort((a, b) => {
      const x = fieldValue(a, field) ?? "";
      const y = fieldValue(b, field) ?? "";
      return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
    });
  }
  const total = list.length;
  if (bool("count")) return json(200, { total });
  list = list.slice(start ?? 0, (start ?? 0) + (limit ?? 1000));
  const fieldsParam = req.query.get("fields");
  const fields = fieldsParam
    ? fieldsParam
        .split(",")
        .map((f) => f.trim())
        .filter(Boolean)
    : undefined;
  for (const f of fields ?? []) {
    if (!(QUERYABLE as readonly string[]).includes(f))
      return fail("SYS.1007", `field[${f}] is not a field of inventory class[${DINGTALK}.SNSDingTalkAtPersonInventory]`);
  }
  const inventories = list.map((p) => {
    const inv = inventory(ctx, p);
    return fields ? Object.fromEntries(Object.entries(inv).filter(([k]) => fields.includes(k))) : inv;
  });
  const reply: Record<string, unknown> = { inventories };
  if (bool("replyWithCount")) reply.total = total;
  reply.schema = Object.fromEntries(inventories.map((_, i) => [`inventories[${i}]`, `${DINGTALK}.SNSDingTalkAtPersonInventory`]));
  return json(200, reply);
}
