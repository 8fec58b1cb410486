/**
 * A hostile vendor for the tests in this folder: a real HTTP server on a loopback address of our
 * choosing (127.0.0.1, or 127.0.0.2 as "another origin"), whose handler writes the raw answer
 * itself, so a test can send redirects, endless bodies or gzip bombs. It records every request and
 * counts the body bytes it managed to write before the client hung up.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { afterEach } from "vitest";
import type { AddressInfo, Socket } from "node:net";

export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type RawHandler = (req: IncomingMessage & { body: string }, res: ServerResponse, index: number) => void | Promise<void>;

export interface HostileServer {
  url: string;
  origin: string;
  requests: SeenRequest[];
  /** Body bytes written to clients so far (what left this server, not what was planned). */
  bytesWritten(): number;
  close(): Promise<void>;
}

export async function startHostileServer(handler: RawHandler, host = "127.0.0.1"): Promise<HostileServer> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let written = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const index = requests.push({ method: req.method ?? "GET", url: req.url ?? "/", headers: { ...req.headers }, body }) - 1;
    const write = res.write.bind(res);
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === "string" || chunk instanceof Uint8Array) written += Buffer.byteLength(chunk as string);
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof res.write;
    try {
      await handler(Object.assign(req, { body }), res, index);
    } catch {
      res.destroy();
    }
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    url: origin,
    origin,
    requests,
    bytesWritten: () => written,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A `start` for one test file: the servers it starts are closed after each test. */
export function hostileServers(): (handler: RawHandler, host?: string) => Promise<HostileServer> {
  const servers: HostileServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (handler, host) => {
    const server = await startHostileServer(handler, host);
    servers.push(server);
    return server;
  };
}

/** Answer JSON. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)), ...headers });
  res.end(payload);
}

/**
 * Write `total` bytes of a JSON string body in chunks, honouring backpressure, until done or the
 * client goes away. Without a content-length, so only the client's own cap can stop it.
 */
export async function streamHugeBody(res: ServerResponse, total: number, chunkSize = 64 * 1024): Promise<void> {
  res.writeHead(200, { "content-type": "application/json" });
  const chunk = Buffer.alloc(chunkSize, 0x61); // "aaaa…"
  res.write('{"inventories":[],"padding":"');
  let sent = 0;
  let wake: (() => void) | undefined;
  res.once("close", () => wake?.());
  while (sent < total && !res.destroyed) {
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        res.once("drain", resolve);
      });
    }
    sent += chunk.length;
  }
  if (!res.destroyed) res.end('"}');
}
