/**
 * Per-call cost of our client against a hand-written `fetch(url, init)` doing the same POST on
 * loopback, and of bare openapi-fetch, measured in one run with interleaved rounds so that
 * machine noise hits all three alike. Reports medians of per-round means and their ratios.
 */
import { createServer } from "node:http";
import createClient from "openapi-fetch";
import { createEiamClient } from "@signalbridge/bamboocloud-eiam";

const TOKEN = { access_token: "bench-token-0000", token_type: "bearer", expires_in: 1800, scope: "all" };
const ANSWER = JSON.stringify({ noitce_id: "20220809161411767-9524-8618BA3BB" });

function startServer() {
  const server = createServer((req, res) => {
    let size = 0;
    req.on("data", (c) => (size += c.length));
    req.on("end", () => {
      const body = req.url.endsWith("/token") ? JSON.stringify(TOKEN) : ANSWER;
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchOverhead({ rounds = 31, callsPerRound = 300 } = {}) {
  const server = await startServer();
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  const notice = {
    title: "Disk alarm",
    content: "Disk 90% full on node-7",
    message_type: "TEXT",
    user_names: ["ziceUser", "zhangaaa01"],
    all: false,
  };
  const url = `${baseUrl}/api/v2/tenant/notice/insite/asyncSend`;

  const rawFetch = async () => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer bench-token-0000" },
      body: JSON.stringify(notice),
    });
    const data = await res.json();
    if (!res.ok || !data.noitce_id) throw new Error("raw fetch failed");
  };
  // The same hand-written POST with the per-request timeout every production call needs: the
  // like-for-like baseline (Node 20 pays dearly for each AbortSignal it constructs).
  const rawFetchWithTimeout = async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer bench-token-0000" },
        body: JSON.stringify(notice),
        signal: controller.signal,
      });
      const data = await res.json();
      if (!res.ok || !data.noitce_id) throw new Error("raw fetch failed");
    } finally {
      clearTimeout(timer);
    }
  };
  const bare = createClient({ baseUrl, headers: { authorization: "Bearer bench-token-0000" } });
  const bareOpenapiFetch = async () => {
    const { data } = await bare.POST("/api/v2/tenant/notice/insite/asyncSend", { body: notice });
    if (!data.noitce_id) throw new Error("openapi-fetch failed");
  };
  const eiam = createEiamClient({ baseUrl, clientId: "bench", clientSecret: "bench-secret", logLevel: "off" });
  const ours = async () => {
    const { notice_id } = await eiam.sendInSiteNotice(notice);
    if (!notice_id) throw new Error("client failed");
  };

  const contenders = { rawFetch, rawFetchWithTimeout, bareOpenapiFetch, ours };
  for (const fn of Object.values(contenders)) for (let i = 0; i < 300; i++) await fn(); // warm up JIT, sockets, token
  const perCall = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    const order = Object.entries(contenders).sort(() => Math.random() - 0.5);
    for (const [name, fn] of order) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < callsPerRound; i++) await fn();
      perCall[name].push(Number(process.hrtime.bigint() - t0) / 1000 / callsPerRound);
    }
  }
  server.close();
  const us = Object.fromEntries(Object.entries(perCall).map(([k, v]) => [k, +median(v).toFixed(1)]));
  // Ratios are taken inside each round (the three ran back to back) and then the median, so
  // that the machine getting busier or quieter between rounds cancels out.
  const ratio = (name) => +median(perCall[name].map((v, r) => v / perCall.rawFetch[r])).toFixed(3);
  return {
    method: `${rounds} rounds x ${callsPerRound} sequential POSTs on loopback, the three in random order each round; median of per-round ratios`,
    microsecondsPerCall: us,
    ratioOursToRawFetch: ratio("ours"),
    ratioBareOpenapiFetchToRawFetch: ratio("bareOpenapiFetch"),
    ratioRawFetchWithTimeoutToRawFetch: ratio("rawFetchWithTimeout"),
    ratioOursToRawFetchWithTimeout: +median(perCall.ours.map((v, r) => v / perCall.rawFetchWithTimeout[r])).toFixed(3),
    target: "ours <= 1.15x raw fetch",
  };
}
