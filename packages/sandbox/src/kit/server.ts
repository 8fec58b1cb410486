import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { systemClock } from "./clock.js";
import { CONTROL_PREFIX, CONTROL_TOKEN_HEADER, control, newControlToken, refuseWithoutToken } from "./control.js";
import { FaultList } from "./faults.js";
import { SpecIndex } from "./spec.js";
import type { FaultSpec, RecordedRequest, SimReply, SimRequest, VendorSimulator } from "./types.js";

export { CONTROL_PREFIX, CONTROL_TOKEN_HEADER } from "./control.js";
export const MAX_BODY_BYTES = 1024 * 1024;

export interface VendorServerOptions {
  /** Default 127.0.0.1: the sandbox is for one machine unless told otherwise. */
  host?: string;
  /** Default 0 (the OS picks a free port). */
  port?: number;
  /** How many recorded requests the inspection API keeps. Default 10 000. */
  maxRecorded?: number;
  /** The token `/__sandbox/*` requests must carry. Default: a fresh random one (see `controlToken`). */
  controlToken?: string;
}

/** A running simulator: its URL, inspection, faults, and a clean close. */
export interface VendorServer {
  readonly vendor: VendorSimulator["vendor"];
  /** Base URL a client is configured with (origin + the vendor's base path). */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly simulator: VendorSimulator;
  /** What a `/__sandbox/*` request must send in the `x-sandbox-token` header (or `?token=`). */
  readonly controlToken: string;
  /** Requests received, oldest first (control-plane requests excluded). */
  readonly requests: RecordedRequest[];
  /** Add a fault; returns its id. */
  addFault(fault: FaultSpec): number;
  clearFaults(): void;
  state(): unknown;
  reset(): void;
  expireTokens(): void;
  close(): Promise<void>;
}

const CORS: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "*",
};

