import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A request as the server received it, for asserting exactly what went over the wire. */
export interface RecordedRequest {
  method: string;
  /** Path and query exactly as sent (percent-encoding kept). */
  rawPath: string;
  pathname: string;
  query: URLSearchParams;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
  json(): any;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Destroy the socket instead of answering (a reset). */
  destroy?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
}

export type Handler = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  /** Replace the handler (for a test that changes the scenario midway). */
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

/** Start a real HTTP server on 127.0.0.1 with an OS-chosen port that records every request. */
export async function startTestServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let current = handler;
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : String(v);
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      rawPath: req.url ?? "/",
      pathname: url.pathname,
      query: url.searchParams,
      headers,
      body,
      json: () => JSON.parse(body),
    };
    const index = requests.push(recorded) - 1;
    try {
      const reply = await current(recorded, index);
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (reply.destroy) {
        req.socket.destroy();
        return;
      }
      const isText = typeof reply.body === "string";
      const payload = reply.body === undefined ? "" : isText ? (reply.body as string) : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, {
        ...(reply.body === undefined ? {} : { "content-type": isText ? "text/plain; charset=utf-8" : "application/json" }),
        ...reply.headers,
      });
      res.end(payload);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`test handler failed: ${String(error)}`);
    }
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler: (h) => (current = h),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A URL on which nothing listens: connection refused, nothing sent. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A logger that keeps every line, for asserting that no secret is ever logged. */
export function recordingLogger() {
  const lines: string[] = [];
  const push = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ""}`);
  };
  return { lines, logger: { debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") } };
}

export { plainHttpCases, plainHttpRuleMismatches, type PlainHttpCase } from "./plain-http.js";

export { CHROMIUM, launchChromium } from "./chromium.js";
