/**
 * The error-code reference: every `x-error-codes` entry of every operation of a spec, merged per
 * code (a code listed by several operations is one entry that names them all), in spec order.
 * Nothing here is written by hand: code, status, meanings, sources and the vendor's Chinese text
 * (`message_zh`) come from the spec; what the client does with a code comes from running it
 * (client-behaviour.mjs).
 */

/** The page that holds every vendor's error codes. */
export const ERRORS_PAGE = "errors.html";

/** Where a code arrives, in words. */
export function arrival(entry) {
  if (entry.arrivesAt === "poll") return `HTTP ${entry.status}, on the poll of the job`;
  if (entry.status === 200) return "HTTP 200, in-band";
  return `HTTP ${entry.status}`;
}

/** Every code of a vendor: `{ code, status, meaning, meaningZh, sources, operations: [{operationId, arrivesAt, meaning}] }`. */
export function errorCodesOf(vendor) {
  const byCode = new Map();
  for (const o of vendor.operations) {
    for (const c of o.operation["x-error-codes"] ?? []) {
      const code = String(c.code).trim();
      let entry = byCode.get(code);
      if (!entry) {
        entry = { code, status: c.status, meaning: c.meaning ?? "", meaningZh: c.message_zh, sources: [], operations: [] };
        byCode.set(code, entry);
      }
      entry.meaningZh ??= c.message_zh;
      // A source may name several files ("a; b"): each is listed once per code.
      for (const part of String(c.source ?? "").split(/;\s+/))
        if (part.trim() && !entry.sources.includes(part.trim())) entry.sources.push(part.trim());
      entry.operations.push({
        operationId: o.operationId,
        route: o.route,
        status: c.status,
        arrivesAt: c.arrivesAt,
        meaning: c.meaning ?? "",
        entry: c,
      });
    }
  }
  return [...byCode.values()];
}

/**
 * The HTML id of a code's row: the code itself (`#NOTICE.0004`, `#31602`), unless another vendor
 * documents the same code, then `<vendor>-<code>`.
 */
export function anchorIds(site) {
  const owners = new Map();
  for (const v of site) for (const e of errorCodesOf(v)) owners.set(e.code, [...(owners.get(e.code) ?? []), v.key]);
  return (vendorKey, code) => ((owners.get(code)?.length ?? 0) > 1 ? `${vendorKey}-${code}` : code);
}
