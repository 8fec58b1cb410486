/**
 * ZStack's async job protocol: every mutating call is a 202 with a job to poll, whatever the
 * API explorer's "Synchronous" label says. Submit with a fresh X-Job-UUID, poll
 * `GET /v1/api-jobs/{uuid}` on the configured base URL (the `location` names the management node's
 * own address), inside the call's one deadline and `maxPollMs`.
 */
import {
  ConfigurationError,
  MAX_TIMEOUT_MS,
  ResponseShapeError,
  TimeoutError,
  sleep,
  type ApiClient,
  type CallOptions,
  type Exchange,
  type RequestInput,
  type SendInit,
} from "@signalbridge/core";
import type { ZStackAuth } from "./auth.js";
import { ZStackApiError, isSessionRejected, zstackErrorFromResponse } from "./errors.js";
import type { operations, OperationId } from "./generated/operations.js";
import type { components, paths } from "./generated/schema.js";

type Schemas = components["schemas"];

/**
 * How async calls (Add, Update, Remove) wait for their job. Polling is inside the call's one
 * deadline (`timeoutMs`) and also stops at `maxPollMs`, whatever `apiTimeout` the server claims.
 */
export interface ZStackPollOptions {
  /** Wait before the second poll; doubled each time up to `maxIntervalMs`. Default 100 ms, at least 5 ms. */
  initialIntervalMs?: number;
  /** Longest wait between polls. Default 1 000 ms, at least `initialIntervalMs`. */
  maxIntervalMs?: number;
  /** Give up polling (TimeoutError) after this long. Default 10 minutes (600 000 ms). */
  maxPollMs?: number;
}

/** Per-call options of an async call, as the job runner needs them. */
export interface JobCallOptions extends CallOptions {
  poll?: ZStackPollOptions;
}

export const DEFAULT_POLL = { initialIntervalMs: 100, maxIntervalMs: 1_000, maxPollMs: 10 * 60_000 };
// A hostile or broken server answering 202 at once must not turn polling into a busy loop.
const MIN_POLL_INTERVAL_MS = 5;

/** Polling options as the client can honour them, or a ConfigurationError naming the bad one. */
export function checkPoll(poll: Required<ZStackPollOptions>, where: string): Required<ZStackPollOptions> {
  const bad = (name: string, rule: string) =>
    new ConfigurationError(`zstack: ${where}.${name} must be ${rule} (got ${String(poll[name as keyof ZStackPollOptions])})`, {
      vendor: "zstack",
    });
  const whole = (v: number) => Number.isInteger(v) && v <= MAX_TIMEOUT_MS;
  if (!whole(poll.initialIntervalMs) || poll.initialIntervalMs < MIN_POLL_INTERVAL_MS)
    throw bad("initialIntervalMs", `a whole number of ms from ${MIN_POLL_INTERVAL_MS} to ${MAX_TIMEOUT_MS}`);
  if (!whole(poll.maxIntervalMs) || poll.maxIntervalMs < poll.initialIntervalMs)
    throw bad("maxIntervalMs", `a whole number of ms, at least initialIntervalMs (${poll.initialIntervalMs})`);
  if (!whole(poll.maxPollMs) || poll.maxPollMs < 1) throw bad("maxPollMs", `a whole number of ms from 1 to ${MAX_TIMEOUT_MS}`);
  return poll;
}

/** A fresh job id: a v4 UUID with the dashes stripped, as the server requires for X-Job-UUID. */
export function newJobUuid(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === "function") return c.randomUUID().replace(/-/g, "");
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** The job uuid in a 202 `location` (`…/v1/api-jobs/<uuid>`), whatever host it names. */
export function jobUuidFromLocation(location: string | undefined): string | undefined {
  const m = location ? /\/api-jobs\/([^/?#]+)/.exec(location) : null;
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1];
  }
}

