/// <reference types="node" />
/**
 * Content-Encoding for the undici sender, which (unlike fetch) gets the bytes as sent. Streaming,
 * so the cap is counted on decompressed bytes as they come and a gzip bomb stops at the cap
 * instead of inflating whole. The same codings as fetch, flushed leniently as fetch does (a
 * truncated but otherwise good gzip still yields what arrived).
 */
import type { Transform } from "node:stream";
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from "node:zlib";

export interface BodyDecoder {
  write(chunk: Buffer): void;
  end(): void;
  /** Stop decoding at once (over the cap, aborted); no more callbacks after this. */
  destroy(): void;
}

export interface DecodedSink {
  data(chunk: Buffer): void;
  end(): void;
  error(error: Error): void;
}

// More codings than this is no real server (fetch refuses such answers too).
const MAX_CODINGS = 5;

const zlibLenient = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
const brotliLenient = { flush: constants.BROTLI_OPERATION_FLUSH, finishFlush: constants.BROTLI_OPERATION_FLUSH };

type Coding = "gzip" | "deflate" | "br";

/**
 * A decoder for a Content-Encoding header, or undefined when the body needs none or names a coding
 * we do not know (then, like fetch, the bytes are handed on as they are).
 */
export function createDecoder(contentEncoding: string, sink: DecodedSink): BodyDecoder | undefined {
  const codings: Coding[] = [];
  for (const raw of contentEncoding.split(",")) {
    const coding = raw.trim().toLowerCase();
    if (coding === "" || coding === "identity") continue;
    if (coding === "gzip" || coding === "x-gzip") codings.push("gzip");
    else if (coding === "deflate") codings.push("deflate");
    else if (coding === "br") codings.push("br");
    else return undefined;
  }
  if (codings.length === 0) return undefined;
  if (codings.length > MAX_CODINGS) {
    return { write() {}, end() {}, destroy() {}, ...failAtOnce(sink, `${codings.length} content codings is more than ${MAX_CODINGS}`) };
  }
  // Codings are listed in the order they were applied: undo the last first.
  return chain(codings.reverse(), sink);
}

function failAtOnce(sink: DecodedSink, message: string): Partial<BodyDecoder> {
  let failed = false;
  const fail = () => {
    if (!failed) sink.error(new Error(message));
    failed = true;
  };
  return { write: fail, end: fail };
}

function chain(codings: Coding[], sink: DecodedSink): BodyDecoder {
  let streams: Transform[] | undefined;
  let destroyed = false;
  const onError = (error: Error) => {
    if (destroyed) return;
    destroy();
    sink.error(error);
  };
  // Built at the first chunk: "deflate" is zlib-wrapped or raw, as servers differ (fetch looks too).
  const build = (first: Buffer) => {
    streams = codings.map((coding) => {
      if (coding === "gzip") return createGunzip(zlibLenient);
      if (coding === "br") return createBrotliDecompress(brotliLenient);
      return codings.length === 1 && first.length > 0 && (first[0]! & 0x0f) !== 0x08
        ? createInflateRaw(zlibLenient)
        : createInflate(zlibLenient);
    });
    for (let i = 0; i < streams.length; i++) {
      const stream = streams[i]!;
      stream.on("error", onError);
      const next = streams[i + 1];
      if (next) stream.pipe(next);
    }
    const last = streams[streams.length - 1]!;
    last.on("data", (chunk: Buffer) => {
      if (!destroyed) sink.data(chunk);
    });
    last.on("end", () => {
      if (!destroyed) sink.end();
    });
  };
  const destroy = () => {
    destroyed = true;
    for (const s of streams ?? []) s.destroy();
  };
  return {
    write(chunk) {
      if (destroyed) return;
      if (!streams) build(chunk);
      streams![0]!.write(chunk);
    },
    end() {
      if (destroyed) return;
      // An encoded answer with an empty body decodes to nothing.
      if (!streams) return sink.end();
      streams[0]!.end();
    },
    destroy,
  };
}
