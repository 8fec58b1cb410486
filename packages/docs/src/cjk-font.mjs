/**
 * Chinese text must render on a machine with no CJK font installed (and with no network), so the
 * site ships its own: Noto Sans SC (SIL Open Font License 1.1) from the npm package
 * @fontsource/noto-sans-sc, cut at build time by subset-font (harfbuzz's hb-subset, compiled to
 * wasm) down to the CJK characters the pages actually contain, and inlined into the stylesheet as
 * data: URLs (so that pages opened from disk get it too). Its `unicode-range` lists exactly those
 * characters, so Latin text keeps the system font.
 *
 * @fontsource ships the font in unicode-range slices (one woff2 file per slice); every slice that
 * holds a character of the site is subset on its own, giving one small @font-face per slice.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import subsetFont from "subset-font";

/** The family name the stylesheets use (before the system fonts). */
export const CJK_FAMILY = "SB Noto Sans SC";
export const CJK_FONT = {
  name: "Noto Sans SC",
  package: "@fontsource/noto-sans-sc",
  licence: "SIL Open Font License 1.1",
  licenceUrl: "https://openfontlicense.org/",
  upstream: "https://github.com/notofonts/noto-cjk",
};

/** CJK radicals, punctuation, kana, ideographs, compatibility ideographs, fullwidth forms. */
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/gu;

/** The CJK characters of some texts, JSON `\uXXXX` escapes decoded, sorted by code point. */
export function cjkCharacters(texts) {
  const chars = new Set();
  for (const text of texts) {
    const decoded = String(text).replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    for (const c of decoded.match(CJK) ?? []) chars.add(c);
  }
  return [...chars].sort((a, b) => a.codePointAt(0) - b.codePointAt(0));
}

/** The slices of the font package: `[{ file, ranges: [[from, to], …] }]`. */
function slices() {
  const dir = dirname(createRequire(import.meta.url).resolve(`${CJK_FONT.package}/package.json`));
  const css = readFileSync(join(dir, "400.css"), "utf8");
  return [...css.matchAll(/@font-face\s*\{([^}]*)\}/g)].map(([, body]) => {
    const file = /url\(\.\/(files\/[^)]+\.woff2)\)/.exec(body)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(body)?.[1] ?? "";
    const ranges = range.split(",").map((r) => {
      const [from, to] = r.trim().replace(/^U\+/i, "").split("-");
      return [parseInt(from, 16), parseInt(to ?? from, 16)];
    });
    if (!file) throw new Error(`${CJK_FONT.package}/400.css: an @font-face without a woff2 file`);
    return { file: join(dir, file), ranges };
  });
}

const hex = (c) => c.codePointAt(0).toString(16).toUpperCase();

/**
 * The @font-face rules for these characters: `{ css, bytes, glyphs, missing }` (bytes: the woff2
 * data, before base64; missing: characters no slice covers).
 */
export async function cjkFontFaces(chars) {
  const all = slices();
  const bySlice = new Map();
  const missing = [];
  for (const c of chars) {
    const cp = c.codePointAt(0);
    const slice = all.find((s) => s.ranges.some(([a, b]) => cp >= a && cp <= b));
    if (!slice) missing.push(c);
    else bySlice.set(slice, [...(bySlice.get(slice) ?? []), c]);
  }
  let bytes = 0;
  const rules = [];
  for (const [slice, own] of bySlice) {
    const woff2 = await subsetFont(readFileSync(slice.file), own.join(""), { targetFormat: "woff2" });
    bytes += woff2.length;
    rules.push(
      `@font-face { font-family: "${CJK_FAMILY}"; font-style: normal; font-weight: 100 900; font-display: block; ` +
        `src: url(data:font/woff2;base64,${woff2.toString("base64")}) format("woff2"); ` +
        `unicode-range: ${own.map((c) => `U+${hex(c)}`).join(", ")}; }`,
    );
  }
  const header = `/* ${CJK_FONT.name} (${CJK_FONT.licence}, ${CJK_FONT.licenceUrl}), from ${CJK_FONT.package}, subset to the ${chars.length - missing.length} CJK characters of this site. */`;
  return { css: `${[header, ...rules].join("\n")}\n`, bytes, glyphs: chars.length - missing.length, missing };
}

/** The licence of the font the site ships (every page that has a footer says it). */
export function fontNotice() {
  return `<p class="sb-font-notice">Chinese text is set in <a href="${CJK_FONT.upstream}">${CJK_FONT.name}</a>, licensed under the
  <a href="${CJK_FONT.licenceUrl}">${CJK_FONT.licence}</a>, shipped as a subset of the npm package <code>${CJK_FONT.package}</code> made when the site is built.</p>`;
}
