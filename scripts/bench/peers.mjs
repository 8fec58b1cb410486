/**
 * Our client side by side with its peers, in one run, against one minimal keep-alive server in a
 * child process (minimal-server.mjs), all figures as ratios to undici.request, the floor in Node:
 *  - per call: 31 interleaved rounds x 300 sequential POSTs, the clients in random order each
 *    round; the median of per-round ratios, and p50/p99 of every call's latency;
 *  - CPU per call: process.cpuUsage() over the same blocks, median of per-round ratios;
 *  - throughput: 50 concurrent callers for a bounded time, interleaved rounds, median ratio.
 * "ours" is a real vendor client (EIAM sendInSiteNotice, accessToken auth) with request and
 * response validation on, on the transport it picks by itself (undici on Node).
 *   node scripts/bench/peers.mjs            (or: npm run bench -- peers)
 */
import { fork } from "node:child_process";
import axios from "axios";
import ky from "ky";
import { ofetch } from "ofetch";
import createClient from "openapi-fetch";
import { request as undiciRequest } from "undici";
import { createEiamClient } from "@signalbridge/bamboocloud-eiam";

const TOKEN = "bench-token-0000";
const PATH = "/api/v2/tenant/notice/insite/asyncSend";
const NOTICE = {
  title: "Disk alarm",
  content: "Disk 90% full on node-7",
  message_type: "TEXT",
  user_names: ["ziceUser", "zhangaaa01"],
  all: false,
};
const HEADERS = { "content-type": "application/json", authorization: `Bearer ${TOKEN}` };

/** The minimal server in its own process; resolves to { baseUrl, stop }. */
export async function startMinimalServer() {
  const child = fork(new URL("./minimal-server.mjs", import.meta.url), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const { port } = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("error", reject);
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.send("stop");
      }),
  };
}

const check = (data, who) => {
  if (!data?.noitce_id) throw new Error(`${who}: unexpected answer ${JSON.stringify(data)}`);
};

