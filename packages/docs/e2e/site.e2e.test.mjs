/**
 * The docs site in a real browser: Debian's headless Chromium (never a downloaded one), driven by
 * playwright-core, over every page served by serveDocs on 127.0.0.1. It checks that
 *  - every operation of every spec renders (summary heading and TypeScript sample), and the quirks
 *    the landing page promises are visible in the reference,
 *  - no page logs an error or requests anything from a host other than 127.0.0.1,
 *  - the navigation works: every operation is two clicks from the landing page (vendor tab, then
 *    operation), the header links every page to every other, no local link is broken,
 * and saves a screenshot of each page into test-results/.
 *
 * Run `npm run build` first (the root `npm run test:e2e` does).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { quirks } from "../src/content.mjs";
import { anchorIds, errorCodesOf } from "../src/error-codes.mjs";
import { loadSite, samplePath, sitePages } from "../src/site.mjs";
import { RESULTS, expectClean, openTab as openTabIn, startBrowser, waitForRedoc } from "./browser.mjs";

const site = loadSite();
const pages = sitePages();

let docs;
let session;
const openTab = () => openTabIn(session.context);

beforeAll(async () => {
  session = await startBrowser();
  docs = session.docs;
});

afterAll(async () => {
  await session?.close();
});

const normalize = (s) => s.replace(/\s+/g, " ").trim();
const exactly = (text) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
const linesOf = (vendorKey, operationId) =>
  readFileSync(samplePath(vendorKey, operationId), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
/** The most telling line of a sample: its longest line that no other sample of the vendor has. */
function sampleLine(vendorKey, operationId) {
  const others = new Set(
    site
      .find((v) => v.key === vendorKey)
      .operations.filter((o) => o.operationId !== operationId)
      .flatMap((o) => linesOf(vendorKey, o.operationId)),
  );
  const own = linesOf(vendorKey, operationId).filter((l) => !others.has(l));
  if (!own.length) throw new Error(`samples/${vendorKey}/${operationId}.ts has no line of its own`);
  return own.sort((a, b) => b.length - a.length)[0];
}

async function expectOperationShown(page, op, vendorKey) {
  await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#${op.route}`);
  // Redoc's operation heading: h1 (operation page) or h2 (section), its text exactly the summary.
  await page
    .locator("#redoc h1, #redoc h2")
    .filter({ hasText: exactly(op.summary), visible: true })
    .first()
    .waitFor();
  const line = sampleLine(vendorKey, op.operationId);
  await page.locator("#redoc").getByText(line, { exact: false }).filter({ visible: true }).first().waitFor();
}

describe("every page", () => {
  test.each(pages.map((p) => [p.file, p]))("%s renders, logs no error and loads only from 127.0.0.1", async (file, p) => {
    const { page, log } = await openTab();
    await page.goto(docs.url + file);
    if (p.vendor) {
      await waitForRedoc(page);
      const v = site.find((s) => s.key === p.key);
      await page.getByRole("heading", { name: v.title }).first().waitFor();
      // Every operation is named in the header strip and the menu has one group per tag.
      for (const o of v.operations) expect(await page.locator(`.sb-ops a[data-operation-id="${o.operationId}"]`).count()).toBe(1);
    } else if (p.key === "errors") {
      const idOf = anchorIds(site);
      for (const v of site) for (const e of errorCodesOf(v)) await page.locator(`tr[id="${idOf(v.key, e.code)}"]`).waitFor();
    } else {
      for (const v of site) {
        for (const o of v.operations) {
          await page.locator(`#${v.key} a[href="${v.page}#${o.route}"]`).getByText(o.operationId).first().waitFor();
          expect(await page.locator(`#${v.key}`).getByText(o.summary, { exact: true }).count()).toBeGreaterThan(0);
        }
      }
    }
    await page.screenshot({ path: join(RESULTS, file.replace(/\.html$/, ".png")), fullPage: !p.vendor });
    await page.waitForTimeout(300); // late errors (lazy sections, workers) still count
    expectClean(log);
    await page.close();
  });
});

