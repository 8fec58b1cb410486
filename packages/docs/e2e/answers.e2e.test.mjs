/**
 * The docs answer an engineer's questions, checked in headless Chromium on a machine with no CJK
 * font, offline (every tab fails on a request to any host but 127.0.0.1):
 *  1. every error code of every vendor is visible on the error-code page, linkable
 *     (errors.html#NOTICE.0004), linked from each operation, and two clicks from the landing page;
 *  2. Chinese text renders with the site's own font subset, not as tofu boxes;
 *  3. one search box finds operations, fields and error codes of every vendor, from any page;
 *  4. no page cites a file of the repository's authors;
 *  5. the landing page has a table of contents and highlighted samples; Redoc's Servers box shows
 *     no Markdown marks; the copy button does not cover code.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CJK_FAMILY } from "../src/cjk-font.mjs";
import { anchorIds, errorCodesOf } from "../src/error-codes.mjs";
import { internalSources } from "../src/sources.mjs";
import { loadSite, sitePages } from "../src/site.mjs";
import { RESULTS, expectClean, openTab as openTabIn, startBrowser, waitForRedoc } from "./browser.mjs";

const site = loadSite();
const pages = sitePages();
const idOf = anchorIds(site);
const vendor = (key) => site.find((v) => v.key === key);

let session;
let docs;
const openTab = () => openTabIn(session.context);

beforeAll(async () => {
  session = await startBrowser();
  docs = session.docs;
});
afterAll(() => session?.close());

/** The row is the :target and lies in the viewport, below the fixed header. */
async function expectRowShown(page, id) {
  await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash))).toBe(`#${id}`);
  await expect
    .poll(() =>
      page.evaluate((rowId) => {
        const row = document.getElementById(rowId);
        if (!row?.matches(":target")) return "not the target";
        const r = row.getBoundingClientRect();
        const header = document.querySelector(".sb-header").getBoundingClientRect().bottom;
        return r.top >= header - 1 && r.top < innerHeight ? "shown" : `top ${r.top}, header ${header}`;
      }, id),
    )
    .toBe("shown");
}

