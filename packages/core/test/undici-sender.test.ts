/**
 * The Node transport on its own, against real servers on 127.0.0.1: decoding what fetch decodes,
 * the cap after decompression, keep-alive reuse, redirects reported, the signal ending a request
 * at any stage, and connection errors keeping their system code (retries rely on it).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { createApiClient, NetworkError, type WireRequest } from "../src/index.js";
import { createUndiciAgent, undiciSender, UNDICI_SENDER_DEFAULTS } from "../src/node/undici-sender.js";
import { operations, silent, type TestPaths } from "./support.js";

interface Server {
  url: string;
  connections: number;
  closedSockets: number;
  close(): Promise<void>;
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => handler(req, res));
  });
  const state: Server = { url: "", connections: 0, closedSockets: 0, close: async () => {} };
  server.on("connection", (s: Socket) => {
    state.connections++;
    sockets.add(s);
    s.on("close", () => {
      state.closedSockets++;
      sockets.delete(s);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  servers.push(state);
  return state;
}

const request = (url: string, extra: Partial<WireRequest> = {}): WireRequest => ({
  url,
  method: "POST",
  headers: { "content-type": "application/json" },
  body: '{"a":1}',
  signal: new AbortController().signal,
  maxResponseBytes: 1024,
  ...extra,
});

const TEXT = JSON.stringify({ id: "n-1", padding: "x".repeat(300) });
const encodings: Array<[string, Buffer]> = [
  ["gzip", gzipSync(TEXT)],
  ["x-gzip", gzipSync(TEXT)],
  ["deflate", deflateSync(TEXT)],
  ["deflate", deflateRawSync(TEXT)], // servers that send raw deflate under that name
  ["br", brotliCompressSync(TEXT)],
  ["gzip, br", brotliCompressSync(gzipSync(TEXT))],
  ["identity", Buffer.from(TEXT)],
];

describe("undiciSender: answers", () => {
  it.each(encodings)("decodes Content-Encoding %s", async (encoding, bytes) => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": encoding, "content-length": bytes.length });
      res.end(bytes);
    });
    const answer = await undiciSender()(request(s.url));
    expect(answer).toMatchObject({ kind: "answer", status: 200, statusText: "OK", text: TEXT });
  });

  it.each(encodings)("counts the cap on the decoded bytes (%s)", async (encoding, bytes) => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": encoding, "content-length": bytes.length });
      res.end(bytes);
    });
    if (encoding !== "identity") expect(bytes.length).toBeLessThan(TEXT.length);
    const send = undiciSender();
    expect(await send(request(s.url, { maxResponseBytes: TEXT.length - 1 }))).toEqual({ kind: "too-large", status: 200 });
    expect(await send(request(s.url, { maxResponseBytes: TEXT.length }))).toMatchObject({ kind: "answer", text: TEXT });
  });

  it("hands on a coding it does not know as received, as fetch does", async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": "compress" });
      res.end("raw bytes");
    });
    expect(await undiciSender()(request(s.url))).toMatchObject({ kind: "answer", text: "raw bytes" });
  });

  it("rejects a body that is not the gzip it claims", async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip" });
      res.end("definitely not gzip");
    });
    await expect(undiciSender()(request(s.url))).rejects.toThrow(/header|check/i);
  });

  it("sends the body and headers, offers the codings it decodes, and reads headers case-insensitively", async () => {
    let seen: IncomingMessage | undefined;
    const s = await serve((req, res) => {
      seen = req;
      res.setHeader("X-Request-Id", "rid-1");
      res.setHeader("Set-Cookie", ["a=1", "b=2"]);
      res.writeHead(201, "Made It");
      res.end("{}");
    });
    const answer = await undiciSender()(request(`${s.url}/notices?x=1`, { headers: { Authorization: "Bearer t" } }));
    expect(seen!.url).toBe("/notices?x=1");
    expect(seen!.headers.authorization).toBe("Bearer t");
    expect(seen!.headers["accept-encoding"]).toBe("gzip, deflate, br");
    if (answer.kind !== "answer") throw new Error(answer.kind);
    expect(answer.status).toBe(201);
    expect(answer.statusText).toBe("Made It");
    expect(answer.headers.get("x-REQUEST-id")).toBe("rid-1");
    expect(answer.headers.get("set-cookie")).toBe("a=1, b=2");
    expect(answer.headers.get("absent")).toBeNull();
  });

  it("keeps connections alive across sequential calls", async () => {
    const s = await serve((_req, res) => res.end("{}"));
    const send = undiciSender();
    for (let i = 0; i < 20; i++) await send(request(s.url));
    // undici's pool may open a second connection while the first is being released; never more
    expect(s.connections).toBeLessThanOrEqual(2);
  });

  it("reports a redirect without following it or reading its body", async () => {
    let hits = 0;
    const s = await serve((_req, res) => {
      hits++;
      res.writeHead(307, { location: "http://127.0.0.2:9/steal" });
      res.write("x".repeat(10_000)); // never ends: the answer must not wait for it
    });
    expect(await undiciSender()(request(s.url))).toEqual({
      kind: "redirect",
      status: 307,
      location: "http://127.0.0.2:9/steal",
      opaque: false,
    });
    expect(hits).toBe(1);
  });

  it("documents its pooling limits", () => {
    expect(UNDICI_SENDER_DEFAULTS).toEqual({
      connections: 64,
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 600_000,
      connectTimeout: 10_000,
    });
  });
});

describe("undiciSender: the signal ends the request at every stage", () => {
  it("an already aborted signal sends nothing", async () => {
    let hits = 0;
    const s = await serve((_req, res) => (hits++, res.end("{}")));
    const controller = new AbortController();
    controller.abort(new Error("gone"));
    await expect(undiciSender()(request(s.url, { signal: controller.signal }))).rejects.toThrow("gone");
    expect(hits).toBe(0);
  });

  it("waiting for headers", async () => {
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    const s = await serve(() => arrived()); // never answers
    const controller = new AbortController();
    const pending = undiciSender()(request(s.url, { signal: controller.signal }));
    await reached;
    controller.abort(new Error("deadline"));
    await expect(pending).rejects.toThrow("deadline");
  });

  it("in the middle of the body, closing the connection", { timeout: 20_000 }, async () => {
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    let answerClosed = false;
    const s = await serve((_req, res) => {
      res.on("close", () => (answerClosed = true));
      res.writeHead(200);
      res.write('{"partial":');
      arrived();
    });
    const controller = new AbortController();
    const pending = undiciSender()(request(s.url, { signal: controller.signal }));
    await reached;
    controller.abort(new Error("deadline"));
    await expect(pending).rejects.toThrow("deadline");
    // the server sees its response's connection go away: nothing more can be pushed
    await expect.poll(() => answerClosed, { timeout: 10_000 }).toBe(true);
  });

  it("while queued for a connection (the pool is full): it never goes out", async () => {
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    const seen: string[] = [];
    let held: ServerResponse | undefined;
    const s = await serve((req, res) => {
      seen.push(req.url!);
      if (req.url === "/first") {
        held = res; // holds the only connection
        arrived();
      } else res.end("{}");
    });
    const send = undiciSender({ dispatcher: createUndiciAgent({ connections: 1 }) });
    const first = send(request(`${s.url}/first`));
    await reached;
    const controller = new AbortController();
    const queued = send(request(`${s.url}/queued`, { signal: controller.signal }));
    controller.abort(new Error("caller gave up"));
    await expect(queued).rejects.toThrow("caller gave up");
    held!.end("{}");
    await first;
    // Same single connection, in order: had the aborted one gone out, it would come before this.
    await send(request(`${s.url}/third`));
    expect(seen).toEqual(["/first", "/third"]);
  });
});

describe("undiciSender under the transport", () => {
  it("a refused connection keeps its code: retried as not sent, then NetworkError with mayHaveReachedServer false", async () => {
    const s = await serve(() => undefined);
    const url = s.url;
    await s.close();
    servers.length = 0;
    const api = createApiClient<TestPaths>({
      vendor: "test",
      operations,
      options: { baseUrl: url, logger: silent, sender: undiciSender(), retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 } },
      errors: {
        fromResponse: () => {
          throw new Error("no answer expected");
        },
      },
    });
    const err = await api
      .invoke("sendNotice", { body: { title: "t", kind: "TEXT" } }, (init) => api.raw.POST("/notices", init as never) as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ code: "ECONNREFUSED", attempts: 2, mayHaveReachedServer: false });
  });
});