describe.each(site.map((v) => [v.name, v]))("%s reference", (_name, v) => {
  test("every operation renders with its summary and TypeScript sample", async () => {
    const { page, log } = await openTab();
    await page.goto(docs.url + v.page);
    await waitForRedoc(page);
    for (const o of v.operations) {
      await page.evaluate((hash) => (location.hash = hash), o.route);
      await expectOperationShown(page, o, v.key);
    }
    await page.screenshot({ path: join(RESULTS, `${v.key}-${v.operations.at(-1).operationId}.png`) });
    expectClean(log);
    await page.close();
  });

  test("the vendor quirks of the landing page are visible where it says", async () => {
    const { page, log } = await openTab();
    await page.goto(docs.url + v.page);
    await waitForRedoc(page);
    for (const q of quirks[v.key] ?? []) {
      for (const s of q.shownIn) {
        const op = s.operationId ? v.operations.find((o) => o.operationId === s.operationId) : undefined;
        await page.evaluate((hash) => (location.hash = hash), op ? op.route : "/");
        await expect
          .poll(async () => normalize(await page.locator("#redoc").innerText()), {
            message: `${q.title} → ${s.operationId ?? "overview"}`,
            timeout: 10_000,
          })
          .toContain(s.text);
      }
    }
    expectClean(log);
    await page.close();
  });
});

describe("navigation", () => {
  test.each(site.map((v) => [v.name, v]))("every %s operation is two clicks from the landing page", async (_name, v) => {
    const { page, log } = await openTab();
    for (const o of v.operations) {
      await page.goto(docs.url);
      // Click 1: the vendor's tab in the header of the landing page.
      await page.locator(".sb-nav").getByRole("link", { name: v.name, exact: true }).click();
      await page.waitForURL((url) => url.pathname === `/${v.page}`);
      await waitForRedoc(page);
      // Click 2: the operation in the reference page's header.
      await page.locator(`.sb-ops a[data-operation-id="${o.operationId}"]`).click();
      await expectOperationShown(page, o, v.key);
    }
    expectClean(log);
    await page.close();
  });

  test.each(site.map((v) => [v.name, v]))(
    "the header of the %s reference leads back to the landing page and to the other references",
    async (_name, v) => {
      const { page, log } = await openTab();
      for (const target of [
        { file: "index.html", name: "Overview" },
        ...site.filter((s) => s !== v).map((s) => ({ file: s.page, name: s.name })),
      ]) {
        await page.goto(docs.url + v.page);
        await waitForRedoc(page);
        await page.locator(".sb-nav").getByRole("link", { name: target.name, exact: true }).click();
        await page.waitForURL((url) => url.pathname === `/${target.file}`);
      }
      await page.goto(docs.url + v.page);
      await page.locator(".sb-brand").click();
      await page.waitForURL((url) => url.pathname === "/index.html");
      expectClean(log);
      await page.close();
    },
  );

  test("the landing page's operation links open the operation", async () => {
    const { page, log } = await openTab();
    for (const v of site) {
      const o = v.operations.at(-1);
      await page.goto(docs.url);
      await page.locator(`#${v.key} a[href="${v.page}#${o.route}"]`).first().click();
      await waitForRedoc(page);
      await expectOperationShown(page, o, v.key);
    }
    expectClean(log);
    await page.close();
  });

  test("no local link of the landing page is broken", async () => {
    const { page } = await openTab();
    await page.goto(docs.url);
    const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
    const local = [...new Set(hrefs.filter((h) => h.startsWith(docs.url)).map((h) => h.split("#")[0]))];
    expect(local.length).toBeGreaterThanOrEqual(pages.length);
    for (const url of local) expect((await fetch(url, { method: "HEAD" })).status, url).toBe(200);
    await page.close();
  });
});
