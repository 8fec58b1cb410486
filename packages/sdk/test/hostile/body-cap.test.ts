/**
 * Item 2 of the trust issue: answers are read as a stream under `maxResponseBytes`, counted after
 * decompression. Over the cap the read stops at once (the server cannot push the rest), the call
 * fails with ResponseTooLargeError, it is not fetched again, and memory stays near the cap.
 */
import { createGzip } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  DEFAULT_MAX_RESPONSE_BYTES,
  ResponseTooLargeError,
  createZStackClient,
  isResponseTooLargeError,
} from "../../src/index.js";
import { hostileServers, streamHugeBody } from "./server.js";
import { TRANSPORTS } from "./transports.js";

const start = hostileServers();

const MiB = 1024 * 1024;
const CAP = 1 * MiB;
const SESSION = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

// 512 MiB of JSON padding, gzipped once (about 0.5 MiB on the wire).
let bomb: Buffer;
const BOMB_BYTES = 512 * MiB;
beforeAll(async () => {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on("data", (c: Buffer) => out.push(c));
  const done = new Promise((r) => gzip.on("end", r));
  gzip.write('{"inventories":[],"padding":"');
  const block = Buffer.alloc(4 * MiB, 0x61);
  for (let i = 0; i < BOMB_BYTES / block.length; i++) {
    if (!gzip.write(block)) await new Promise((r) => gzip.once("drain", r));
  }
  gzip.end('"}');
  await done;
  bomb = Buffer.concat(out);
}, 60_000);

function rssGrowthDuring<T>(run: () => Promise<T>): Promise<{ value: T; growth: number }> {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  return run().then(
    (value) => {
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      return { value, growth: peak - before };
    },
    (error: unknown) => {
      clearInterval(sampler);
      throw error;
    },
  );
}

describe.each(TRANSPORTS)("over %s", (_name, transport) => {
  describe("bounded answers", () => {
    const zstack = (url: string, extra: Record<string, unknown> = {}) =>
      createZStackClient({
        ...transport,
        baseUrl: `${url}/zstack`,
        auth: { sessionUuid: SESSION },
        logLevel: "off",
        maxResponseBytes: CAP,
        timeoutMs: 60_000,
        ...extra,
      });
    it("has a documented default cap of 4 MiB and refuses a cap that is no whole positive number", () => {
      expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(4 * MiB);
      for (const bad of [0, -1, 1.5, Number.NaN]) {
        expect(() => zstack("http://127.0.0.1:8080", { maxResponseBytes: bad })).toThrow(ConfigurationError);
        expect(() => zstack("http://127.0.0.1:8080", { maxResponseBytes: bad })).toThrow(/maxResponseBytes/);
      }
    });

    it("a 100 MB body stops at the cap: typed error, one download, the server could not push the rest", { timeout: 60_000 }, async () => {
      const evil = await start((_req, res) => streamHugeBody(res, 100 * MiB));
      const { value: err, growth } = await rssGrowthDuring(() =>
        zstack(evil.url)
          .queryDingTalkAtPersons()
          .catch((e: unknown) => e),
      );
      expect(err).toBeInstanceOf(ResponseTooLargeError);
      expect(isResponseTooLargeError(err)).toBe(true);
      expect(err).toMatchObject({ kind: "response-too-large", status: 200, maxResponseBytes: CAP, mayHaveReachedServer: true });
      expect((err as Error).message).toContain(`maxResponseBytes (${CAP} bytes)`);
      // The query is idempotent, yet the oversized answer is not downloaded again.
      expect(evil.requests).toHaveLength(1);
      // Loopback socket buffers hold a few MB; the other ~90 MB were never sent.
      await new Promise((r) => setTimeout(r, 50));
      expect(evil.bytesWritten()).toBeLessThan(24 * MiB);
      if (process.env.SIGNALBRIDGE_REPORT)
        console.info(`rss growth ${(growth / MiB).toFixed(1)} MiB, server wrote ${(evil.bytesWritten() / MiB).toFixed(1)} MiB`);
      expect(growth).toBeLessThan(CAP + 32 * MiB);
    });

    it("a gzip bomb (512 MiB inflated) stops at the cap counted after decompression, with memory near the cap", {
      timeout: 60_000,
    }, async () => {
      const evil = await start((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(bomb.length) });
        res.end(bomb);
      });
      expect(bomb.length).toBeLessThan(CAP); // on the wire it is under the cap; only inflated is it over
      const { value: err, growth } = await rssGrowthDuring(() =>
        zstack(evil.url)
          .queryDingTalkAtPersons()
          .catch((e: unknown) => e),
      );
      expect(err).toBeInstanceOf(ResponseTooLargeError);
      expect(evil.requests).toHaveLength(1);
      if (process.env.SIGNALBRIDGE_REPORT)
        console.info(`rss growth ${(growth / MiB).toFixed(1)} MiB, server wrote ${(evil.bytesWritten() / MiB).toFixed(1)} MiB`);
      expect(growth).toBeLessThan(CAP + 32 * MiB);
    });

    it("a declared Content-Length over the cap fails without reading the body", async () => {
      const evil = await start((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": String(50 * MiB) });
        res.write('{"inventories":[');
        // never finishes: only the declared length can tell
      });
      const err = await zstack(evil.url)
        .queryDingTalkAtPersons()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ResponseTooLargeError);
      expect(evil.requests).toHaveLength(1);
    });

    it("an answer just under the cap is read whole", async () => {
      const padding = "p".repeat(CAP - 100);
      const evil = await start((_req, res) => {
        const body = JSON.stringify({ inventories: [], padding });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(body);
      });
      const reply = (await zstack(evil.url).queryDingTalkAtPersons()) as unknown as { padding: string };
      expect(reply.padding).toHaveLength(CAP - 100);
    });
  });
});
