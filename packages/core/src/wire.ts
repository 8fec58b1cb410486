import { OVER_CAP, readBodyCapped } from "./read-body.js";

/**
 * The seam between the transport (auth, deadline, retries) and whatever moves bytes: one request
 * out, one answer in, with the hostile-server rules already applied (no redirect followed, body
 * read under the cap). `fetchSender` serves every runtime; a Node sender on undici can replace it.
 */
export interface WireRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** Ends the request and the body read (the call's deadline, the caller's abort, an attempt cap). */
  readonly signal: AbortSignal;
  /** Cap on the body, counted after decompression. */
  readonly maxResponseBytes: number;
}

/** Response headers, as much of `Headers` as vendors read. */
export interface WireHeaders {
  get(name: string): string | null;
}

export type WireAnswer =
  /** A final answer, its body read whole. */
  | { readonly kind: "answer"; readonly status: number; readonly statusText: string; readonly headers: WireHeaders; readonly text: string }
  /** A 3xx (not followed); `opaque` when a browser hid its target. */
  | { readonly kind: "redirect"; readonly status: number; readonly location: string | null; readonly opaque: boolean }
  /** The body went over `maxResponseBytes`; the read was stopped there. */
  | { readonly kind: "too-large"; readonly status: number };

/** Sends one request. Rejects only when no answer arrived (network failure, abort). */
export type HttpSender = (request: WireRequest) => Promise<WireAnswer>;

/** The sender over a WHATWG fetch (browsers, Deno, Bun, Node, or the caller's own fetch). */
export function fetchSender(fetchImpl: typeof fetch): HttpSender {
  return async (request) => {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers as Record<string, string>,
      body: request.body,
      signal: request.signal,
      // Never follow: a redirect to another origin would carry the credential, the body and the
      // signature there. The transport reports it instead.
      redirect: "manual",
    });
    if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => undefined);
      return {
        kind: "redirect",
        status: response.status,
        location: response.headers.get("location"),
        opaque: response.type === "opaqueredirect",
      };
    }
    const text = await readBodyCapped(response, request.maxResponseBytes);
    if (text === OVER_CAP) return { kind: "too-large", status: response.status };
    return { kind: "answer", status: response.status, statusText: response.statusText, headers: response.headers, text };
  };
}
