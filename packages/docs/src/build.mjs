#!/usr/bin/env node
/**
 * `npm run build`: specs/ + samples/ → dist/
 *
 *   dist/index.html          landing page (landing.mjs)
 *   dist/<vendor>.html       one Redoc reference per spec (reference.mjs)
 *   dist/assets/             stylesheet, icon, the logo Redoc's footer shows
 *
 * Fails when an operation has no sample (or a sample names no operation), when a quirk's phrase is
 * no longer in its spec, or when a page would fetch anything from another host.
 */
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { quirks } from "./content.mjs";
import { landingPage } from "./landing.mjs";
import { externalResources, redocOptionsOf } from "./offline.mjs";
import { BUILD_DIR, buildReference } from "./reference.mjs";
import { probeClientBehaviour } from "./client-behaviour.mjs";
import { ERRORS_PAGE, errorCodesOf } from "./error-codes.mjs";
import { errorsPage } from "./errors-page.mjs";
import { internalSources } from "./sources.mjs";
import { cjkCharacters, cjkFontFaces } from "./cjk-font.mjs";
import { searchIndexScript } from "./search-index.mjs";
import { DIST_DIR, DOCS_DIR, loadSite, sampleCoverage } from "./site.mjs";

const normalize = (text) => String(text).replace(/[`*]/g, "").replace(/\s+/g, " ");

/** Every quirk phrase must still be in the spec text where the landing page says it is shown. */
export function quirkProblems(site) {
  const problems = [];
  for (const v of site) {
    for (const q of quirks[v.key] ?? []) {
      for (const s of q.shownIn) {
        const op = s.operationId && v.operations.find((o) => o.operationId === s.operationId);
        if (s.operationId && !op) {
          problems.push(`${v.key}: quirk "${q.title}" names unknown operation ${s.operationId}`);
          continue;
        }
        const haystack = normalize(
          op ? JSON.stringify(op.operation).replace(/\\n/g, " ").replace(/\\"/g, '"') : (v.doc.info?.description ?? ""),
        );
        if (!haystack.includes(s.text))
          problems.push(`${v.key}: quirk "${q.title}": "${s.text}" is not in ${op ? s.operationId : "info.description"} of ${v.spec}`);
      }
    }
  }
  return problems;
}

async function build() {
  const started = Date.now();
  const site = loadSite();

  const { missing, orphans } = sampleCoverage(site);
  const problems = [
    ...missing.map((f) => `missing sample ${f} (every operation needs a type-checked TypeScript sample)`),
    ...orphans.map((f) => `sample ${f} names no operation of its spec`),
    ...quirkProblems(site),
  ];
  if (problems.length) throw new Error(`docs build failed:\n  ${problems.join("\n  ")}`);

  await rm(DIST_DIR, { recursive: true, force: true });
  await rm(BUILD_DIR, { recursive: true, force: true });
  await mkdir(join(DIST_DIR, "assets"), { recursive: true });

  const assets = join(DOCS_DIR, "src", "assets");
  for (const file of await readdir(assets)) await copyFile(join(assets, file), join(DIST_DIR, "assets", file));

  const searchIndex = searchIndexScript(site);
  await writeFile(join(DIST_DIR, "assets", "search-index.js"), searchIndex);
  const behaviour = await probeClientBehaviour(site, errorCodesOf);
  const pages = { "index.html": landingPage(site), [ERRORS_PAGE]: errorsPage(site, behaviour) };
  for (const page of Object.keys(pages)) await writeFile(join(DIST_DIR, page), pages[page]);
  const references = await Promise.all(site.map((v) => buildReference(site, v, DIST_DIR)));
  site.forEach((v, i) => (pages[v.page] = references[i]));

  const offline = [];
  for (const [page, html] of Object.entries(pages)) {
    for (const r of externalResources(html)) offline.push(`${page}: ${r}`);
    if (site.some((v) => v.page === page) && redocOptionsOf(html)?.disableTelemetry !== true)
      offline.push(`${page}: Redoc telemetry is not disabled`);
  }
  const internal = Object.entries(pages).flatMap(([page, html]) => internalSources(html).map((s) => `${page}: …${s}…`));
  if (internal.length) throw new Error(`docs build failed, pages cite files no reader has (use a public URL):\n  ${internal.join("\n  ")}`);
  if (offline.length) throw new Error(`docs build failed, pages would load from other hosts:\n  ${offline.join("\n  ")}`);

  // The CJK font, cut to the characters of the pages: their markup (not Redoc's script bundle,
  // whose own CJK strings are never shown) and the spec copies Redoc renders.
  const texts = Object.values(pages).map((html) => html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, ""));
  for (const v of site) texts.push(await readFile(join(BUILD_DIR, `${v.key}.json`), "utf8"));
  texts.push(searchIndex);
  const font = await cjkFontFaces(cjkCharacters(texts));
  if (font.missing.length) throw new Error(`docs build failed, no glyph in the CJK font for: ${font.missing.join(" ")}`);
  await writeFile(join(DIST_DIR, "assets", "site.css"), `${await readFile(join(DOCS_DIR, "src", "site.css"), "utf8")}\n${font.css}`);

  let bytes = 0;
  for (const file of await readdir(DIST_DIR, { recursive: true })) {
    const s = await stat(join(DIST_DIR, file));
    if (s.isFile()) bytes += s.size;
  }
  const ops = site.reduce((n, v) => n + v.operations.length, 0);
  console.log(
    `docs: ${Object.keys(pages).length} pages (${Object.keys(pages).join(", ")}), ${ops} operations with samples, ` +
      `CJK font subset ${font.glyphs} characters, ${(font.bytes / 1024).toFixed(1)} KiB woff2; ` +
      `${(bytes / 1024 / 1024).toFixed(1)} MiB in dist/ [${Date.now() - started} ms]`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  build().catch((error) => {
    console.error(error.message ?? error);
    process.exit(1);
  });
}
