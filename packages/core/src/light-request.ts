/**
 * openapi-fetch builds a WHATWG `Request` per call, which costs more than the rest of the
 * client together. It accepts any Request class, and we pass this plain holder instead: the
 * transport reads its fields and calls `fetch(url, init)` directly. openapi-fetch also copies
 * unknown init keys onto it, which is how per-call options (`signalbridge`) reach the transport.
 */
export class LightRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;
  readonly signal: AbortSignal | undefined;
  [extra: string]: unknown;

  constructor(url: string | URL, init: RequestInit = {}) {
    this.url = String(url);
    this.method = (init.method ?? "GET").toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    if (init.body !== undefined && init.body !== null && typeof init.body !== "string") {
      throw new TypeError("signalbridge sends JSON or form bodies as strings; set a bodySerializer that returns one");
    }
    this.body = init.body ?? undefined;
    this.signal = init.signal ?? undefined;
  }

  clone(): LightRequest {
    return this;
  }
}
