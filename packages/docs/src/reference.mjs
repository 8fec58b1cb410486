/**
 * One reference page per spec: a bundled copy of the spec with a TypeScript `x-codeSamples` entry on
 * every operation (read from samples/<vendor>/<operationId>.ts) and its vendor extensions written
 * out as Markdown, rendered by `redocly build-docs --inlineBundle` into a page template that carries
 * the site's header and stylesheet, then made offline (see offline.mjs). specs/ is never written.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DOCS_DIR, headerHtml, samplePath } from "./site.mjs";
import { localize } from "./offline.mjs";
import { ERRORS_PAGE, anchorIds } from "./error-codes.mjs";

export const BUILD_DIR = join(DOCS_DIR, ".build");

/** Redoc options of every reference page. */
export const REDOC_OPTIONS = {
  // Our TypeScript sample first, then the generated curl and the payload.
  codeSamples: { languages: [{ lang: "TypeScript", label: "TypeScript" }, { lang: "curl" }, { lang: "Payload" }] },
  // Where the spec says how the vendor's docs and its server differ, show it.
  showExtensions: ["x-vendor-docs-say", "x-server-does"],
  jsonSamplesExpandLevel: 3,
};

const oneLine = (text) =>
  String(text)
    .replace(/\s*\n\s*/g, " ")
    .trim();
/** Plain text into Markdown: keep `code` spans, escape backslashes and angle brackets elsewhere. */
const md = (text) =>
  oneLine(text)
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 ? part : part.replace(/\\/g, "\\\\").replace(/</g, "&lt;").replace(/>/g, "&gt;")))
    .join("");
const sourceMd = (source) => (/^https?:\/\/\S+$/.test(source) ? `[${source.replace(/^https?:\/\//, "")}](${source})` : md(source));

/** `x-error-codes` and `x-signalbridge-idempotent` of an operation, as Markdown for its description. */
export function extensionsMarkdown(op, vendor, idOf = (_vendor, code) => code) {
  const parts = [];
  const codes = op["x-error-codes"] ?? [];
  if (codes.length) {
    const where = (c) =>
      c.arrivesAt === "poll" ? `HTTP ${c.status}, on the poll of the job` : c.status === 200 ? "HTTP 200, in-band" : `HTTP ${c.status}`;
    parts.push(
      `**Vendor error codes** (\`x-error-codes\`; \`error.code\` of ${vendor.packageName}'s \`ApiError\`; each links to its row in the [error-code reference](${ERRORS_PAGE}#errors-${vendor.key}): what the client does with it and the vendor's text):\n\n` +
        codes
          .map((c) => {
            const extra = [c.action && `Action: ${md(c.action)}`, c.source && `Source: ${sourceMd(String(c.source))}`].filter(Boolean);
            const code = String(c.code).trim();
            return `- [\`${code}\`](${ERRORS_PAGE}#${idOf(vendor.key, code)}) · ${where(c)} · ${md(c.meaning ?? "")}${extra.length ? ` ${extra.join(" ")}` : ""}`;
          })
          .join("\n"),
    );
  }
  const idempotent = op["x-signalbridge-idempotent"];
  if (idempotent !== undefined) {
    parts.push(
      idempotent
        ? "**Idempotent** (`x-signalbridge-idempotent: true`): the client retries it after a failure."
        : "**Not idempotent** (`x-signalbridge-idempotent: false`): the client re-sends it only when the request provably was not processed.",
    );
  }
  return parts.join("\n\n");
}

/** `code` spans as plain text, for the fields Redoc does not render as Markdown. */
export const plainCode = (text) => String(text).replace(/`([^`]*)`/g, "$1");

/**
 * Example summaries name the authors' seed copies of vendor pages (the vendor tests trace examples
 * to them); a reader gets the vendor page each one copies, from `info.x-seed-documents`.
 */
export function withPublicSeeds(spec) {
  const seeds = spec.info?.["x-seed-documents"];
  if (!seeds) return spec;
  delete spec.info["x-seed-documents"];
  let json = JSON.stringify(spec);
  for (const [file, url] of Object.entries(seeds)) {
    const name = file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    json = json.replace(new RegExp(`(?:the seed document\\s+)?\`?(?:\\.\\./)?(?:shared/seeds/)?${name}\`?`, "g"), `the vendor page ${url}`);
  }
  return JSON.parse(json);
}

