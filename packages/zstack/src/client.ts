import {
  ConfigurationError,
  MAX_TIMEOUT_MS,
  ResponseShapeError,
  TimeoutError,
  createApiClient,
  sleep,
  type ApiClient,
  type CallOptions,
  type CommonClientOptions,
  type Exchange,
  type RequestInput,
  type SendInit,
} from "@signalbridge/core";
import type { Client } from "openapi-fetch";
import { createZStackAuth, type ZStackAuth, type ZStackAuthOptions } from "./auth.js";
import { ZStackApiError, isSessionRejected, zstackErrorFromResponse, zstackErrors } from "./errors.js";
import { operations, type OperationId } from "./generated/operations.js";
import type { components, operations as specOperations, paths } from "./generated/schema.js";

type Schemas = components["schemas"];
export type SNSDingTalkAtPersonInventory = Schemas["SNSDingTalkAtPersonInventory"];
export type SessionInventory = Schemas["SessionInventory"];

/** Top-level tags that travel beside the body wrapper (POST/PUT) or in the query (DELETE). */
export interface ZStackTags {
  systemTags?: string[];
  userTags?: string[];
}

/** `AddSNSDingTalkAtPerson` fields (`params`) plus the top-level tags. */
export type AddDingTalkAtPersonInput = Schemas["AddSNSDingTalkAtPersonParams"] & ZStackTags;
/** `UpdateAtPersonOfAtDingTalkEndpoint` fields plus the top-level tags. */
export type UpdateDingTalkAtPersonInput = Schemas["UpdateAtPersonOfAtDingTalkEndpointParams"] & ZStackTags;
type RemoveQuery = NonNullable<specOperations["RemoveSNSDingTalkAtPerson"]["parameters"]["query"]>;
/** `RemoveSNSDingTalkAtPerson`: the endpoint and phone number that key the at-person, plus query options. */
export type RemoveDingTalkAtPersonInput = specOperations["RemoveSNSDingTalkAtPerson"]["parameters"]["path"] & RemoveQuery;
/** Query parameters of `QuerySNSDingTalkAtPerson` (`q` repeated, `fields` comma-joined on the wire). */
export type QueryDingTalkAtPersonsInput = NonNullable<specOperations["QuerySNSDingTalkAtPerson"]["parameters"]["query"]>;
/** The query answer, with `inventories` always present (empty when `count=true`). */
export type QueryDingTalkAtPersonsResult = Omit<Schemas["QuerySNSDingTalkAtPersonReply"], "inventories"> & {
  inventories: SNSDingTalkAtPersonInventory[];
};

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

export interface ZStackCallOptions extends CallOptions {
  /** Polling overrides for this call (async operations only). */
  poll?: ZStackPollOptions;
}

export interface ZStackClientOptions extends CommonClientOptions {
  /** `{ accountName, password }`, `{ accountName, passwordSha512 }`, `{ sessionUuid }` or `{ accessKeyId, accessKeySecret }`. */
  auth: ZStackAuthOptions;
  /** The management node's IANA time zone, for the AccessKey `Date` header. Default "Asia/Shanghai". */
  timeZone?: string;
  /** Zone text of the `Date` header. Default "CST" for China zones, else "GMT+hh:mm". */
  timeZoneAbbreviation?: string;
  /** Polling of async jobs. */
  poll?: ZStackPollOptions;
}

export interface ZStackClient {
  /** The openapi-fetch client typed with the generated `paths`, for `{ data, error }` style calls. */
  readonly raw: Client<paths>;
  /** AddSNSDingTalkAtPerson: submit, wait for the job, return the new at-person. */
  addDingTalkAtPerson(input: AddDingTalkAtPersonInput, call?: ZStackCallOptions): Promise<SNSDingTalkAtPersonInventory>;
  /** QuerySNSDingTalkAtPerson (sync). */
  queryDingTalkAtPersons(query?: QueryDingTalkAtPersonsInput, call?: ZStackCallOptions): Promise<QueryDingTalkAtPersonsResult>;
  /** QuerySNSDingTalkAtPerson by uuid (its optional path); undefined when there is no such at-person. */
  getDingTalkAtPerson(uuid: string, call?: ZStackCallOptions): Promise<SNSDingTalkAtPersonInventory | undefined>;
  /** UpdateAtPersonOfAtDingTalkEndpoint: submit, wait for the job, return the updated at-person. */
  updateDingTalkAtPerson(uuid: string, input: UpdateDingTalkAtPersonInput, call?: ZStackCallOptions): Promise<SNSDingTalkAtPersonInventory>;
  /** RemoveSNSDingTalkAtPerson by endpoint and phone number: submit and wait. Succeeds when nothing matches. */
  removeDingTalkAtPerson(input: RemoveDingTalkAtPersonInput, call?: ZStackCallOptions): Promise<void>;
  /** ValidateSession for the given session, or the client's current one (false when it has none). */
  validateSession(sessionUuid?: string, call?: ZStackCallOptions): Promise<boolean>;
  /** LogOut the given session, or the client's current one (nothing to do when it has none). */
  logOut(sessionUuid?: string, call?: ZStackCallOptions): Promise<void>;
}

