/**
 * Test-side instruments around the real sandbox and the real clients (nothing in the sandbox or the
 * clients is changed):
 * - `recordProcessed(server)`: every request the vendor simulator actually processed (its `handle`
 *   ran: faults "before" never get there, faults `after: true` do), with what it received, the spec
 *   violations the sandbox found in it, and what the simulator answered.
 * - `recordingFetch()`: a `fetch` for the clients' `fetch` option that keeps every request sent and
 *   every answer read, byte for byte (where secrets travel).
 */
import type { SimReply, SimRequest, SpecViolation, VendorServer } from "@signalbridge/sandbox";

export interface Processed {
  operationId: string | undefined;
  method: string;
  path: string;
  pathParams: Record<string, string>;
  headers: Record<string, string>;
  rawBody: string;
  body: unknown;
  violations: SpecViolation[];
  reply: SimReply;
}

/** Record what the simulator behind `server` processes from now on. */
export function recordProcessed(server: VendorServer): Processed[] {
  const log: Processed[] = [];
  const simulator = server.simulator;
  const handle = simulator.handle.bind(simulator);
  simulator.handle = async (request: SimRequest) => {
    const reply = await handle(request);
    log.push({
      operationId: request.operationId,
      method: request.method,
      path: request.path,
      pathParams: request.pathParams,
      headers: request.headers,
      rawBody: request.rawBody,
      body: request.body,
      violations: request.violations,
      reply,
    });
    return reply;
  };
  return log;
}

export interface Exchanged {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  status: number | undefined;
  responseText: string | undefined;
}

/** A fetch that records each exchange (request as sent, answer as read) before handing it on. */
export function recordingFetch(): { fetch: typeof fetch; exchanges: Exchanged[] } {
  const exchanges: Exchanged[] = [];
  const recording = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const entry: Exchanged = {
      method: init?.method ?? "GET",
      url: String(input),
      headers,
      body: typeof init?.body === "string" ? init.body : undefined,
      status: undefined,
      responseText: undefined,
    };
    exchanges.push(entry);
    const response = await globalThis.fetch(input, init);
    entry.status = response.status;
    entry.responseText = await response.clone().text();
    return response;
  };
  return { fetch: recording as typeof fetch, exchanges };
}
