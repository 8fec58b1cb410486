/**
 * What the browser tests share: Debian's headless Chromium (never a downloaded one) driven by
 * playwright-core, the docs served by serveDocs on 127.0.0.1, and tabs that record every request
 * and error so that a test can fail on anything that left the machine or went wrong.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { launchChromium } from "@signalbridge/testkit";
import { serveDocs } from "../src/serve.mjs";
import { DIST_DIR, DOCS_DIR } from "../src/site.mjs";

export const RESULTS = join(DOCS_DIR, "test-results");

/** `{ docs, browser, context, close }`: the site on 127.0.0.1 and a browser context for it. */
export async function startBrowser() {
  if (!existsSync(join(DIST_DIR, "index.html"))) throw new Error("dist/ is missing: run `npm run build` first");
  await mkdir(RESULTS, { recursive: true });
  const docs = await serveDocs({ port: 0, host: "127.0.0.1" });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(15_000);
  return {
    docs,
    browser,
    context,
    async close() {
      await context.close();
      await browser.close();
      await docs.close();
    },
  };
}

/** The host a request goes to; blob: URLs belong to the page that made them, data: URLs to no host. */
export function hostOf(url) {
  if (url.startsWith("data:")) return "(inline data)";
  const u = new URL(url.startsWith("blob:") ? url.slice(5) : url);
  return u.hostname;
}

/** A new tab that records every request, console error, page error and failed response. */
export async function openTab(context) {
  const page = await context.newPage();
  const log = { requests: [], errors: [] };
  page.on("request", (r) => log.requests.push(r.url()));
  page.on("console", (m) => m.type() === "error" && log.errors.push(`console: ${m.text()} (${m.location().url})`));
  page.on("pageerror", (e) => log.errors.push(`page error: ${e.message}`));
  // ERR_ABORTED: a request cancelled because the test navigated away, not a failure of the page.
  page.on(
    "requestfailed",
    (r) => r.failure()?.errorText !== "net::ERR_ABORTED" && log.errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`),
  );
  page.on("response", (r) => r.status() >= 400 && log.errors.push(`HTTP ${r.status()}: ${r.url()}`));
  return { page, log };
}

/** Fails on any request to a host but 127.0.0.1 and on any error seen so far. */
export function expectClean(log) {
  const elsewhere = log.requests.filter((url) => !["127.0.0.1", "(inline data)"].includes(hostOf(url)));
  expect(elsewhere, "requests to other hosts").toEqual([]);
  expect(log.errors, "console errors").toEqual([]);
  expect(log.requests.length).toBeGreaterThan(0);
}

/** Redoc hydrates the server-rendered page asynchronously; wait until React owns it. */
export async function waitForRedoc(page) {
  await page.waitForFunction(() => {
    const a = document.querySelector("#redoc .menu-content a");
    return a !== null && Object.keys(a).some((k) => k.startsWith("__reactFiber"));
  });
}