export function definedOnly<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Sends one async call: the submit, given its job uuid and the init core built for it. */
export type SubmitJob = (jobUuid: string, init: SendInit) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** The job runner of one client: `runJob` submits an async call and returns its job's result. */
export function createJobRunner(api: ApiClient<paths, typeof operations>, auth: () => ZStackAuth, options: ZStackPollOptions | undefined) {
  const clientPoll = checkPoll({ ...DEFAULT_POLL, ...definedOnly(options ?? {}) }, "poll");

  /**
   * Poll `GET /v1/api-jobs/{uuid}` on the configured base URL until the job is done, within the
   * call's deadline and `maxPollMs`. The server's `apiTimeout` is not trusted to bound anything.
   */
  async function waitForJob(operationId: string, jobUuid: string, call: JobCallOptions & { deadline: number }): Promise<unknown> {
    const poll = call.poll ? checkPoll({ ...clientPoll, ...definedOnly(call.poll) }, "call.poll") : clientPoll;
    const started = Date.now();
    const pollEnd = Math.min(call.deadline, started + poll.maxPollMs);
    const pollCall: CallOptions & { deadline: number } = definedOnly({
      timeoutMs: call.timeoutMs,
      retry: call.retry,
      signal: call.signal,
      deadline: call.deadline,
    });
    let interval = poll.initialIntervalMs;
    for (;;) {
      const exchange = await api.exchange(
        "getApiJobResult",
        { path: { uuid: jobUuid } },
        (init) => api.raw.GET("/v1/api-jobs/{uuid}", { params: { path: { uuid: jobUuid } }, ...init }),
        pollCall,
      );
      if (exchange.status === 200) return api.accept(exchange);
      if (exchange.status === 202) {
        if (Date.now() + interval >= pollEnd) {
          const waited = Date.now() - started;
          const why = pollEnd === call.deadline ? "the call's deadline (timeoutMs)" : `maxPollMs (${poll.maxPollMs} ms)`;
          throw new TimeoutError(
            `zstack ${operationId}: job ${jobUuid} still running after ${waited} ms of polling, stopped by ${why}; poll GET /v1/api-jobs/${jobUuid} later to learn its outcome`,
            { vendor: "zstack", operation: operationId, timeoutMs: pollEnd - started, mayHaveReachedServer: true, redactor: api.redactor },
          );
        }
        await sleep(interval, call.signal);
        interval = Math.min(interval * 2, poll.maxIntervalMs);
        continue;
      }
      if (exchange.status === 404) {
        throw new ZStackApiError({
          vendor: "zstack",
          operation: operationId,
          status: 404,
          code: undefined,
          jobUuid,
          message: `job ${jobUuid} is unknown or its result has expired (the server keeps results for 3 h by default); whether the call took effect is unknown`,
          body: exchange.body,
          requestId: exchange.requestId,
          attempts: exchange.attempts,
          redactor: exchange.redactor,
        });
      }
      throw zstackErrorFromResponse(exchange, { operation: operationId, jobUuid });
    }
  }

  /**
   * Submit an async API with a fresh X-Job-UUID, then poll its job. A 400 "Duplicate job uuid"
   * means an earlier send of this very request reached the server: its job is polled. An ID.1001 on
   * the poll means the submit was refused before it ran: the session is renewed and the call
   * submitted again, once.
   */
  async function runJob(
    operationId: OperationId,
    input: (jobUuid: string) => RequestInput,
    send: SubmitJob,
    callOptions: JobCallOptions,
  ): Promise<unknown> {
    // One deadline for the submit, every poll and a re-submit after a renewed session.
    const call = api.startCall(callOptions);
    for (let submits = 1; ; submits++) {
      const jobUuid = newJobUuid();
      try {
        const exchange: Exchange = await api.exchange(operationId, input(jobUuid), (init) => send(jobUuid, init), call);
        let pollUuid = jobUuid;
        if (exchange.status === 202) {
          const accepted = api.accept<Schemas["AsyncJobAccepted"]>(exchange);
          pollUuid = jobUuidFromLocation(accepted.location) ?? jobUuid;
        } else if (!(exchange.status === 400 && /Duplicate job uuid/i.test(exchange.text))) {
          if (!exchange.ok) throw api.errorOf(exchange);
          throw new ResponseShapeError(`zstack ${operationId}: expected HTTP 202 (async job accepted), got ${exchange.status}`, {
            vendor: "zstack",
            operation: operationId,
            status: exchange.status,
            body: exchange.body,
            attempts: exchange.attempts,
            redactor: exchange.redactor,
          });
        }
        return await waitForJob(operationId, pollUuid, call);
      } catch (error) {
        if (submits === 1 && isSessionRejected(error) && (await auth().renewForJob(jobUuid))) {
          api.logger.log(
            "info",
            `zstack ${operationId}: session rejected (ID.1001) before the job ran; logging in again and re-submitting once`,
          );
          continue;
        }
        throw error;
      } finally {
        auth().forgetJob(jobUuid);
      }
    }
  }

  return { runJob };
}