/** Each contender does the same POST and reads the JSON answer. `fetchBased`: it runs on Node's fetch. */
export function contenders(baseUrl) {
  const url = baseUrl + PATH;
  const body = () => JSON.stringify(NOTICE);
  const bare = createClient({ baseUrl, headers: { authorization: `Bearer ${TOKEN}` } });
  const eiam = createEiamClient({ baseUrl, accessToken: TOKEN, logLevel: "off" });
  const eiamOverFetch = createEiamClient({ baseUrl, accessToken: TOKEN, logLevel: "off", fetch: (i, init) => globalThis.fetch(i, init) });
  const axiosClient = axios.create({ headers: { authorization: `Bearer ${TOKEN}` } });
  return {
    "undici.request": {
      fetchBased: false,
      async call() {
        const res = await undiciRequest(url, { method: "POST", headers: HEADERS, body: body() });
        check(await res.body.json(), "undici.request");
      },
    },
    "signalbridge (validation on)": {
      fetchBased: false,
      ours: true,
      async call() {
        const { notice_id } = await eiam.sendInSiteNotice(NOTICE);
        if (!notice_id) throw new Error("signalbridge: no notice_id");
      },
    },
    "signalbridge over fetch": {
      fetchBased: true,
      async call() {
        const { notice_id } = await eiamOverFetch.sendInSiteNotice(NOTICE);
        if (!notice_id) throw new Error("signalbridge over fetch: no notice_id");
      },
    },
    fetch: {
      fetchBased: true,
      async call() {
        const res = await fetch(url, { method: "POST", headers: HEADERS, body: body() });
        check(await res.json(), "fetch");
      },
    },
    "openapi-fetch": {
      fetchBased: true,
      async call() {
        const { data } = await bare.POST(PATH, { body: NOTICE });
        check(data, "openapi-fetch");
      },
    },
    axios: {
      fetchBased: false,
      async call() {
        const { data } = await axiosClient.post(url, NOTICE);
        check(data, "axios");
      },
    },
    ky: {
      fetchBased: true,
      async call() {
        check(await ky.post(url, { json: NOTICE, headers: { authorization: `Bearer ${TOKEN}` }, retry: 0 }).json(), "ky");
      },
    },
    ofetch: {
      fetchBased: true,
      async call() {
        check(await ofetch(url, { method: "POST", body: NOTICE, headers: { authorization: `Bearer ${TOKEN}` }, retry: 0 }), "ofetch");
      },
    },
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const shuffle = (xs) => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};

export const TARGETS = { perCall: 1.25, throughput: 0.7, cpu: 1.4 };

export async function benchPeers({ rounds = 31, callsPerRound = 300, connections = 50, loadRounds = 7, loadMs = 1000, print = true } = {}) {
  const server = await startMinimalServer();
  try {
    const all = contenders(server.baseUrl);
    const names = Object.keys(all);
    const floor = "undici.request";

    // Warm-up: JIT, sockets; also proves each contender gets the answer it expects.
    for (const name of names) for (let i = 0; i < 500; i++) await all[name].call();

    const perCall = Object.fromEntries(names.map((n) => [n, []]));
    const cpu = Object.fromEntries(names.map((n) => [n, []]));
    const latencies = Object.fromEntries(names.map((n) => [n, new Float64Array(rounds * callsPerRound)]));
    for (let r = 0; r < rounds; r++) {
      for (const name of shuffle(names)) {
        const { call } = all[name];
        const lat = latencies[name];
        const cpu0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        let last = t0;
        for (let i = 0; i < callsPerRound; i++) {
          await call();
          const now = process.hrtime.bigint();
          lat[r * callsPerRound + i] = Number(now - last) / 1000;
          last = now;
        }
        const wall = Number(last - t0) / 1000 / callsPerRound;
        const used = process.cpuUsage(cpu0);
        perCall[name].push(wall);
        cpu[name].push((used.user + used.system) / callsPerRound);
      }
    }

    const throughput = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = 0; r < loadRounds; r++) {
      for (const name of shuffle(names)) {
        const { call } = all[name];
        let done = 0;
        let failed = 0;
        const end = Date.now() + loadMs;
        const t0 = process.hrtime.bigint();
        await Promise.all(
          Array.from({ length: connections }, async () => {
            while (Date.now() < end) {
              try {
                await call();
                done++;
              } catch {
                failed++;
              }
            }
          }),
        );
        if (failed) throw new Error(`${name}: ${failed} failed calls at ${connections} connections`);
        throughput[name].push(done / (Number(process.hrtime.bigint() - t0) / 1e9));
      }
    }

    const ratio = (series, name) => median(series[name].map((v, i) => v / series[floor][i]));
    const clients = {};
    for (const name of names) {
      const sorted = Array.from(latencies[name]).sort((a, b) => a - b);
      clients[name] = {
        fetchBased: all[name].fetchBased,
        perCallRatio: +ratio(perCall, name).toFixed(2),
        perCallMicroseconds: +median(perCall[name]).toFixed(1),
        p50Microseconds: +quantile(sorted, 0.5).toFixed(1),
        p99Microseconds: +quantile(sorted, 0.99).toFixed(1),
        throughputRatio: +ratio(throughput, name).toFixed(2),
        requestsPerSecond: Math.round(median(throughput[name])),
        cpuRatio: +ratio(cpu, name).toFixed(2),
        cpuMicrosecondsPerCall: +median(cpu[name]).toFixed(1),
      };
    }
    const oursName = names.find((n) => all[n].ours);
    const ours = clients[oursName];
    const misses = [];
    if (ours.perCallRatio > TARGETS.perCall) misses.push(`per call ${ours.perCallRatio}x > ${TARGETS.perCall}x`);
    if (ours.throughputRatio < TARGETS.throughput) misses.push(`throughput ${ours.throughputRatio}x < ${TARGETS.throughput}x`);
    if (ours.cpuRatio > TARGETS.cpu) misses.push(`CPU ${ours.cpuRatio}x > ${TARGETS.cpu}x`);
    const behind = {};
    for (const [name, c] of Object.entries(clients)) {
      if (!c.fetchBased) continue;
      const lost = [];
      if (!(ours.perCallRatio < c.perCallRatio)) lost.push("perCall");
      if (!(ours.throughputRatio > c.throughputRatio)) lost.push("throughput");
      if (!(ours.cpuRatio < c.cpuRatio)) lost.push("cpu");
      if (lost.length) {
        behind[name] = lost;
        misses.push(`not ahead of ${name} on ${lost.join(", ")}`);
      }
    }
    const result = {
      method:
        `${rounds} interleaved rounds x ${callsPerRound} sequential POSTs, then ${loadRounds} rounds of ${connections} concurrent callers for ${loadMs} ms each, ` +
        `against one minimal keep-alive node:http server on 127.0.0.1 in a child process; ratios to ${floor} are medians of per-round ratios`,
      node: process.version,
      clients,
      targets: `${oursName}: per call <= ${TARGETS.perCall}x, throughput >= ${TARGETS.throughput}x, CPU per call <= ${TARGETS.cpu}x ${floor}; ahead of every fetch-based peer on all three`,
      met: misses.length === 0,
      misses,
      behind,
    };
    if (print) console.log(formatTable(result, oursName));
    return result;
  } finally {
    await server.stop();
  }
}