/** The bundled copy of a spec that Redoc renders. */
export function bundledSpec(vendor, site = [vendor]) {
  const idOf = anchorIds(site);
  const spec = withPublicSeeds(structuredClone(vendor.doc));
  const external = JSON.stringify(spec).match(/"\$ref":"(?!#)[^"]*"/g);
  if (external) throw new Error(`${vendor.spec}: external $ref ${external.join(", ")}; specs must be self-contained`);
  // The abbreviations the spec's texts cite sources by (ZS, ZSV, EXP, …), with their links, as the
  // last section of the overview, so that a reader can open every source the page names.
  const sources = spec.info?.["x-sources"];
  if (sources && typeof sources === "object") {
    spec.info.description =
      `${spec.info.description ?? ""}\n\n## Sources\nThe texts of this reference name their sources by these abbreviations:\n\n` +
      Object.entries(sources)
        .map(([abbr, text]) => `- **${abbr}**: ${String(text).replace(/(https?:\/\/[^\s,;)]+)/g, "<$1>")}`)
        .join("\n") +
      "\n";
  }
  // Redoc shows server texts verbatim, not as Markdown: drop the code marks instead of showing them.
  for (const server of spec.servers ?? []) {
    if (server.description) server.description = plainCode(server.description);
    for (const variable of Object.values(server.variables ?? {}))
      if (variable.description) variable.description = plainCode(variable.description);
  }
  for (const o of vendor.operations) {
    const op = spec.paths[o.path][o.method.toLowerCase()];
    op["x-codeSamples"] = [
      { lang: "TypeScript", label: "TypeScript", source: readFileSync(samplePath(vendor.key, o.operationId), "utf8") },
    ];
    const extra = extensionsMarkdown(op, vendor, idOf);
    if (extra) op.description = `${op.description ?? ""}\n\n${extra}\n`;
  }
  return spec;
}

/** The handlebars template of a reference page: Redoc's own, plus our header, stylesheet and icon. */
export function pageTemplate(site, vendor) {
  // Handlebars would read `{{` in our markup as an expression.
  const header = headerHtml(site, vendor.key).replace(/\{\{/g, "\\{{");
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>{{title}}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="assets/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="assets/site.css">
  <style>body { padding: 0; margin: 0; }</style>
  {{{redocHead}}}
</head>
<body class="sb-reference">
${header}
{{{redocHTML}}}
</body>
</html>
`;
}

function redoclyBin() {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve("@redocly/cli/package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8"));
  const bin = typeof pkg.bin === "string" ? pkg.bin : (pkg.bin.redocly ?? Object.values(pkg.bin)[0]);
  return join(dirname(pkgPath), bin);
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [command, ...args], {
      cwd: BUILD_DIR,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`redocly ${args.join(" ")} failed (${code}):\n${output}`)),
    );
  });
}

/**
 * Post-processing of Redoc's output: its CDN URLs point into dist/, and the links of the
 * server-rendered menu become hash routes (`/x` → `#/x`, what the router makes of them once the
 * page runs) so that they also work when opened in a new tab.
 */
export function postProcess(html) {
  const start = html.indexOf('<div id="redoc">');
  const end = html.indexOf('<script type="module">', start);
  if (start < 0 || end < 0) throw new Error("unexpected Redoc output: no #redoc element or module script");
  const rendered = html.slice(start, end).replace(/ href="\/([^"]*)"/g, ' href="#/$1"');
  return localize(html.slice(0, start) + rendered + html.slice(end));
}

/** Build dist/<vendor>.html. */
export async function buildReference(site, vendor, distDir) {
  await mkdir(BUILD_DIR, { recursive: true });
  const specFile = join(BUILD_DIR, `${vendor.key}.json`);
  const templateFile = join(BUILD_DIR, `${vendor.key}.hbs`);
  const optionsFile = join(BUILD_DIR, "redoc-options.json");
  const rawFile = join(BUILD_DIR, `${vendor.key}.redoc.html`);
  await writeFile(specFile, JSON.stringify(bundledSpec(vendor, site), null, 2));
  await writeFile(templateFile, pageTemplate(site, vendor));
  await writeFile(optionsFile, JSON.stringify(REDOC_OPTIONS));
  // An empty config file, so that the repository's redocly.yaml (lint rules, API aliases) stays out of it.
  await writeFile(join(BUILD_DIR, "redocly.yaml"), "# docs build: no lint rules, telemetry off (REDOCLY_TELEMETRY=off)\n");
  await run(redoclyBin(), [
    "build-docs",
    specFile,
    "--inlineBundle",
    "--config",
    join(BUILD_DIR, "redocly.yaml"),
    "--template",
    templateFile,
    "--openapi",
    optionsFile,
    "--title",
    `${vendor.title} · signalbridge API reference`,
    "--output",
    rawFile,
  ]);
  const html = postProcess(await readFile(rawFile, "utf8"));
  await writeFile(join(distDir, vendor.page), html);
  return html;
}
