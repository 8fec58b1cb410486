/**
 * Fast checks of what the issue "docs that answer an engineer's questions" promised, on the built
 * site (dist/): the error-code reference, the citations, the CJK font subset and the search index.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { CJK_FAMILY, cjkCharacters } from "../src/cjk-font.mjs";
import { anchorIds, errorCodesOf } from "../src/error-codes.mjs";
import { internalSources } from "../src/sources.mjs";
import { plainText, searchEntries } from "../src/search-index.mjs";
import { DIST_DIR, loadSite, sitePages } from "../src/site.mjs";

const site = loadSite();
const idOf = anchorIds(site);
const read = (file) => readFileSync(join(DIST_DIR, file), "utf8");
const definitionOf = (html) => JSON.parse(/const __redoc_definition = (\{.*?\});\n/s.exec(html)[1]);
/** The row of a code on errors.html, as text (tags dropped, whitespace folded). */
function rowOf(html, id) {
  const start = html.indexOf(`<tr id="${id}"`);
  if (start < 0) return undefined;
  return html
    .slice(start, html.indexOf("</tr>", start))
    .replace(/<\/td>|<br>|<div>/g, " ")
    .replace(/<[^>]+>/g, "")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, " ");
}

beforeAll(() => {
  if (!existsSync(join(DIST_DIR, "errors.html"))) throw new Error("dist/ is missing: run `npm run build` first");
});