/** Serve one vendor simulator over real HTTP. */
export async function startVendorServer(simulator: VendorSimulator, options: VendorServerOptions = {}): Promise<VendorServer> {
  const spec = simulator.spec ?? new SpecIndex(simulator.specFile);
  const faults = new FaultList();
  const requests: RecordedRequest[] = [];
  const maxRecorded = options.maxRecorded ?? 10_000;
  const sockets = new Set<Socket>();
  const clock = simulator.clock ?? systemClock;
  const controlToken = options.controlToken ?? newControlToken();
  if (controlToken.length < 16) throw new Error("controlToken must be at least 16 characters (it guards the sandbox's control plane)");
  const resetAll = () => {
    simulator.reset();
    faults.clear();
    requests.length = 0;
  };

  const record = (entry: RecordedRequest) => {
    requests.push(entry);
    if (requests.length > maxRecorded) requests.splice(0, requests.length - maxRecorded);
  };

  const send = (res: ServerResponse, reply: SimReply, cors = true) => {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string> = { ...(cors ? CORS : {}), ...lowerKeys(reply.headers) };
    let payload = "";
    if (reply.body !== undefined) {
      if (typeof reply.body === "string") {
        payload = reply.body;
        headers["content-type"] ??= "text/plain; charset=utf-8";
      } else {
        payload = JSON.stringify(reply.body);
        headers["content-type"] ??= "application/json;charset=UTF-8";
      }
    }
    headers["content-length"] = String(Buffer.byteLength(payload));
    res.writeHead(reply.status, headers);
    res.end(payload);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A simulator bug must not take the process down: answer 500 and keep serving.
      send(res, { status: 500, body: `sandbox internal error: ${error instanceof Error ? error.message : String(error)}` });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const rawUrl = req.url ?? "/";
    const isControl = rawUrl === CONTROL_PREFIX || rawUrl.startsWith(`${CONTROL_PREFIX}/`) || rawUrl.startsWith(`${CONTROL_PREFIX}?`);
    if (isControl) {
      // No CORS here, preflight included: the browser then refuses any cross-origin read or write.
      const { text } = await readBody(req);
      const url = new URL(rawUrl, "http://sandbox.invalid");
      const header = req.headers[CONTROL_TOKEN_HEADER];
      const refused = refuseWithoutToken(controlToken, Array.isArray(header) ? header[0] : header, url.searchParams);
      if (refused) return send(res, refused, false);
      if (method === "OPTIONS") return send(res, { status: 204 }, false);
      return send(
        res,
        control({ simulator, faults, requests, reset: resetAll }, method, url.pathname.slice(CONTROL_PREFIX.length), text),
        false,
      );
    }
    if (method === "OPTIONS") {
      res.writeHead(204, {
        ...CORS,
        "access-control-allow-methods": "GET, POST, PUT, DELETE, PATCH, OPTIONS",
        "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "*",
        "access-control-max-age": "600",
      });
      res.end();
      return;
    }
    const { text, tooLarge } = await readBody(req);

    const url = new URL(rawUrl, "http://sandbox.invalid");
    const base = simulator.basePath;
    const underBase = !base || rawUrl === base || rawUrl.startsWith(`${base}/`) || rawUrl.startsWith(`${base}?`);
    const path = !base ? rawUrl : underBase ? rawUrl.slice(base.length) || "/" : "";
    const pathOnly = path.split("?")[0]!;
    const matched = path === "" ? { operationId: undefined, wrongMethod: false, pathParams: {} } : spec.match(method, pathOnly);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : String(v ?? "");
    const parsed = parseBody(text, headers["content-type"]);
    const simRequest: SimRequest = {
      operationId: matched.operationId,
      wrongMethod: matched.wrongMethod,
      method,
      path: path || rawUrl,
      outsideBasePath: !underBase,
      pathParams: matched.pathParams,
      query: url.searchParams,
      headers,
      rawBody: text,
      body: parsed.body,
      bodyError: parsed.error,
      violations: [],
      now: clock.now(),
    };
    if (matched.operationId && !parsed.error) {
      simRequest.violations = spec.check(matched.operationId, {
        pathParams: matched.pathParams,
        query: url.searchParams,
        headers,
        body: parsed.body,
        hasBody: text.length > 0,
      });
    }

    const fault = faults.take(matched.operationId);
    const entry: RecordedRequest = { at: simRequest.now, method, path: simRequest.path, operationId: matched.operationId, status: 0 };
    if (fault) entry.fault = fault.id;
    record(entry);
    if (fault?.spec.expireTokens) simulator.expireTokens();
    if (fault?.spec.latencyMs) await new Promise((r) => setTimeout(r, fault.spec.latencyMs));
    if (res.destroyed) return;

    if (fault && !fault.spec.after && (fault.spec.action || fault.spec.status)) {
      const reply = faultReply(fault.spec);
      if (!reply) {
        entry.status = "dropped";
        req.socket.destroy();
        return;
      }
      entry.status = reply.status;
      return send(res, reply);
    }

    let reply = tooLarge ? simulator.tooLarge(simRequest) : await simulator.handle(simRequest);
    if (fault?.spec.after && (fault.spec.action || fault.spec.status)) {
      const replaced = faultReply(fault.spec, reply);
      if (!replaced) {
        entry.status = "dropped";
        req.socket.destroy();
        return;
      }
      reply = replaced;
    }
    entry.status = reply.status;
    send(res, reply);
  }

  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("clientError", (_err, socket) => socket.destroy());
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  simulator.listening?.(origin);

  return {
    vendor: simulator.vendor,
    url: origin + simulator.basePath,
    origin,
    port,
    simulator,
    requests,
    addFault: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    state: () => simulator.state(),
    controlToken,
    reset: resetAll,
    expireTokens: () => simulator.expireTokens(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function lowerKeys(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

async function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Keep reading (and discarding) so the client gets an answer rather than a reset.
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk as Buffer);
  }
  return { text: tooLarge ? "" : Buffer.concat(chunks).toString("utf8"), tooLarge };
}

function parseBody(text: string, contentType: string | undefined): { body: unknown; error: "invalid-json" | undefined } {
  if (text === "") return { body: undefined, error: undefined };
  const ct = (contentType ?? "").toLowerCase();
  if (ct.includes("application/x-www-form-urlencoded")) {
    return { body: Object.fromEntries(new URLSearchParams(text)), error: undefined };
  }
  try {
    return { body: JSON.parse(text), error: undefined };
  } catch {
    return { body: undefined, error: ct.includes("json") || /^\s*[[{"]/.test(text) ? "invalid-json" : undefined };
  }
}

function faultReply(fault: FaultSpec, original?: SimReply): SimReply | undefined {
  if (fault.action === "drop") return undefined;
  const status = fault.status ?? original?.status ?? 200;
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
  if (fault.action === "malformed-json") {
    return { status, headers: { ...headers, "content-type": "application/json" }, body: '{"truncated": ' };
  }
  if (fault.action === "html") {
    return {
      status,
      headers: { ...headers, "content-type": "text/html" },
      body: `<html><head><title>${status} Error</title></head><body><h1>${status}</h1><p>upstream error</p></body></html>`,
    };
  }
  return { status, headers, body: fault.body ?? `sandbox fault: HTTP ${status}` };
}
