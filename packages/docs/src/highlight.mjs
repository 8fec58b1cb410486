/**
 * Syntax highlighting of the landing page's TypeScript samples, done once at build time with
 * highlight.js (its core and the TypeScript grammar only): the page gets static
 * `<span class="hljs-…">` markup and ships no highlighter.
 */
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";

hljs.registerLanguage("typescript", typescript);

/** Highlighted, HTML-escaped markup of a TypeScript source. */
export function highlightTypeScript(source) {
  return hljs.highlight(source, { language: "typescript", ignoreIllegals: true }).value;
}
