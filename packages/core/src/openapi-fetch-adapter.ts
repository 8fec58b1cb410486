/**
 * The one place that talks to openapi-fetch, through its documented options only:
 * - `Request` (createClient): our LightRequest instead of a WHATWG Request, which costs more than
 *   the rest of the client together;
 * - `fetch` (createClient, and per request): the signalbridge transport; a named call passes its
 *   own `fetch`, a closure that carries the call's context (operation, deadline, options);
 * - `bodySerializer` (per request): the bytes core validated, so exactly those are sent;
 * - `parseAs: "stream"` (per request): openapi-fetch leaves the body alone; the transport read it.
 * test/openapi-fetch-contract.test.ts fails if an openapi-fetch upgrade changes any of these.
 */
import createClient, { type Client } from "openapi-fetch";
import { LightRequest } from "./light-request.js";
import type { CallContext } from "./transport.js";

/** The signalbridge transport as openapi-fetch calls it; `call` is set for named calls only. */
export type Transport = (request: LightRequest, call?: CallContext & { operation: string }) => Promise<Response>;

/** The typed openapi-fetch client whose every request goes through `transport`. */
export function createRawClient<Paths extends {}>(baseUrl: string, transport: Transport): Client<Paths> {
  return createClient<Paths>({
    baseUrl,
    fetch: ((request: LightRequest) => transport(request)) as unknown as typeof fetch,
    Request: LightRequest as unknown as typeof Request,
  });
}

/** The per-request options a named method spreads into its `.raw` call. */
export interface SendInit {
  /** The body is read by the transport already; "stream" keeps openapi-fetch from reading it again. */
  parseAs: "stream";
  /** This call's transport, carrying its context. */
  fetch: typeof fetch;
  /** Returns the bytes that were validated, so that exactly those are sent. */
  bodySerializer?: () => string;
  signal?: AbortSignal;
}

/** The init for one named call. */
export function sendInit(transport: Transport, call: CallContext & { operation: string }, bytes: string | undefined): SendInit {
  const init: SendInit = {
    parseAs: "stream",
    fetch: ((request: LightRequest) => transport(request, call)) as unknown as typeof fetch,
  };
  if (bytes !== undefined) init.bodySerializer = () => bytes;
  if (call.signal) init.signal = call.signal;
  return init;
}
