/**
 * The site's model, shared by the build, the tests and the e2e test: which vendors exist (the
 * repository's vendor list), what their specs say (operations, auth schemes), where each page and
 * each operation lives, and the header every page carries.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { VENDORS } from "../../../scripts/generate/vendors.mjs";

export const DOCS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = join(DOCS_DIR, "..", "..");
export const DIST_DIR = join(DOCS_DIR, "dist");
export const SAMPLES_DIR = join(DOCS_DIR, "samples");

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

/** Redoc's route slug for a tag name ("In-site notices" → "in-site-notices"). */
export function slug(text) {
  return text
    .toLowerCase()
    .replace(/\s+/g, "-")
    .replace(/&/g, "-and-")
    .replace(/[^a-z0-9-]/g, "")
    .replace(/--+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Parse one spec; aliases (`&anchor` / `*alias`) are resolved. */
export function loadSpec(vendor) {
  return parse(readFileSync(join(ROOT, vendor.spec), "utf8"), { maxAliasCount: -1 });
}

/** Every operation of a parsed spec, in spec order. */
export function operationsOf(spec) {
  const ops = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const tag = op.tags?.[0];
      ops.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? op.operationId,
        tag,
        idempotent: op["x-signalbridge-idempotent"] ?? ["GET", "HEAD", "DELETE"].includes(method.toUpperCase()),
        async: Boolean(op["x-signalbridge-async"]),
        // Redoc 3's hash route of the operation: #/<tag slug>/<operationId, lowercased>.
        route: `${tag ? `/${slug(tag)}` : ""}/${String(op.operationId).toLowerCase()}`,
        operation: op,
      });
    }
  }
  return ops;
}

/** The site's pages: the landing page plus one reference page per vendor spec. */
export function sitePages() {
  return [
    { key: "index", file: "index.html", title: "Overview" },
    ...VENDORS.map((v) => ({ key: v.key, file: `${v.key}.html`, title: v.name, vendor: v })),
    { key: "errors", file: "errors.html", title: "Error codes" },
  ];
}

/** Everything the pages and tests need about the vendors, read from the specs. */
export function loadSite() {
  return VENDORS.map((vendor) => {
    const spec = loadSpec(vendor);
    return {
      ...vendor, // key, name, spec (the file, e.g. "specs/zstack.yaml"), packageName, …
      page: `${vendor.key}.html`,
      doc: spec,
      openapi: spec.openapi,
      title: spec.info?.title ?? vendor.name,
      version: spec.info?.version,
      summary: spec.info?.summary ?? "",
      operations: operationsOf(spec),
      securitySchemes: spec.components?.securitySchemes ?? {},
    };
  });
}

/** The sample file of an operation (or of an overview usage example). */
export function samplePath(vendorKey, name) {
  return join(SAMPLES_DIR, vendorKey, `${name}.ts`);
}

/** Operations without a sample file, and sample files that name no operation. */
export function sampleCoverage(site) {
  const missing = [];
  const orphans = [];
  for (const v of site) {
    const ids = new Set(v.operations.map((o) => o.operationId));
    for (const id of ids) if (!existsSync(samplePath(v.key, id))) missing.push(`samples/${v.key}/${id}.ts`);
    const dir = join(SAMPLES_DIR, v.key);
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".ts")) : [];
    for (const f of files) if (!ids.has(f.slice(0, -3))) orphans.push(`samples/${v.key}/${f}`);
  }
  return { missing, orphans };
}

export function escapeHtml(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Inline Markdown of spec descriptions, the little we show on the landing page: `code`, **bold**, *em*. */
export function inlineMarkdown(text) {
  return escapeHtml(text)
    .split(/(`[^`]+`)/)
    .map((part, i) =>
      i % 2
        ? `<code>${part.slice(1, -1)}</code>`
        : part.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>").replace(/\*([^*\s][^*]*)\*/g, "<em>$1</em>"),
    )
    .join("");
}

/** Keeps --sb-header-height equal to the header's height (its rows wrap on narrow windows). */
const HEADER_HEIGHT_SCRIPT =
  "(function(){var h=document.querySelector('.sb-header');if(!h)return;" +
  "function set(){document.documentElement.style.setProperty('--sb-header-height',h.offsetHeight+'px')}" +
  "set();if(window.ResizeObserver)new ResizeObserver(set).observe(h);else addEventListener('resize',set)})();";

/**
 * The header of every page: the site name (→ landing page), one tab per reference, and on a
 * reference page a second row linking straight to each of its operations, so that any operation
 * is two clicks from the landing page (vendor tab, then operation).
 */
export function headerHtml(site, current) {
  const tab = (href, label, key) =>
    `<a class="sb-tab" href="${href}"${key === current ? ' aria-current="page"' : ""}>${escapeHtml(label)}</a>`;
  const vendor = site.find((v) => v.key === current);
  const ops = vendor
    ? `<nav class="sb-ops" aria-label="${escapeHtml(vendor.name)} operations"><span class="sb-ops-label">Operations</span>${vendor.operations
        .map(
          (o) =>
            `<a class="sb-op" href="#${o.route}" title="${escapeHtml(o.summary)}" data-operation-id="${escapeHtml(o.operationId)}">` +
            `<span class="sb-method sb-method-${o.method.toLowerCase()}">${o.method}</span>${escapeHtml(o.operationId)}</a>`,
        )
        .join("")}</nav>`
    : "";
  return `<header class="sb-header${vendor ? " sb-header-ref" : ""}">
  <nav class="sb-nav" aria-label="Site">
    <a class="sb-brand" href="index.html">signalbridge <span>API docs</span></a>
    ${tab("index.html", "Overview", "index")}
    ${site.map((v) => tab(v.page, v.name, v.key)).join("\n    ")}
    ${tab("errors.html", "Error codes", "errors")}
    <div class="sb-search" role="search">
      <input type="search" placeholder="Search all vendors: operations, fields, error codes" aria-label="Search all vendors" autocomplete="off">
      <ol class="sb-results" hidden></ol>
    </div>
  </nav>
  ${ops}
</header>
<script>${HEADER_HEIGHT_SCRIPT}</script>
<script src="assets/search-index.js"></script>
<script src="assets/search.js"></script>`;
}
