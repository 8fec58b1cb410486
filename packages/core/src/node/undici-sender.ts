/// <reference types="node" />
/**
 * The Node transport: one request on undici's Agent (keep-alive pools per origin), the answer
 * collected straight from the dispatcher's callbacks. Node's own fetch runs on the same undici but
 * adds the WHATWG layer (Request, Response, Headers, web streams) per call, which is where most of
 * its time goes; this sender skips that layer and applies the hostile-server rules itself:
 * no redirect followed, the body capped after decompression, the signal ending the request and
 * the body read. Imported only by the Node entry (index.node.ts), so no browser bundle has it.
 */
import { STATUS_CODES } from "node:http";
import { Agent, type Dispatcher } from "undici";
import type { HttpSender, WireAnswer, WireHeaders, WireRequest } from "../wire.js";
import { createDecoder, type BodyDecoder } from "./decode.js";

/** Pooling limits of the Agent the sender creates (ignored when you pass your own `dispatcher`). */
export interface UndiciSenderOptions {
  /** Open connections per origin at most; further requests queue. Default 64. */
  connections?: number;
  /** How long an idle kept-alive connection stays open, in ms. Default 4 000 (under the usual 5 s of servers, so we close first). */
  keepAliveTimeout?: number;
  /** Upper bound on a server's `Keep-Alive: timeout=` hint, in ms. Default 600 000. */
  keepAliveMaxTimeout?: number;
  /** TCP (and TLS) connect timeout in ms; a timeout there counts as not sent. Default 10 000. */
  connectTimeout?: number;
  /** Your own undici Dispatcher (a ProxyAgent, custom TLS): used as is, the limits above do not apply. */
  dispatcher?: Dispatcher;
}

export const UNDICI_SENDER_DEFAULTS = {
  connections: 64,
  keepAliveTimeout: 4_000,
  keepAliveMaxTimeout: 600_000,
  connectTimeout: 10_000,
} as const;

/** Builds the Agent with the documented limits. */
export function createUndiciAgent(options: UndiciSenderOptions = {}): Agent {
  return new Agent({
    connections: options.connections ?? UNDICI_SENDER_DEFAULTS.connections,
    keepAliveTimeout: options.keepAliveTimeout ?? UNDICI_SENDER_DEFAULTS.keepAliveTimeout,
    keepAliveMaxTimeout: options.keepAliveMaxTimeout ?? UNDICI_SENDER_DEFAULTS.keepAliveMaxTimeout,
    connect: { timeout: options.connectTimeout ?? UNDICI_SENDER_DEFAULTS.connectTimeout },
    // The call's one deadline (and attemptTimeoutMs) governs; undici's own 300 s timers would cut a
    // longer deadline short.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
}

// What fetch would send unasked and we can honour: compressed answers are decoded here.
const ACCEPT_ENCODING = "gzip, deflate, br";

/** A sender on undici, for Node. Every call of it shares one Agent (one pool per origin). */
export function undiciSender(options: UndiciSenderOptions = {}): HttpSender {
  const dispatcher = options.dispatcher ?? createUndiciAgent(options);
  return (request) => send(dispatcher, request);
}

function send(dispatcher: Dispatcher, request: WireRequest): Promise<WireAnswer> {
  const { signal, maxResponseBytes } = request;
  if (signal.aborted) return Promise.reject(signal.reason);
  const url = new URL(request.url);
  const headers = withAcceptEncoding(request.headers);

  return new Promise<WireAnswer>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let status = 0;
    let statusText = "";
    let responseHeaders: Record<string, string | string[] | undefined> = {};
    let decoder: BodyDecoder | undefined;
    const chunks: Buffer[] = [];
    let total = 0;

    const finish = (outcome: { answer: WireAnswer } | { error: unknown }) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      if ("answer" in outcome) resolve(outcome.answer);
      else reject(outcome.error);
    };
    /** Stop reading now (closes the connection, so a hostile server cannot push the rest). */
    const stop = (reason: Error) => {
      decoder?.destroy();
      if (controller && !controller.aborted) controller.abort(reason);
    };
    const onAbort = () => {
      finish({ error: signal.reason });
      stop(abortError(signal.reason));
    };
    signal.addEventListener("abort", onAbort, { once: true });

    const tooLarge = () => {
      finish({ answer: { kind: "too-large", status } });
      stop(new Error("answer over maxResponseBytes"));
    };
    const take = (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > maxResponseBytes) return tooLarge();
      chunks.push(chunk);
    };
    const answer = () => {
      if (settled) return;
      const text = total === 0 ? "" : chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks, total).toString("utf8");
      finish({ answer: { kind: "answer", status, statusText, headers: new UndiciHeaders(responseHeaders), text } });
    };

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        // The signal may have fired while the request waited for a connection.
        if (settled) c.abort(abortError(signal.reason));
      },
      onResponseStart(c, statusCode, received, message) {
        if (statusCode < 200) return; // 1xx informational: the final answer follows
        status = statusCode;
        statusText = message || STATUS_CODES[statusCode] || "";
        responseHeaders = received;
        if (statusCode >= 300 && statusCode < 400) {
          // Never follow: the credential, body and signature would go to wherever it points.
          finish({ answer: { kind: "redirect", status: statusCode, location: single(received.location), opaque: false } });
          c.abort(new Error("redirect not followed"));
          return;
        }
        const encoding = single(received["content-encoding"]);
        const declared = single(received["content-length"]);
        // A declared length over the cap (the compressed size, when encoded) needs no download at all.
        if (!encoding && declared !== null && Number(declared) > maxResponseBytes) return tooLarge();
        if (encoding) {
          decoder = createDecoder(encoding, {
            data: take,
            end: answer,
            error: (error) => {
              finish({ error });
              stop(error);
            },
          });
        }
      },
      onResponseData(_c, chunk) {
        if (settled) return;
        if (decoder) decoder.write(chunk);
        else take(chunk);
      },
      onResponseEnd() {
        if (decoder) decoder.end();
        else answer();
      },
      onResponseError(_c, error) {
        decoder?.destroy();
        finish({ error });
      },
    };

    try {
      dispatcher.dispatch(
        {
          origin: url.origin,
          path: url.pathname + url.search,
          method: request.method as Dispatcher.HttpMethod,
          headers,
          body: request.body ?? null,
        },
        handler,
      );
    } catch (error) {
      finish({ error });
    }
  });
}

function withAcceptEncoding(headers: Readonly<Record<string, string>>): Record<string, string> {
  for (const name in headers) if (name.length === 15 && name.toLowerCase() === "accept-encoding") return headers as Record<string, string>;
  return { ...headers, "accept-encoding": ACCEPT_ENCODING };
}

function single(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

function abortError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** undici's parsed headers (lower-case names) as the `get` vendors read, plus `entries` for a Response. */
class UndiciHeaders implements WireHeaders {
  readonly #headers: Record<string, string | string[] | undefined>;
  constructor(headers: Record<string, string | string[] | undefined>) {
    this.#headers = headers;
  }
  get(name: string): string | null {
    return single(this.#headers[name.toLowerCase()]);
  }
  has(name: string): boolean {
    return this.#headers[name.toLowerCase()] !== undefined;
  }
  *entries(): IterableIterator<[string, string]> {
    for (const [name, value] of Object.entries(this.#headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) yield [name, v];
      else yield [name, value];
    }
  }
}