const AT_PERSONS = "/v1/sns/application-endpoints/ding-talk/at-persons";
const DEFAULT_POLL = { initialIntervalMs: 100, maxIntervalMs: 1_000, maxPollMs: 10 * 60_000 };
// A hostile or broken server answering 202 at once must not turn polling into a busy loop.
const MIN_POLL_INTERVAL_MS = 5;

/** Polling options as the client can honour them, or a ConfigurationError naming the bad one. */
function checkPoll(poll: Required<ZStackPollOptions>, where: string): Required<ZStackPollOptions> {
  const bad = (name: string, rule: string) =>
    new ConfigurationError(`zstack: ${where}.${name} must be ${rule} (got ${String(poll[name as keyof ZStackPollOptions])})`, { vendor: "zstack" });
  const whole = (v: number) => Number.isInteger(v) && v <= MAX_TIMEOUT_MS;
  if (!whole(poll.initialIntervalMs) || poll.initialIntervalMs < MIN_POLL_INTERVAL_MS) throw bad("initialIntervalMs", `a whole number of ms from ${MIN_POLL_INTERVAL_MS} to ${MAX_TIMEOUT_MS}`);
  if (!whole(poll.maxIntervalMs) || poll.maxIntervalMs < poll.initialIntervalMs) throw bad("maxIntervalMs", `a whole number of ms, at least initialIntervalMs (${poll.initialIntervalMs})`);
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

const enc = encodeURIComponent;

/** `q` repeated (one per condition), `fields` as ONE comma-joined value, the rest as is. */
export function serializeQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (key === "fields") {
        if (value.length) parts.push(`${key}=${value.map((v) => enc(String(v))).join(",")}`);
      } else for (const v of value) parts.push(`${key}=${enc(String(v))}`);
    } else parts.push(`${key}=${enc(String(value))}`);
  }
  return parts.join("&");
}

function definedOnly<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

function splitTags<T extends ZStackTags>(input: T): { fields: Omit<T, keyof ZStackTags>; tags: ZStackTags } {
  // A missing argument (plain-JS callers) becomes an empty request, so validation names what is required.
  const { systemTags, userTags, ...fields } = input ?? ({} as T);
  return { fields: definedOnly(fields), tags: definedOnly({ systemTags, userTags }) };
}

