/**
 * The landing page, dist/index.html: plain HTML and CSS, generated from the specs (operations,
 * summaries, auth schemes) and from content.mjs (intro, quirks) and samples/overview/ (usage).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { facade, intro, quirks, sandbox } from "./content.mjs";
import { SAMPLES_DIR, escapeHtml, headerHtml, inlineMarkdown } from "./site.mjs";
import { ERRORS_PAGE, anchorIds, errorCodesOf } from "./error-codes.mjs";
import { vendorCodesIndex } from "./errors-page.mjs";
import { fontNotice } from "./cjk-font.mjs";
import { highlightTypeScript } from "./highlight.mjs";

const overviewSample = (name) => readFileSync(join(SAMPLES_DIR, "overview", `${name}.ts`), "utf8");

const code = (source, label) =>
  `<figure class="sb-code"><figcaption>${escapeHtml(label)}</figcaption><pre><code class="hljs language-typescript">${highlightTypeScript(source.trimEnd())}</code></pre></figure>`;

/** The parts of a vendor's section, for its heading ids and the table of contents. */
const PARTS = [
  ["operations", "Operations"],
  ["auth", "Authentication"],
  ["usage", "Usage"],
  ["quirks", "Vendor quirks"],
  ["errors", "Error codes"],
];

function tableOfContents(site) {
  const vendor = (v) =>
    `<li><a href="#${v.key}">${escapeHtml(v.name)}</a><ul>${PARTS.map(([id, label]) => `<li><a href="#${v.key}-${id}">${label}</a></li>`).join("")}</ul></li>`;
  return `<nav class="sb-toc" aria-label="Contents">
    <h2>Contents</h2>
    <ol>
      <li><a href="#packages">Packages</a></li>
      ${site.map(vendor).join("\n      ")}
      <li><a href="#facade">The facade</a></li>
      <li><a href="#sandbox">The sandbox</a></li>
      <li><a href="${ERRORS_PAGE}">Error codes of every vendor</a> (what each means, what the client does with it)</li>
    </ol>
  </nav>`;
}

/** The opening of a description: its first paragraph, and the next ones while a sentence is unfinished. */
function opening(text = "") {
  const paragraphs = String(text)
    .trim()
    .split(/\n\s*\n/);
  let out = "";
  for (const p of paragraphs) {
    out += (out ? " " : "") + p.replace(/^\s*-\s+/gm, "").replace(/\s*\n\s*/g, " ");
    if (/[.)]$/.test(out)) break;
  }
  return out;
}

function schemeKind(s) {
  if (s.type === "http") return `HTTP ${s.scheme === "basic" ? "Basic" : s.scheme === "bearer" ? "Bearer" : s.scheme}`;
  if (s.type === "apiKey") return `API key in ${s.in} <code>${escapeHtml(s.name)}</code>`;
  if (s.type === "oauth2") return `OAuth2 (${Object.keys(s.flows ?? {}).join(", ")})`;
  return escapeHtml(s.type);
}