const RED = "\x1b[31m";
const RESET = "\x1b[0m";

/** The table of item 2, ours marked, every missed target in red (when the output is a terminal or FORCE_COLOR). */
export function formatTable(result, oursName) {
  const color = process.stdout.isTTY || process.env.FORCE_COLOR;
  const red = (s, miss) => (miss ? (color ? `${RED}${s}${RESET}` : `${s} (MISS)`) : s);
  const ours = result.clients[oursName];
  const rows = [["client", "per call x", "p50 us", "p99 us", "req/s x (req/s)", "CPU/call x"]];
  for (const [name, c] of Object.entries(result.clients)) {
    const isOurs = name === oursName;
    const behind = result.behind[name] ?? [];
    rows.push([
      name + (c.fetchBased ? " [fetch]" : ""),
      red(c.perCallRatio.toFixed(2), (isOurs && c.perCallRatio > TARGETS.perCall) || behind.includes("perCall")),
      c.p50Microseconds.toFixed(0),
      c.p99Microseconds.toFixed(0),
      red(
        `${c.throughputRatio.toFixed(2)} (${c.requestsPerSecond})`,
        (isOurs && c.throughputRatio < TARGETS.throughput) || behind.includes("throughput"),
      ),
      red(c.cpuRatio.toFixed(2), (isOurs && c.cpuRatio > TARGETS.cpu) || behind.includes("cpu")),
    ]);
  }
  const visible = (s) => s.replace(/\x1b\[\d+m/g, "");
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => visible(r[i]).length)));
  const line = (r) =>
    r
      .map((cell, i) =>
        i === 0
          ? cell.padEnd(widths[i] + cell.length - visible(cell).length)
          : cell.padStart(widths[i] + cell.length - visible(cell).length),
      )
      .join("  ");
  const out = [`\nPeers, x undici.request (${result.method})`, line(rows[0]), ...rows.slice(1).map(line)];
  out.push(
    result.met
      ? `targets met: ${result.targets}`
      : `${red(`targets missed: ${result.misses.join("; ")}`, true)} (ours: ${ours.perCallRatio}/${ours.throughputRatio}/${ours.cpuRatio})`,
  );
  return out.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes("--quick");
  await benchPeers(quick ? { rounds: 5, callsPerRound: 200, loadRounds: 1, loadMs: 800 } : {});
}
