/**
 * dist/errors.html: every error code of every vendor, visible without clicking, one row per code
 * with an id of its own (`errors.html#NOTICE.0004`). Meanings, statuses, Chinese texts and sources
 * come from the specs' `x-error-codes`; the "client" columns from probing the built client
 * (client-behaviour.mjs).
 */
import { anchorIds, arrival, errorCodesOf } from "./error-codes.mjs";
import { retryText } from "./client-behaviour.mjs";
import { escapeHtml, headerHtml, inlineMarkdown } from "./site.mjs";
import { sourceHtml } from "./sources.mjs";
import { fontNotice } from "./cjk-font.mjs";

/** What the client did, grouped: operations with the same behaviour share one line. */
function behaviourGroups(vendor, entry, behaviour) {
  const groups = new Map();
  for (const o of entry.operations) {
    const r = behaviour.get(`${vendor.key} ${o.operationId} ${entry.code}`);
    const retry = r ? retryText(r) : "success code, never raised";
    const thrown = !r ? "nothing" : r.error ? `${r.error.name}|${r.error.kind}` : "";
    const key = `${retry}§${thrown}`;
    if (!groups.has(key)) groups.set(key, { retry, thrown, operations: [] });
    groups.get(key).operations.push(o);
  }
  return [...groups.values()];
}

function thrownHtml(thrown) {
  if (thrown === "nothing") return "nothing";
  if (thrown === "") return "no error: the client recovers and the call succeeds";
  const [name, kind] = thrown.split("|");
  return `<code>${escapeHtml(name)}</code>, <code>kind: "${escapeHtml(kind)}"</code>`;
}

function opLinks(vendor, operations) {
  return operations.map((o) => `<a href="${vendor.page}#${o.route}"><code>${escapeHtml(o.operationId)}</code></a>`).join(", ");
}

function codeRow(vendor, entry, behaviour, idOf) {
  const id = idOf(vendor.key, entry.code);
  const groups = behaviourGroups(vendor, entry, behaviour);
  const several = groups.length > 1;
  const retry = groups
    .map((g) => `<div>${escapeHtml(g.retry)}${several ? ` <span class="sb-muted">(${opLinks(vendor, g.operations)})</span>` : ""}</div>`)
    .join("");
  const thrown = groups
    .map((g) => `<div>${thrownHtml(g.thrown)}${several ? ` <span class="sb-muted">(${opLinks(vendor, g.operations)})</span>` : ""}</div>`)
    .join("");
  const arrivals = [...new Set(entry.operations.map((o) => arrival(o)))];
  const meanings = [...new Set(entry.operations.map((o) => o.meaning).filter((m) => m && m !== entry.meaning))];
  return `<tr id="${escapeHtml(id)}" class="sb-code-row" data-vendor="${vendor.key}" data-code="${escapeHtml(entry.code)}">
      <td><a class="sb-anchor" href="#${escapeHtml(id)}"><code>${escapeHtml(entry.code)}</code></a></td>
      <td>${arrivals.map(escapeHtml).join("<br>")}</td>
      <td>${inlineMarkdown(entry.meaning)}${meanings.map((m) => `<div class="sb-muted">Also: ${inlineMarkdown(m)}</div>`).join("")}</td>
      <td lang="zh-Hans" class="sb-zh">${entry.meaningZh ? escapeHtml(entry.meaningZh) : '<span class="sb-muted" lang="en">none given</span>'}</td>
      <td>${retry}</td>
      <td>${thrown}</td>
      <td>${opLinks(vendor, entry.operations)}</td>
      <td class="sb-sources">${entry.sources.map(sourceHtml).join("<br>") || '<span class="sb-muted">the spec</span>'}</td>
    </tr>`;
}

export function vendorCodesIndex(vendor, idOf, hrefPrefix = "") {
  return errorCodesOf(vendor)
    .map((e) => `<a href="${hrefPrefix}#${escapeHtml(idOf(vendor.key, e.code))}"><code>${escapeHtml(e.code)}</code></a>`)
    .join(" ");
}

export function errorsPage(site, behaviour) {
  const idOf = anchorIds(site);
  const sections = site
    .map((v) => {
      const codes = errorCodesOf(v);
      return `<section id="errors-${v.key}" class="sb-vendor">
  <h2>${escapeHtml(v.name)} <span class="sb-version">${codes.length} codes</span></h2>
  <p class="sb-codes-index">${vendorCodesIndex(v, idOf)}</p>
  <div class="sb-table-scroll"><table class="sb-table sb-errors">
    <thead><tr><th>Code</th><th>Arrives as</th><th>Meaning</th><th>Vendor's text (中文)</th><th>Client retries?</th><th>Client throws</th><th>Operations</th><th>Source</th></tr></thead>
    <tbody>${codes.map((e) => codeRow(v, e, behaviour, idOf)).join("\n")}</tbody>
  </table></div>
</section>`;
    })
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Error codes · signalbridge API docs</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="assets/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="assets/site.css">
</head>
<body class="sb-landing sb-errors-page">
${headerHtml(site, "errors")}
<main class="sb-main sb-wide">
  <h1>Error codes</h1>
  <p>Every code the vendors document for the operations signalbridge calls, read from each spec's
  <code>x-error-codes</code>. The code is <code>error.code</code> of the error the client throws. Each row has a
  link of its own (<code>errors.html#&lt;code&gt;</code>) and every operation of the references links here.</p>
  <p>The two <em>client</em> columns are not written by hand: the docs build sends each code, in the vendor's
  own answer shape, through the built client against the sandbox, with the default retry policy
  (3 attempts), and records how often the request went out, whether the client renewed its token or
  session in between, and what it threw. A request that may have been processed is never re-sent
  when the operation is not idempotent; see the README, "Retries".</p>
  <nav class="sb-toc" aria-label="Vendors">${site.map((v) => `<a href="#errors-${v.key}">${escapeHtml(v.name)}</a>`).join(" · ")}</nav>
  ${sections}
</main>
<footer class="sb-footer">Built from ${site.map((v) => `<code>${escapeHtml(v.spec)}</code>`).join(", ")}. Every page of this site works offline.
  ${fontNotice()}</footer>
</body>
</html>
`;
}
