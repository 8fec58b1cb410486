/**
 * Requests per second the sandbox sustains for EIAM asyncSend with 50 concurrent connections for
 * 10 s, p99 latency, the sandbox process's memory before and after, and the error count.
 */
import { fork } from "node:child_process";
import { Agent, request } from "node:http";

export async function benchSandbox({ connections = 50, seconds = 10 } = {}) {
  const child = fork(new URL("./sandbox-child.mjs", import.meta.url), [], {
    execArgv: ["--expose-gc"],
    // The daily quota is a real limit of the vendor; the load test lifts it so that every request is a real send.
    env: { ...process.env, SANDBOX_EIAM_OPTIONS: JSON.stringify({ dailyQuota: Number.MAX_SAFE_INTEGER }) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = (type) => new Promise((resolve) => child.once("message", (m) => m.type === type && resolve(m)));
  const ready = await next("ready");
  const { baseUrl, clientId, clientSecret } = ready.config.eiam;
  const agent = new Agent({ keepAlive: true, maxSockets: connections });

  const tokenRes = await fetch(`${baseUrl}/api/v2/tenant/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  const { access_token } = await tokenRes.json();
  const url = new URL(`${baseUrl}/api/v2/tenant/notice/insite/asyncSend`);
  const body = JSON.stringify({
    title: "Load",
    content: "Sandbox load test",
    message_type: "TEXT",
    user_names: ["ziceUser", "zhangaaa01"],
    all: false,
  });
  const headers = {
    authorization: `Bearer ${access_token}`,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  };
  const post = () =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: "POST", headers, agent }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });

  const latencies = [];
  let errors = 0;
  const firstErrors = [];
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const res = await post();
        if (res.status !== 200 || !res.body.noitce_id) {
          errors++;
          if (firstErrors.length < 3) firstErrors.push(res);
        }
      } catch (e) {
        errors++;
        if (firstErrors.length < 3) firstErrors.push(String(e));
      }
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  child.send("memory");
  const after = await next("memory");
  child.send("stop");
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => +latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2);
  return {
    method: `${connections} concurrent keep-alive connections, ${seconds} s, EIAM asyncSend with a valid token`,
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / elapsed),
    latencyMs: { p50: pct(0.5), p99: pct(0.99), max: +latencies.at(-1).toFixed(2) },
    memoryBefore: ready.memory,
    memoryAfter: after.memory,
    errors,
    ...(firstErrors.length ? { firstErrors } : {}),
  };
}
