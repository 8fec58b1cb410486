/**
 * Keeping the pages offline. Redoc's page loads nothing from a CDN when built with `--inlineBundle`,
 * but its bundle still names a few Redocly hosts at runtime (the "API docs by" logo, icon sets, the
 * telemetry endpoint). `localize` points them at files of the site; `externalResources` lists what
 * would still make a page fetch from another host, and the build and the tests fail on any.
 */

/** Rewrites of Redocly's runtime URLs to paths inside dist/ (relative to the page). */
const REWRITES = [
  // The attribution logo in the sidebar footer (full and collapsed): shipped in dist/assets/.
  [/https:\/\/cdn\.redoc\.ly\/redoc\/(logo-mini(?:-full)?\.svg)/g, "assets/redocly-$1"],
  // Icon sets (font-awesome, code languages) used by Redocly components we do not use.
  [/https:\/\/cdn\.redocly\.com\/icons\/([a-z-]+)\/[0-9.]+/g, "assets/icons/$1"],
  // Telemetry is disabled (`disableTelemetry: true`); its endpoint is neutralised as well.
  [/https:\/\/otel\.cloud\.redocly\.com\/[^\s"'`]*/g, "assets/telemetry-disabled"],
];

/** Hosts that serve page resources (scripts, styles, fonts, images, telemetry); none may remain. */
export const FORBIDDEN_HOSTS = [
  "cdn.redoc.ly",
  "cdn.redocly.com",
  "otel.cloud.redocly.com",
  "fonts.googleapis.com",
  "fonts.gstatic.com",
  "unpkg.com",
  "cdn.jsdelivr.net",
  "cdnjs.cloudflare.com",
];

export function localize(html) {
  let out = html;
  for (const [pattern, replacement] of REWRITES) out = out.replace(pattern, replacement);
  return out;
}

/**
 * What in a built page would be fetched from another host: resource attributes (script, link,
 * img, iframe, source, video, audio, object, embed) and CSS `url()` / `@import` with an absolute
 * URL, plus any mention of a known CDN or telemetry host anywhere, scripts included. Hyperlinks
 * (`<a href>`) are navigation, not fetches, and are allowed.
 */
export function externalResources(html) {
  const found = [];
  const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "<script></script>");
  const tag = /<(script|link|img|iframe|source|video|audio|object|embed|track|image)\b[^>]*>/gi;
  for (const [element] of markup.matchAll(tag)) {
    for (const m of element.matchAll(/\b(src|href|srcset|data|poster|xlink:href)\s*=\s*["']?\s*((?:https?:)?\/\/[^"'\s>]+)/gi)) {
      found.push(`${m[2]} (${element.slice(0, 60)}…)`);
    }
  }
  for (const m of html.matchAll(/url\(\s*["']?((?:https?:)?\/\/[^"')\s]+)/gi)) found.push(`${m[1]} (CSS url())`);
  for (const m of html.matchAll(/@import\s+(?:url\()?\s*["']?((?:https?:)?\/\/[^"')\s;]+)/gi)) found.push(`${m[1]} (@import)`);
  for (const host of FORBIDDEN_HOSTS) {
    const at = html.indexOf(host);
    if (at >= 0) found.push(`${host} (mentioned: …${html.slice(Math.max(0, at - 40), at + 60)}…)`);
  }
  return found;
}

/** Redoc's options as embedded in a built reference page (`const __redoc_options = {…};`). */
export function redocOptionsOf(html) {
  const m = /const __redoc_options = (\{.*?\});\n/.exec(html);
  return m ? JSON.parse(m[1]) : undefined;
}
