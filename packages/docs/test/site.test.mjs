/**
 * Fast checks of the built site (run `npm run build` first; turbo's `test` depends on `build`):
 * every page is there, no page loads anything from another host, every operation has its sample,
 * the quirks the landing page promises are in the specs, and the static server behaves.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { quirkProblems } from "../src/build.mjs";
import { externalResources, redocOptionsOf } from "../src/offline.mjs";
import { serveDocs } from "../src/serve.mjs";
import { DIST_DIR, loadSite, sampleCoverage, samplePath, sitePages } from "../src/site.mjs";

const site = loadSite();
const pages = sitePages();
const read = (file) => readFileSync(join(DIST_DIR, file), "utf8");
/** The spec Redoc renders, as embedded in a reference page. */
const definitionOf = (html) => JSON.parse(/const __redoc_definition = (\{.*?\});\n/s.exec(html)[1]);

beforeAll(() => {
  if (!existsSync(join(DIST_DIR, "index.html"))) throw new Error("dist/ is missing: run `npm run build` first");
});

describe("dist", () => {
  test.each(pages.map((p) => [p.file]))("has %s", (file) => {
    expect(existsSync(join(DIST_DIR, file))).toBe(true);
  });

  test.each(["assets/site.css", "assets/favicon.svg", "assets/redocly-logo-mini-full.svg", "assets/redocly-logo-mini.svg"])(
    "has %s",
    (file) => {
      expect(existsSync(join(DIST_DIR, file))).toBe(true);
    },
  );

  test.each(pages.map((p) => [p.file]))("%s loads nothing from another host", (file) => {
    const html = read(file);
    expect(externalResources(html)).toEqual([]);
    if (pages.find((p) => p.file === file)?.vendor) expect(redocOptionsOf(html)?.disableTelemetry).toBe(true);
  });

  test.each(pages.map((p) => [p.file]))("%s links to every page", (file) => {
    const html = read(file);
    for (const p of pages) expect(html).toContain(`href="${p.file}"`);
  });
});

describe.each(site.map((v) => [v.key, v]))("%s reference", (_key, v) => {
  test("renders the spec with a TypeScript sample on every operation, read from samples/", () => {
    const definition = definitionOf(read(v.page));
    for (const o of v.operations) {
      const op = definition.paths[o.path][o.method.toLowerCase()];
      expect(op.operationId).toBe(o.operationId);
      expect(op.summary).toBe(o.summary);
      expect(op["x-codeSamples"]).toEqual([
        { lang: "TypeScript", label: "TypeScript", source: readFileSync(samplePath(v.key, o.operationId), "utf8") },
      ]);
    }
  });

  test("shows the vendor error codes of every operation", () => {
    const definition = definitionOf(read(v.page));
    for (const o of v.operations) {
      const description = definition.paths[o.path][o.method.toLowerCase()].description;
      for (const c of o.operation["x-error-codes"] ?? []) expect(description).toContain(`\`${c.code}\``);
    }
  });

  test("its header links to every operation", () => {
    const html = read(v.page);
    for (const o of v.operations) expect(html).toContain(`href="#${o.route}"`);
  });
});

describe("sources", () => {
  test("every operation has a sample and every sample an operation", () => {
    expect(sampleCoverage(site)).toEqual({ missing: [], orphans: [] });
  });

  test("every quirk phrase is in its spec", () => {
    expect(quirkProblems(site)).toEqual([]);
  });

  test("the landing page lists every operation, with a link into its reference", () => {
    const html = read("index.html");
    for (const v of site) {
      for (const o of v.operations) {
        expect(html).toContain(`href="${v.page}#${o.route}"`);
        expect(html).toContain(o.summary.replace(/&/g, "&amp;"));
      }
    }
  });
});

describe("serveDocs", () => {
  let docs;
  beforeAll(async () => {
    docs = await serveDocs({ port: 0 });
  });
  afterAll(() => docs?.close());

  test("listens on 127.0.0.1", () => {
    expect(docs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  test.each([
    ["", 200, "text/html; charset=utf-8"],
    ["index.html", 200, "text/html; charset=utf-8"],
    ["zstack.html", 200, "text/html; charset=utf-8"],
    ["assets/site.css", 200, "text/css; charset=utf-8"],
    ["assets/favicon.svg", 200, "image/svg+xml"],
    ["nope.html", 404, "text/plain; charset=utf-8"],
    ["..%2Fpackage.json", 404, "text/plain; charset=utf-8"],
    ["assets/..%2F..%2Fpackage.json", 404, "text/plain; charset=utf-8"],
  ])("GET /%s → %i %s", async (path, status, type) => {
    const res = await fetch(docs.url + path);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe(type);
    await res.arrayBuffer();
  });

  test("HEAD answers without a body, other methods get 405", async () => {
    const head = await fetch(`${docs.url}index.html`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(1000);
    const post = await fetch(docs.url, { method: "POST" });
    expect(post.status).toBe(405);
  });
});