function operationsTable(v) {
  const rows = v.operations
    .map(
      (o) => `<tr>
      <td><span class="sb-method sb-method-${o.method.toLowerCase()}">${o.method}</span></td>
      <td><a href="${v.page}#${o.route}"><code>${escapeHtml(o.operationId)}</code></a><br><code class="sb-path">${escapeHtml(o.path)}</code></td>
      <td>${escapeHtml(o.summary)}</td>
      <td>${o.idempotent ? "yes" : "no"}</td>
    </tr>`,
    )
    .join("\n");
  return `<table class="sb-table">
    <thead><tr><th>Method</th><th>Operation</th><th>Summary</th><th title="x-signalbridge-idempotent: retried automatically after a failure">Idempotent</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

function authTable(v) {
  const rows = Object.entries(v.securitySchemes)
    .map(
      ([name, s]) =>
        `<tr><td><code>${escapeHtml(name)}</code></td><td>${schemeKind(s)}</td><td>${inlineMarkdown(opening(s.description))}</td></tr>`,
    )
    .join("\n");
  return `<table class="sb-table">
    <thead><tr><th>Scheme</th><th>Kind</th><th>What it is</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

function quirksHtml(v) {
  const opById = new Map(v.operations.map((o) => [o.operationId, o]));
  return (quirks[v.key] ?? [])
    .map((q) => {
      const shown = q.shownIn
        .map((s) => {
          const op = s.operationId ? opById.get(s.operationId) : undefined;
          const href = op ? `${v.page}#${op.route}` : `${v.page}#/`;
          return `<a href="${href}">${op ? `<code>${escapeHtml(op.operationId)}</code>` : "the API overview"}</a>`;
        })
        .join(", ");
      const sources = q.sources
        .map((s) => (s.href ? `<a href="${escapeHtml(s.href)}">${escapeHtml(s.label)}</a>` : escapeHtml(s.label)))
        .join("; ");
      return `<article class="sb-quirk">
      <h4>${escapeHtml(q.title)}</h4>
      ${q.html}
      <p class="sb-meta">In the reference: ${shown}. Sources: ${sources}.</p>
    </article>`;
    })
    .join("\n");
}

function vendorSection(v, idOf) {
  return `<section id="${v.key}" class="sb-vendor">
  <h2>${escapeHtml(v.name)} <span class="sb-version">${escapeHtml(v.version ?? "")}</span></h2>
  <p class="sb-lead">${inlineMarkdown(v.summary)}</p>
  <dl class="sb-facts">
    <dt>Package</dt><dd><code>${escapeHtml(v.packageName)}</code></dd>
    <dt>Install</dt><dd><code>npm install ${escapeHtml(v.packageName)}</code></dd>
    <dt>Spec</dt><dd><code>${escapeHtml(v.spec)}</code> (OpenAPI ${escapeHtml(v.openapi ?? "")}): ${escapeHtml(v.title)}</dd>
    <dt>Reference</dt><dd><a class="sb-ref-link" href="${v.page}">${escapeHtml(v.name)} API reference</a></dd>
  </dl>
  <h3 id="${v.key}-operations">Operations</h3>
  ${operationsTable(v)}
  <h3 id="${v.key}-auth">Authentication</h3>
  ${authTable(v)}
  <h3 id="${v.key}-usage">Usage</h3>
  ${code(overviewSample(v.key), `samples/overview/${v.key}.ts`)}
  <h3 id="${v.key}-quirks">Vendor quirks</h3>
  ${quirksHtml(v)}
  <h3 id="${v.key}-errors">Error codes</h3>
  <p>The ${errorCodesOf(v).length} codes the spec documents, each with its meaning, the vendor's text and what the client does with it,
  in the <a href="${ERRORS_PAGE}#errors-${v.key}">error-code reference</a>:</p>
  <p class="sb-codes-index">${vendorCodesIndex(v, idOf, ERRORS_PAGE)}</p>
</section>`;
}

export function landingPage(site) {
  const idOf = anchorIds(site);
  const packages = [
    ...site.map((v) => [
      v.packageName,
      `${v.name}: ${v.operations.length} operations`,
      `<a href="${v.page}">reference</a> · <a href="#${v.key}">overview</a>`,
    ]),
    ["@signalbridge/sdk", "The facade: all three clients, one configuration", `<a href="#facade">overview</a>`],
    ["@signalbridge/sandbox", "Vendor simulators on 127.0.0.1, and the CLI signalbridge-sandbox", `<a href="#sandbox">overview</a>`],
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>signalbridge API docs</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="assets/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="assets/site.css">
</head>
<body class="sb-landing">
${headerHtml(site, "index")}
<main class="sb-main">
  <h1>signalbridge</h1>
  ${intro}
  ${tableOfContents(site)}
  <h2 id="packages">Packages</h2>
  <table class="sb-table sb-packages">
    <thead><tr><th>Package</th><th>What</th><th>Docs</th></tr></thead>
    <tbody>${packages.map(([p, w, d]) => `<tr><td><code>${escapeHtml(p)}</code></td><td>${escapeHtml(w)}</td><td>${d}</td></tr>`).join("\n")}</tbody>
  </table>
  ${site.map((v) => vendorSection(v, idOf)).join("\n")}
  <section id="facade" class="sb-vendor">
    <h2>The facade: <code>@signalbridge/sdk</code></h2>
    ${facade}
    <dl class="sb-facts"><dt>Install</dt><dd><code>npm install @signalbridge/sdk</code></dd></dl>
    ${code(overviewSample("sdk"), "samples/overview/sdk.ts")}
  </section>
  <section id="sandbox" class="sb-vendor">
    <h2>The sandbox: <code>@signalbridge/sandbox</code></h2>
    ${sandbox}
    <dl class="sb-facts"><dt>Install</dt><dd><code>npm install --save-dev @signalbridge/sandbox</code></dd></dl>
    ${code(overviewSample("sandbox"), "samples/overview/sandbox.ts")}
  </section>
</main>
<footer class="sb-footer">
  Built from ${site.map((v) => `<code>${escapeHtml(v.spec)}</code> (${escapeHtml(v.version ?? "")})`).join(", ")}.
  Every page of this site works offline. Reference pages rendered with Redoc.
  ${fontNotice()}
</footer>
</body>
</html>
`;
}