describe("error-code reference", () => {
  test.each(site.map((v) => [v.key, v]))(
    "%s: every documented code has a row with its status, meaning, vendor text and client behaviour",
    (_k, v) => {
      const html = read("errors.html");
      const codes = errorCodesOf(v);
      expect(codes.length).toBeGreaterThan(5);
      for (const e of codes) {
        const row = rowOf(html, idOf(v.key, e.code));
        expect(row, e.code).toBeDefined();
        expect(row).toContain(`HTTP ${e.status}`);
        expect(row).toContain(plainText(e.meaning).slice(0, 30).replace(/"/g, '"'));
        if (e.meaningZh) expect(row).toContain(e.meaningZh);
        if (v.key === "enos" && e.code === "0") continue;
        expect(row).toMatch(/not retried \(1 send\)|renews the credential|retried \(\d sends\)/);
        expect(row).toMatch(/kind: "(api|authentication)"|the call succeeds/);
      }
    },
  );

  test("the client columns say what the clients do (README: Retries, Errors)", () => {
    const html = read("errors.html");
    // An expired session / token is renewed once and the call re-sent; a refusal after that is an AuthenticationError.
    expect(rowOf(html, "ID.1001")).toMatch(/renews the credential, re-sends once \(2 sends\).*ZStackAuthenticationError/);
    expect(rowOf(html, "4011")).toMatch(
      /renews the credential, re-sends once \(2 sends\).*EnosAuthenticationError, kind: "authentication"/,
    );
    expect(rowOf(html, "invalid_token")).toContain("renews the credential, re-sends once (2 sends)");
    // Business refusals are final: one send, an ApiError.
    expect(rowOf(html, "NOTICE.0004")).toMatch(/not retried \(1 send\) EiamApiError, kind: "api"/);
    expect(rowOf(html, "NOTICE.INSITE.0003")).toMatch(/not retried \(1 send\) EiamApiError/);
    expect(rowOf(html, "31602")).toMatch(/not retried \(1 send\) EnosApiError, kind: "api"/);
    expect(rowOf(html, "ID.1000")).toMatch(/not retried \(1 send\) ZStackAuthenticationError/);
  });

  test("codes are linkable by their own name", () => {
    const html = read("errors.html");
    for (const id of ["NOTICE.0004", "31602", "SYS.1007", "invalid_token"]) expect(html).toContain(`<tr id="${id}"`);
  });

  test.each(site.map((v) => [v.key, v]))("%s: every operation links each of its codes to its row", (_k, v) => {
    const definition = definitionOf(read(v.page));
    for (const o of v.operations) {
      const description = definition.paths[o.path][o.method.toLowerCase()].description ?? "";
      for (const c of o.operation["x-error-codes"] ?? []) {
        const code = String(c.code).trim();
        expect(description, `${o.operationId} ${code}`).toContain(`[\`${code}\`](errors.html#${idOf(v.key, code)})`);
      }
    }
  });

  test("the landing page links every code of every vendor", () => {
    const html = read("index.html");
    for (const v of site) for (const e of errorCodesOf(v)) expect(html).toContain(`href="errors.html#${idOf(v.key, e.code)}"`);
  });
});

describe("citations", () => {
  test.each(sitePages().map((p) => [p.file]))("%s cites no file of the authors", (file) => {
    expect(internalSources(read(file))).toEqual([]);
  });

  test("the check finds the paths it is for", () => {
    for (const text of [
      "see vendor-notes/zstack.md §1.1",
      "`shared/seeds/enos-create-message-rules.txt`",
      "../shared/vendor-notes/enos.md",
      "vendor notes §5",
      "zstack.md §3",
    ]) {
      expect(internalSources(text), text).not.toEqual([]);
    }
    expect(internalSources("https://support.enos-iot.com/docs/app-portal-api/en/3.0.0/application/create_message_rule.html")).toEqual([]);
  });

  test("the abbreviations a spec cites sources by are resolved on its page, with their links", () => {
    for (const v of site) {
      const legend = v.doc.info?.["x-sources"];
      if (!legend) continue;
      const description = definitionOf(read(v.page)).info.description;
      expect(description).toContain("## Sources");
      for (const [abbr, text] of Object.entries(legend)) {
        expect(String(text), abbr).toMatch(/^https:\/\//);
        expect(description).toContain(`- **${abbr}**: <${String(text).split(" ")[0]}>`);
      }
    }
  });

  test("repository sources name a commit", () => {
    for (const p of sitePages()) {
      // The page's own text and the spec it renders; Redoc's script bundle cites its own sources.
      const html = read(p.file);
      const text = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "") + (p.vendor ? JSON.stringify(definitionOf(html)) : "");
      for (const [url] of text.matchAll(/https:\/\/github\.com\/[^\s"'<>)\\]+\/(?:blob|tree)\/[^\s"'<>)\\]+/g)) {
        expect(url, p.file).toMatch(/\/(?:blob|tree)\/[0-9a-f]{40}(\/|$)/);
      }
    }
  });
});

describe("CJK font", () => {
  const css = () => read("assets/site.css");

  test("site.css carries the subset, inlined, for every Chinese character of the pages", () => {
    const faces = [...css().matchAll(/@font-face \{([^}]*)\}/g)].map((m) => m[1]).filter((f) => f.includes(`"${CJK_FAMILY}"`));
    expect(faces.length).toBeGreaterThan(0);
    const covered = new Set();
    for (const f of faces) {
      expect(f).toMatch(/src: url\(data:font\/woff2;base64,[A-Za-z0-9+/=]{200,}\) format\("woff2"\)/);
      for (const [, hex] of f.matchAll(/U\+([0-9A-F]+)/g)) covered.add(String.fromCodePoint(parseInt(hex, 16)));
    }
    const texts = sitePages().map((p) => read(p.file).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, ""));
    for (const v of site) texts.push(JSON.stringify(definitionOf(read(v.page))));
    const needed = cjkCharacters(texts);
    for (const c of ["竹", "云", "通", "知", "组"]) expect(needed).toContain(c);
    expect(needed.filter((c) => !covered.has(c))).toEqual([]);
  });

  test("the stylesheets put the subset first, and Redoc's fonts too", () => {
    expect(css()).toMatch(/--sb-font: "SB Noto Sans SC",/);
    // Redoc 3 takes its fonts from CSS variables.
    expect(css()).toMatch(/--font-family-base: "SB Noto Sans SC",/);
    expect(css()).toMatch(/--font-family-monospaced: "SB Noto Sans SC",/);
  });

  test("the licence is on the site", () => {
    for (const file of ["index.html", "errors.html"]) expect(read(file)).toContain("SIL Open Font License 1.1");
  });
});

describe("search index", () => {
  const entries = searchEntries(site);
  test("covers every operation and every error code of every vendor, and their fields", () => {
    for (const v of site) {
      for (const o of v.operations)
        expect(
          entries.some((e) => e.kind === "operation" && e.href === `${v.page}#${o.route}`),
          o.operationId,
        ).toBe(true);
      for (const c of errorCodesOf(v))
        expect(
          entries.some((e) => e.kind === "error code" && e.title === c.code),
          c.code,
        ).toBe(true);
    }
    for (const field of ["phoneNumber", "message_type", "user_names", "messageRule", "ruleIds"])
      expect(
        entries.some((e) => e.kind === "field" && e.title.startsWith(`${field} (`)),
        field,
      ).toBe(true);
  });

  test("keeps the words of descriptions apart", () => {
    expect(plainText("The **marks** of\n`messageRule` are  empty.")).toBe("The marks of messageRule are empty.");
    const e = entries.find((x) => x.title === "31602");
    expect(e.text).toContain("The number of marks in messageRule exceeds the limit");
  });

  test("is shipped and loaded by every page", () => {
    expect(read("assets/search-index.js")).toContain("window.SB_SEARCH_INDEX = [");
    for (const p of sitePages()) expect(read(p.file)).toContain('<script src="assets/search-index.js"></script>');
  });
});

describe("reference pages", () => {
  test.each(site.map((v) => [v.key, v]))("%s: the Servers box gets no Markdown marks (Redoc shows them literally)", (_k, v) => {
    for (const s of definitionOf(read(v.page)).servers ?? []) {
      expect(s.description ?? "").not.toContain("`");
      for (const variable of Object.values(s.variables ?? {})) expect(variable.description ?? "").not.toContain("`");
    }
  });
});
