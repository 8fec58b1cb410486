/** The default cap on one answer's body, counted after decompression. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** The answer went over the cap; reading stopped there. */
export const OVER_CAP: unique symbol = Symbol("over the response size cap");

const decoder = new TextDecoder();

/**
 * Read a body as text, but never more than `maxBytes` of it: a hostile server's endless body or
 * gzip bomb stops at the cap instead of filling memory. fetch decompresses before the stream, so
 * the count is of decompressed bytes. Over the cap the stream is cancelled at once, which closes
 * the connection.
 */
export async function readBodyCapped(response: Response, maxBytes: number): Promise<string | typeof OVER_CAP> {
  const declared = response.headers.get("content-length");
  // A declared length over the cap (the compressed size, when encoded) needs no download at all.
  if (declared !== null && !response.headers.has("content-encoding") && Number(declared) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return OVER_CAP;
  }
  const body = response.body;
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return OVER_CAP;
    }
    chunks.push(value);
  }
  if (chunks.length === 0) return "";
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(all);
}