export function createZStackClient(options: ZStackClientOptions): ZStackClient {
  let auth!: ZStackAuth;
  const api: ApiClient<paths, typeof operations> = createApiClient<paths, typeof operations>({
    vendor: "zstack",
    operations,
    options,
    errors: zstackErrors,
    hooks: (a) =>
      (auth = createZStackAuth(a as ApiClient<paths, typeof operations>, options?.auth, {
        timeZone: options.timeZone,
        timeZoneAbbreviation: options.timeZoneAbbreviation,
      })),
  });
  const clientPoll = checkPoll({ ...DEFAULT_POLL, ...definedOnly(options.poll ?? {}) }, "poll");

  /**
   * Poll `GET /v1/api-jobs/{uuid}` on the configured base URL until the job is done, within the
   * call's deadline and `maxPollMs`. The server's `apiTimeout` is not trusted to bound anything.
   */
  async function waitForJob(operationId: string, jobUuid: string, call: ZStackCallOptions & { deadline: number }): Promise<unknown> {
    const poll = call.poll ? checkPoll({ ...clientPoll, ...definedOnly(call.poll) }, "call.poll") : clientPoll;
    const started = Date.now();
    const pollEnd = Math.min(call.deadline, started + poll.maxPollMs);
    const pollCall: CallOptions & { deadline: number } = definedOnly({ timeoutMs: call.timeoutMs, retry: call.retry, signal: call.signal, deadline: call.deadline });
    let interval = poll.initialIntervalMs;
    for (;;) {
      const exchange = await api.exchange("getApiJobResult", { path: { uuid: jobUuid } }, (init) =>
        api.raw.GET("/v1/api-jobs/{uuid}", { params: { path: { uuid: jobUuid } }, ...init }),
      pollCall);
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
          vendor: "zstack", operation: operationId, status: 404, code: undefined, jobUuid,
          message: `job ${jobUuid} is unknown or its result has expired (the server keeps results for 3 h by default); whether the call took effect is unknown`,
          body: exchange.body, requestId: exchange.requestId, attempts: exchange.attempts, redactor: exchange.redactor,
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
    send: (jobUuid: string, init: SendInit) => Promise<{ data?: unknown; error?: unknown; response: Response }>,
    callOptions: ZStackCallOptions,
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
            vendor: "zstack", operation: operationId, status: exchange.status, body: exchange.body, attempts: exchange.attempts,
            redactor: exchange.redactor,
          });
        }
        return await waitForJob(operationId, pollUuid, call);
      } catch (error) {
        if (submits === 1 && isSessionRejected(error) && (await auth.renewForJob(jobUuid))) {
          api.logger.log("info", `zstack ${operationId}: session rejected (ID.1001) before the job ran; logging in again and re-submitting once`);
          continue;
        }
        throw error;
      } finally {
        auth.forgetJob(jobUuid);
      }
    }
  }

  function inventoryOf(operationId: string, result: unknown): SNSDingTalkAtPersonInventory {
    const inventory = (result as { inventory?: unknown } | undefined)?.inventory;
    if (typeof inventory !== "object" || inventory === null || Array.isArray(inventory)) {
      throw new ResponseShapeError(`zstack ${operationId}: the job result has no inventory`, {
        vendor: "zstack", operation: operationId, status: 200, body: result, redactor: api.redactor,
      });
    }
    return inventory as SNSDingTalkAtPersonInventory;
  }

  const query = (operationId: "QuerySNSDingTalkAtPerson" | "QuerySNSDingTalkAtPersonByUuid", q: QueryDingTalkAtPersonsInput, uuid: string | undefined, call: ZStackCallOptions) => {
    const params = definedOnly(q);
    const input: RequestInput = uuid === undefined ? { query: params } : { path: { uuid }, query: params };
    return api
      .invoke<Schemas["QuerySNSDingTalkAtPersonReply"]>(operationId, input, (init) =>
        uuid === undefined
          ? api.raw.GET(AT_PERSONS, { params: { query: params }, querySerializer: serializeQuery, ...init })
          : api.raw.GET("/v1/sns/application-endpoints/ding-talk/at-persons/{uuid}", { params: { path: { uuid }, query: params }, querySerializer: serializeQuery, ...init }),
      call)
      .then((reply): QueryDingTalkAtPersonsResult => ({ ...reply, inventories: reply.inventories ?? [] }));
  };

  return {
    raw: api.raw,

    async addDingTalkAtPerson(input, call = {}) {
      const { fields, tags } = splitTags(input);
      const body = { params: fields, ...tags } as Schemas["AddSNSDingTalkAtPersonRequest"];
      const result = await runJob(
        "AddSNSDingTalkAtPerson",
        (job) => ({ header: { "X-Job-UUID": job }, body }),
        (job, init) => api.raw.POST(AT_PERSONS, { params: { header: { "X-Job-UUID": job } }, body, ...init }),
        call,
      );
      return inventoryOf("AddSNSDingTalkAtPerson", result);
    },

    async queryDingTalkAtPersons(q, call = {}) {
      return query("QuerySNSDingTalkAtPerson", q ?? {}, undefined, call);
    },

    async getDingTalkAtPerson(uuid, call = {}) {
      const reply = await query("QuerySNSDingTalkAtPersonByUuid", {}, uuid, call);
      return reply.inventories[0];
    },

    async updateDingTalkAtPerson(uuid, input, call = {}) {
      const { fields, tags } = splitTags(input);
      const body = { updateAtPersonOfAtDingTalkEndpoint: fields, ...tags } as Schemas["UpdateAtPersonOfAtDingTalkEndpointRequest"];
      const result = await runJob(
        "UpdateAtPersonOfAtDingTalkEndpoint",
        (job) => ({ path: { uuid }, header: { "X-Job-UUID": job }, body }),
        (job, init) =>
          api.raw.PUT("/v1/sns/application-endpoints/ding-talk/at-persons/{uuid}/actions", { params: { path: { uuid }, header: { "X-Job-UUID": job } }, body, ...init }),
        call,
      );
      return inventoryOf("UpdateAtPersonOfAtDingTalkEndpoint", result);
    },

    async removeDingTalkAtPerson(input, call = {}) {
      const { endpointUuid, phoneNumber, ...rest } = input ?? ({} as RemoveDingTalkAtPersonInput);
      const path = { endpointUuid, phoneNumber };
      const q = definedOnly(rest) as RemoveQuery;
      await runJob(
        "RemoveSNSDingTalkAtPerson",
        (job) => ({ path, query: q, header: { "X-Job-UUID": job } }),
        (job, init) =>
          api.raw.DELETE("/v1/sns/application-endpoints/ding-talk/{endpointUuid}/at-persons/{phoneNumber}", {
            params: { path, query: q, header: { "X-Job-UUID": job } },
            ...init,
          }),
        call,
      );
    },

    async validateSession(sessionUuid, call = {}) {
      const uuid = sessionUuid ?? auth.currentSession();
      if (!uuid) return false;
      api.redactor.remember(uuid); // it travels in the URL path, which debug logs show
      const reply = await api.invoke<Schemas["ValidateSessionReply"]>(
        "ValidateSession",
        { path: { sessionUuid: uuid } },
        (init) => api.raw.GET("/v1/accounts/sessions/{sessionUuid}/valid", { params: { path: { sessionUuid: uuid } }, ...init }),
        call,
      );
      return reply.valid === true;
    },

    async logOut(sessionUuid, call = {}) {
      const uuid = sessionUuid ?? auth.currentSession();
      if (!uuid) return;
      api.redactor.remember(uuid); // it travels in the URL path, which debug logs show
      await api.invoke(
        "LogOut",
        { path: { sessionUuid: uuid } },
        (init) => api.raw.DELETE("/v1/accounts/sessions/{sessionUuid}", { params: { path: { sessionUuid: uuid } }, ...init }),
        call,
      );
      auth.forgetSession(uuid);
    },
  };
}