describe("1. error codes", () => {
  test("every code of every vendor is on errors.html, visible without clicking, with status, meaning, vendor text and client behaviour", async () => {
    const { page, log } = await openTab();
    await page.goto(`${docs.url}errors.html`);
    const text = await page.locator("main").innerText();
    for (const v of site) {
      for (const e of errorCodesOf(v)) {
        const row = page.locator(`tr[id="${idOf(v.key, e.code)}"]`);
        expect(await row.isVisible(), `${v.key} ${e.code}`).toBe(true);
        const cells = await row.locator("td").allInnerTexts();
        expect(cells[0].trim()).toBe(e.code);
        expect(cells[1]).toContain(`HTTP ${e.status}`);
        expect(cells[2].length).toBeGreaterThan(5);
        if (e.meaningZh) expect(cells[3]).toContain(e.meaningZh);
        if (!(v.key === "enos" && e.code === "0")) {
          expect(cells[4]).toMatch(/not retried|renews the credential|retried \(/);
          expect(cells[5]).toMatch(/kind: "(api|authentication)"|the call succeeds/);
        }
      }
    }
    // Nothing sticks out of the window: the page scrolls only down.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    // What the reader searched for and could not find.
    for (const code of ["31602", "NOTICE.0004", "SYS.1007", "4011", "invalid_token"]) expect(text).toContain(code);
    await page.screenshot({ path: join(RESULTS, "errors.png") });
    expectClean(log);
    await page.close();
  });

  test("a code's own link opens its row (errors.html#NOTICE.0004)", async () => {
    const { page, log } = await openTab();
    for (const id of ["NOTICE.0004", "31602", "ID.1001"]) {
      await page.goto(`${docs.url}errors.html#${id}`);
      await expectRowShown(page, id);
    }
    await page.screenshot({ path: join(RESULTS, "errors-ID.1001.png") });
    expectClean(log);
    await page.close();
  });

  test.each(site.map((v) => [v.name, v]))("every %s operation shows and links each of its codes", async (_name, v) => {
    const { page, log } = await openTab();
    await page.goto(docs.url + v.page);
    await waitForRedoc(page);
    for (const o of v.operations) {
      const codes = (o.operation["x-error-codes"] ?? []).map((c) => String(c.code).trim());
      if (!codes.length) continue;
      await page.evaluate((hash) => (location.hash = hash), o.route);
      for (const code of codes) {
        await page
          .locator(`#redoc a[href="errors.html#${idOf(v.key, code)}"]`)
          .filter({ visible: true })
          .first()
          .waitFor();
      }
    }
    // Following one: the code's row.
    const o = v.operations.find((x) => x.operation["x-error-codes"]?.length);
    const code = String(o.operation["x-error-codes"].at(-1).code).trim();
    await page.evaluate((hash) => (location.hash = hash), o.route);
    await page
      .locator(`#redoc a[href="errors.html#${idOf(v.key, code)}"]`)
      .filter({ visible: true })
      .first()
      .click();
    await page.waitForURL((url) => url.pathname === "/errors.html");
    await expectRowShown(page, idOf(v.key, code));
    expectClean(log);
    await page.close();
  });

  test.each(site.map((v) => [v.name, v]))("every %s error code is two clicks from the landing page", async (_name, v) => {
    const { page, log } = await openTab();
    for (const e of errorCodesOf(v)) {
      const id = idOf(v.key, e.code);
      await page.goto(docs.url);
      // Click 1: the "Error codes" tab of the header.
      await page.locator(".sb-nav").getByRole("link", { name: "Error codes", exact: true }).click();
      await page.waitForURL((url) => url.pathname === "/errors.html");
      // Click 2: the code in its vendor's index.
      await page.locator(`#errors-${v.key} .sb-codes-index a[href="#${id}"]`).click();
      await expectRowShown(page, id);
    }
    expectClean(log);
    await page.close();
  });
});

describe("2. Chinese renders with the site's font", () => {
  test("this machine has no CJK font (so any Chinese glyph on screen comes from the site)", () => {
    expect(execFileSync("fc-list", [":lang=zh"], { encoding: "utf8" }).trim()).toBe("");
  });

  /**
   * For an element holding Chinese text: what Chromium actually drew it with (CDP), whether the
   * face is loaded (document.fonts), and the text's width in the site's font against the width of
   * the same text in the system's sans-serif, which on this machine has no Chinese glyph (tofu).
   */
  async function fontReport(page, locator) {
    await locator.scrollIntoViewIfNeeded();
    const text = (await locator.innerText()).trim();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
    const marker = `sb-font-probe-${Math.random().toString(36).slice(2)}`;
    await locator.evaluate((el, m) => el.setAttribute("data-font-probe", m), marker);
    const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector: `[data-font-probe="${marker}"]` });
    const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
    await cdp.detach();
    const inPage = await page.evaluate(
      async ({ family, sample }) => {
        await document.fonts.ready;
        const faces = [...document.fonts].filter((f) => f.family.replace(/"/g, "") === family);
        const width = (fontFamily) => {
          const span = document.createElement("span");
          span.textContent = sample;
          span.style.cssText = `font: 20px ${fontFamily}; position: absolute; white-space: nowrap; visibility: hidden`;
          document.body.append(span);
          const w = span.getBoundingClientRect().width;
          span.remove();
          return w;
        };
        // Two different characters: distinct glyphs in a real font, the same box when tofu.
        const pixels = (fontFamily, ch) => {
          const c = document.createElement("canvas");
          c.width = 40;
          c.height = 40;
          const g = c.getContext("2d");
          g.font = `32px ${fontFamily}`;
          g.fillText(ch, 2, 32);
          return Array.from(g.getImageData(0, 0, 40, 40).data).join(",");
        };
        return {
          loaded: faces.filter((f) => f.status === "loaded").length,
          check: document.fonts.check(`16px "${family}"`, sample),
          siteWidth: width(`"${family}", sans-serif`),
          tofuWidth: width("sans-serif"),
          siteGlyphsDiffer: pixels(`"${family}"`, "通") !== pixels(`"${family}"`, "知"),
          tofuGlyphsDiffer: pixels("sans-serif", "通") !== pixels("sans-serif", "知"),
        };
      },
      { family: CJK_FAMILY, sample: text.match(/[\u2e80-\u9fff]+/)[0] },
    );
    return { text, fonts, ...inPage };
  }

  test.each([
    ["errors.html", "td.sb-zh", "通知标题不能为空"],
    ["errors.html", "td.sb-zh", "消息规则内容异常"],
    ["eiam.html", "#redoc p, #redoc li", "竹云"],
    ["enos.html", "#redoc li", "消息规则 mark 为空"],
  ])("%s: %s containing %s", async (file, selector, chinese) => {
    const { page, log } = await openTab();
    await page.goto(docs.url + file);
    if (file !== "errors.html") await waitForRedoc(page);
    if (file === "enos.html")
      await page.evaluate(
        (hash) => (location.hash = hash),
        vendor("enos").operations.find((o) => o.operationId === "createMessageRules").route,
      );
    const element = page.locator(selector).filter({ hasText: chinese, visible: true }).first();
    await element.waitFor();
    const r = await fontReport(page, element);
    const cjk = r.fonts.filter((f) => f.isCustomFont);
    expect(cjk.map((f) => f.familyName).join(), JSON.stringify(r.fonts)).toMatch(/Noto Sans SC/);
    // Every Chinese character of the element was drawn with the site's font, none with a system font.
    const chineseCount = [...r.text].filter((c) => /[\u2e80-\u9fff\uff00-\uffef]/.test(c)).length;
    expect(cjk.reduce((n, f) => n + f.glyphCount, 0)).toBeGreaterThanOrEqual(chineseCount);
    expect(r.loaded).toBeGreaterThan(0);
    expect(r.check).toBe(true);
    expect(r.siteGlyphsDiffer, "real glyphs in the site's font").toBe(true);
    expect(r.tofuGlyphsDiffer, "the system's sans-serif draws the same box for every Chinese character").toBe(false);
    expect(Math.abs(r.siteWidth - r.tofuWidth), `width ${r.siteWidth} vs tofu ${r.tofuWidth}`).toBeGreaterThan(1);
    await element.screenshot({ path: join(RESULTS, `cjk-${file.replace(".html", "")}-${chinese.slice(0, 2)}.png`) });
    expectClean(log);
    await page.close();
  });
});

describe("3. one search across all vendors", () => {
  async function searchFor(page, query) {
    const input = page.locator(".sb-search input");
    await input.fill(query);
    const list = page.locator(".sb-results");
    await list.waitFor({ state: "visible" });
    return list;
  }

  test.each(pages.map((p) => [p.file, p]))("from %s it finds an error code, an operation and a field of other vendors", async (file, p) => {
    const { page, log } = await openTab();
    await page.goto(docs.url + file);
    if (p.vendor) await waitForRedoc(page);

    let list = await searchFor(page, "31602");
    const hit = list.locator("li a").first();
    expect(await hit.locator(".sb-hit-title").innerText()).toBe("31602");
    expect(await hit.locator(".sb-hit-kind").innerText()).toMatch(/EnOS Application Portal · error code/i);
    // The snippet keeps its spaces.
    expect(await hit.locator(".sb-hit-text").innerText()).toContain("The number of marks in messageRule exceeds the limit");

    list = await searchFor(page, "NOTICE.0004");
    expect(await list.locator("li a .sb-hit-title").first().innerText()).toBe("NOTICE.0004");

    list = await searchFor(page, "message_type");
    const field = list.locator("li a").filter({ hasText: "field" }).first();
    expect(await field.locator(".sb-hit-kind").innerText()).toMatch(/Bamboo Cloud IDaaS EIAM · field/i);
    expect(await field.locator(".sb-hit-title").innerText()).toMatch(/^message_type \(/);

    list = await searchFor(page, "removeSNSDingTalk");
    expect(await list.locator("li a .sb-hit-title").first().innerText()).toBe("DELETE RemoveSNSDingTalkAtPerson");

    // Enter follows the first hit.
    await searchFor(page, "31602");
    await page.locator(".sb-search input").press("Enter");
    await page.waitForURL((url) => url.pathname === "/errors.html");
    await expectRowShown(page, "31602");
    if (file === "zstack.html") await page.screenshot({ path: join(RESULTS, "search-31602.png") });
    expectClean(log);
    await page.close();
  });

  test("a hit opens the operation on another vendor's reference, and Ctrl+K focuses the search", async () => {
    const { page, log } = await openTab();
    await page.goto(`${docs.url}zstack.html`);
    await waitForRedoc(page);
    await page.keyboard.press("Control+K");
    expect(await page.evaluate(() => document.activeElement?.closest(".sb-search") !== null)).toBe(true);
    await page.keyboard.type("sendInSiteNotice");
    const op = vendor("eiam").operations.find((o) => o.operationId === "sendInSiteNotice");
    await page.locator(`.sb-results a[href="eiam.html#${op.route}"]`).first().click();
    await page.waitForURL((url) => url.pathname === "/eiam.html");
    await waitForRedoc(page);
    await page.locator("#redoc h1, #redoc h2").filter({ hasText: op.summary, visible: true }).first().waitFor();
    expectClean(log);
    await page.close();
  });
});

describe("4. citations", () => {
  test.each(pages.map((p) => [p.file, p]))("%s shows no file of the authors and links only to pages a reader can open", async (file, p) => {
    const { page, log } = await openTab();
    await page.goto(docs.url + file);
    if (p.vendor) {
      await waitForRedoc(page);
      // Expand every operation's text: Redoc renders each operation's section on the page.
      for (const o of vendor(p.key).operations) await page.evaluate((hash) => (location.hash = hash), o.route);
    }
    const text = await page.locator("body").innerText();
    const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")));
    expect(internalSources(text)).toEqual([]);
    expect(internalSources(hrefs.join(" "))).toEqual([]);
    for (const href of hrefs) expect(href, href).toMatch(/^(https?:\/\/|#|[a-z-]+\.html(#.*)?$)/);
    expectClean(log);
    await page.close();
  });
});

describe("5. landing page and reference details", () => {
  test("the table of contents reaches every section, and the samples are highlighted", async () => {
    const { page, log } = await openTab();
    await page.goto(docs.url);
    const targets = await page.$$eval(".sb-toc a[href^='#']", (as) => as.map((a) => a.getAttribute("href").slice(1)));
    expect(targets.length).toBeGreaterThanOrEqual(2 + site.length * 6);
    for (const id of targets) expect(await page.evaluate((x) => document.getElementById(x) !== null, id), id).toBe(true);
    await page.locator(".sb-toc").getByRole("link", { name: "Error codes" }).first().click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#${site[0].key}-errors`);
    for (const figure of await page.locator(".sb-code").all()) {
      const colours = await figure.evaluate((f) => {
        const plain = getComputedStyle(f.querySelector("code")).color;
        const keyword = f.querySelector(".hljs-keyword");
        const string = f.querySelector(".hljs-string");
        return { plain, keyword: keyword && getComputedStyle(keyword).color, string: string && getComputedStyle(string).color };
      });
      expect(colours.keyword).not.toBeNull();
      expect(colours.keyword).not.toBe(colours.plain);
      expect(colours.string).not.toBe(colours.plain);
    }
    expectClean(log);
    await page.close();
  });

  test.each(site.map((v) => [v.name, v]))("%s: the Servers box shows no backticks and no copy button covers code", async (_name, v) => {
    const { page, log } = await openTab();
    await page.goto(docs.url + v.page);
    await waitForRedoc(page);
    const server = v.doc.servers?.[0];
    if (server?.description) {
      const first = server.description.replace(/`/g, "").slice(0, 30);
      const box = page.locator("#redoc").getByText(first, { exact: false }).filter({ visible: true }).first();
      expect((await box.innerText()).includes("`")).toBe(false);
    }
    for (const o of v.operations) {
      await page.evaluate((hash) => (location.hash = hash), o.route);
      await page.locator('[data-component-name="CodeBlock/CodeBlock"] pre').filter({ visible: true }).first().waitFor();
      const overlaps = await page.evaluate(() => {
        const out = [];
        for (const block of document.querySelectorAll('[data-component-name="CodeBlock/CodeBlock"]')) {
          const pre = block.querySelector("pre");
          if (!pre?.offsetParent) continue;
          const p = pre.getBoundingClientRect();
          // The block's controls (copy, expand/collapse all); the +/- toggles inside JSON samples are part of the code.
          for (const b of block.querySelectorAll(
            '[data-component-name="CodeBlock/CodeBlockControls"] button, [data-testid="copy-button"]',
          )) {
            const r = b.getBoundingClientRect();
            if (r.width && r.left < p.right && r.right > p.left && r.top < p.bottom && r.bottom > p.top)
              out.push(pre.textContent.slice(0, 40));
          }
        }
        return out;
      });
      expect(overlaps, o.operationId).toEqual([]);
    }
    expectClean(log);
    await page.close();
  });
});
