/** Hashing and signing with WebCrypto only, so the clients run in Node, Bun, Deno and browsers. */
const encoder = new TextEncoder();

function hex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += bytes[i]!.toString(16).padStart(2, "0");
  return out;
}

function base64(buffer: ArrayBuffer): string {
  let binary = "";
  for (const b of new Uint8Array(buffer)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Lowercase hex SHA-256 of the UTF-8 text. */
export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Lowercase hex SHA-512 of the UTF-8 text. */
export async function sha512Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-512", encoder.encode(text)));
}

/** Base64 HMAC of the UTF-8 text with the UTF-8 key. */
export async function hmacBase64(algorithm: "SHA-1" | "SHA-256", key: string, text: string): Promise<string> {
  const k = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: algorithm }, false, ["sign"]);
  return base64(await crypto.subtle.sign("HMAC", k, encoder.encode(text)));
}

/** Base64 of the UTF-8 text (for HTTP Basic credentials). */
export function base64Text(text: string): string {
  return base64(encoder.encode(text).buffer as ArrayBuffer);
}
