/**
 * openapi-fetch builds a WHATWG `Request` per call, which costs more than the rest of the
 * client together. It accepts any Request class (its documented `Request` option), and we pass
 * this plain holder instead: the transport reads its fields and sends them itself.
 */
export class LightRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;
  readonly signal: AbortSignal | undefined;

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
