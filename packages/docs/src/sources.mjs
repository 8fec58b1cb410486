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
  return [...html.matchAll(INTERNAL_SOURCE)].map((m) =>
    html.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40).replace(/\s+/g, " "),
  );
}

/**
 * What a link to a source says: for a repository file its repository, file name and commit
 * (`zstackio/zstack identity.xml @5a29293`), otherwise the address without its scheme.
 */
export function sourceLabel(url) {
  const gh = /^https:\/\/github\.com\/([^/]+\/[^/]+)\/(?:blob|tree)\/([0-9a-f]{7,40})\/?(.*)$/.exec(url);
  if (gh) return `${gh[1]} ${gh[3].split("/").pop() || gh[3] || ""} @${gh[2].slice(0, 7)}`.replace(/\s+/g, " ");
  return url.replace(/^https?:\/\//, "");
}

/** A source as HTML: every URL in it becomes a link, the rest stays text. */
export function sourceHtml(source) {
  return escapeHtml(String(source).trim()).replace(
    /https?:\/\/[^\s,;)]+/g,
    (u) => `<a href="${u}">${escapeHtml(sourceLabel(u.replace(/&amp;/g, "&")))}</a>`,
  );
}
