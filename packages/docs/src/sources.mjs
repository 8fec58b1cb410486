/**
 * Citations. Every source a page shows must be something a reader can open: a vendor's public
 * documentation page or a public repository file at a commit. Files of this repository's authors
 * (their research notes and seed copies) are not: the build fails on any page that names one.
 */
import { escapeHtml } from "./site.mjs";

/** Paths of the authors' own files, which no reader has. */
export const INTERNAL_SOURCE = /vendor[- ]notes|shared\/seeds|\.\.\/shared\/|\b[\w-]+\.txt\b|\b[\w-]+\.md §/gi;

/** Where a page names an internal file: `["…context…", …]`. */
export function internalSources(html) {
  return [...html.matchAll(INTERNAL_SOURCE)].map((m) => html.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40).replace(/\s+/g, " "));
}

/** A source as HTML: a URL becomes a link (shown without its scheme), anything else stays text. */
export function sourceHtml(source) {
  const s = String(source).trim();
  if (/^https?:\/\/\S+$/.test(s)) return `<a href="${escapeHtml(s)}">${escapeHtml(s.replace(/^https?:\/\//, ""))}</a>`;
  return escapeHtml(s).replace(/https?:\/\/[^\s,;)]+/g, (u) => `<a href="${u}">${u.replace(/^https?:\/\//, "")}</a>`);
}
