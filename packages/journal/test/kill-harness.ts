import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Sandbox } from "@signalbridge/sandbox";

const WORKER = fileURLToPath(new URL("./fixtures/deliver.mjs", import.meta.url));

export type Phase = "claimed" | "sending" | "stalled" | "answered" | "settled";
export type Ended = { kind: "paused"; point: string } | { kind: "done" } | { kind: "exited"; code: number | null; stderr: string };

export interface Worker {
  child: ChildProcess;
  /** Resolves at the first of: the worker paused at its kill point, finished its delivery, or exited. */
  ended: Promise<Ended>;
  /** SIGKILL, then wait for the process to be gone. */
  kill(): Promise<void>;
}

export interface WorkerJob {
  sandbox: Sandbox;
  journal: { file: string } | { postgres: string };
  deliveryKey: string;
  notice: { title: string; content: string; message_type: "TEXT"; user_names: string[] };
  concurrency: number;
  pause?: string;
}

export function startWorker(job: WorkerJob): Worker {
  // The worker rebuilds the list from its length: it must be exactly this one.
  if (job.notice.user_names.some((u, i) => u !== `${job.notice.title}-u${i}`))
    throw new Error("kill-test recipients must be `${title}-u${i}`");
  const child = fork(WORKER, [], {
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    env: {
      PATH: process.env.PATH ?? "",
      SB_EIAM: JSON.stringify(job.sandbox.config.eiam),
      SB_JOURNAL: JSON.stringify(job.journal),
      SB_KEY: job.deliveryKey,
      SB_NOTICE: JSON.stringify({ ...job.notice, user_names: undefined, userCount: job.notice.user_names.length }),
      SB_CONCURRENCY: String(job.concurrency),
      ...(job.pause ? { SB_PAUSE: job.pause } : {}),
    },
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const gone = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ended = new Promise<Ended>((resolve) => {
    child.on("message", (m: { paused?: string; done?: unknown }) => {
      if (m.paused) resolve({ kind: "paused", point: m.paused });
      else if (m.done) resolve({ kind: "done" });
    });
    void gone.then((code) => resolve({ kind: "exited", code, stderr }));
  });
  return {
    child,
    ended,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await gone;
    },
  };
}

/**
 * Resolves true when the check holds, false once `cancelled()` (the race was decided elsewhere);
 * polls the in-process sandbox (state, not time), bounded by `ms`.
 */
export async function until(check: () => boolean, ms: number, what: string, cancelled: () => boolean = () => false): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (cancelled()) return false;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return true;
}

/** A small deterministic PRNG (mulberry32): the same seed, the same kill points. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many times the sandbox's EIAM received each user in notices with this title. */
export function received(sandbox: Sandbox, title: string): Map<string, number> {
  const counts = new Map<string, number>();
  const state = sandbox.eiam.simulator.state() as { notices: Array<{ title: string; user_names: string[] }> };
  for (const n of state.notices) if (n.title === title) for (const u of n.user_names) counts.set(u, (counts.get(u) ?? 0) + 1);
  return counts;
}

export interface Audit {
  duplicates: number;
  unreported: number;
  sentButNotReceived: number;
  uncertain: number;
}

/** The two numbers that must be 0, from the sandbox's record against the final result. */
export function audit(
  planned: string[],
  got: Map<string, number>,
  result: { sent: { user_names: string[] }; uncertain: { user_names: string[] }; notSent: { user_names: string[] } },
): Audit {
  const sent = new Set(result.sent.user_names);
  const uncertain = new Set(result.uncertain.user_names);
  const notSent = new Set(result.notSent.user_names);
  let duplicates = 0;
  let unreported = 0;
  let sentButNotReceived = 0;
  for (const u of planned) {
    const n = got.get(u) ?? 0;
    if (n > 1) duplicates++;
    const reportedWays = Number(sent.has(u)) + Number(uncertain.has(u)) + Number(notSent.has(u));
    // Reported = in exactly one list, and a list that is true of what EIAM received.
    if (reportedWays !== 1 || (n === 0 && !uncertain.has(u) && !notSent.has(u)) || (n >= 1 && notSent.has(u))) unreported++;
    if (sent.has(u) && n !== 1) sentButNotReceived++;
  }
  return { duplicates, unreported, sentButNotReceived, uncertain: uncertain.size };
}
