/**
 * Redaction: secrets never reach an error message, a log line or a serialized error.
 *
 * Two nets, because either alone leaks: keys that name a secret (password, token, signature,
 * Authorization, and names vendors register) are masked wherever they appear, and the secret *values* that auth code
 * registers (a password, a session uuid, a token) are scrubbed from any free text, such as a URL
 * path that carries a session uuid or a vendor message that echoes a token back.
 */
export const REDACTED = "[redacted]";

const SECRET_KEY = /pass(word)?|secret|token|signature|encryption|authorization|cookie|session_?uuid|session_?id|credential|private/i;
// Vendor-specific names (EnOS's apim-* headers) are registered by the vendor package that knows them.
const vendorSecretKeys: RegExp[] = [];

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || vendorSecretKeys.some((re) => re.test(key));
}

/** Mask every key or header matching `pattern` too (a vendor's own credential headers). */
export function registerSecretKey(pattern: RegExp): void {
  if (!vendorSecretKeys.some((re) => re.source === pattern.source && re.flags === pattern.flags)) vendorSecretKeys.push(pattern);
}

// Bounded so that a long-running process that renews tokens for months does not grow without end.
const MAX_SECRETS = 512;
const secrets = new Set<string>();
let pattern: RegExp | undefined;

/** Remember a secret value so that it is scrubbed from all text signalbridge emits. */
export function registerSecret(value: string | undefined | null): void {
  // Very short values would turn ordinary words into "[redacted]" and protect nothing.
  if (!value || value.length < 4 || secrets.has(value)) return;
  secrets.add(value);
  if (secrets.size > MAX_SECRETS) secrets.delete(secrets.values().next().value as string);
  pattern = undefined;
}

function secretPattern(): RegExp | undefined {
  if (secrets.size === 0) return undefined;
  if (!pattern) {
    const alternatives = [...secrets]
      .sort((a, b) => b.length - a.length)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    pattern = new RegExp(alternatives.join("|"), "g");
  }
  return pattern;
}

/** Replace every registered secret value (and its URL-encoded form) inside a text. */
export function scrubText(text: string): string {
  const re = secretPattern();
  if (!re) return text;
  let out = text.replace(re, REDACTED);
  if (out.includes("%")) {
    try {
      const decoded = decodeURIComponent(out);
      if (decoded !== out && re.test(decoded)) out = decoded.replace(re, REDACTED);
    } catch {
      // not URL-encoded text; nothing more to do
    }
  }
  return out;
}

/** A deep copy with secret-named keys masked and registered secret values scrubbed. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object" || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: scrubText(value.message) };
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = isSecretKey(key) && v !== null && v !== undefined && v !== "" ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}

/** Headers as a plain object with secret headers masked, for logs. */
export function redactHeaders(headers: Record<string, string> | Headers): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [key, v] of entries) out[key] = isSecretKey(key) ? REDACTED : scrubText(v);
  return out;
}
