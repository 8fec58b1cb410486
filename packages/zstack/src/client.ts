import {
  ResponseShapeError,
  createApiClient,
  type ApiClient,
  type CallOptions,
  type CommonClientOptions,
  type RequestInput,
} from "@signalbridge/core";
import type { Client } from "openapi-fetch";
import { createZStackAuth, type ZStackAuth, type ZStackAuthOptions } from "./auth.js";
import { zstackErrors } from "./errors.js";
import { operations } from "./generated/operations.js";
import { addAtPersonsInBulk, type BulkAddOptions, type BulkAddResult } from "./bulk.js";
import { createJobRunner, definedOnly, type ZStackPollOptions } from "./jobs.js";
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

export type { ZStackPollOptions };

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
  /**
   * Add many at-persons, each exactly once: planned in the journal before the first submit, so a
   * call again with the same `deliveryKey` (after a crash, from another process) submits only the
   * adds that never left and reports those in flight at the crash as uncertain.
   */
  addDingTalkAtPersons(inputs: readonly AddDingTalkAtPersonInput[], options?: BulkAddOptions): Promise<BulkAddResult>;
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
  const { runJob } = createJobRunner(api, () => auth, options.poll);

  function inventoryOf(operationId: string, result: unknown): SNSDingTalkAtPersonInventory {
    const inventory = (result as { inventory?: unknown } | undefined)?.inventory;
    if (typeof inventory !== "object" || inventory === null || Array.isArray(inventory)) {
      throw new ResponseShapeError(`zstack ${operationId}: the job result has no inventory`, {
        vendor: "zstack",
        operation: operationId,
        status: 200,
        body: result,
        redactor: api.redactor,
      });
    }
    return inventory as SNSDingTalkAtPersonInventory;
  }

  const query = (
    operationId: "QuerySNSDingTalkAtPerson" | "QuerySNSDingTalkAtPersonByUuid",
    q: QueryDingTalkAtPersonsInput,
    uuid: string | undefined,
    call: ZStackCallOptions,
  ) => {
    const params = definedOnly(q);
    const input: RequestInput = uuid === undefined ? { query: params } : { path: { uuid }, query: params };
    return api
      .invoke<Schemas["QuerySNSDingTalkAtPersonReply"]>(
        operationId,
        input,
        (init) =>
          uuid === undefined
            ? api.raw.GET(AT_PERSONS, { params: { query: params }, querySerializer: serializeQuery, ...init })
            : api.raw.GET("/v1/sns/application-endpoints/ding-talk/at-persons/{uuid}", {
                params: { path: { uuid }, query: params },
                querySerializer: serializeQuery,
                ...init,
              }),
        call,
      )
      .then((reply): QueryDingTalkAtPersonsResult => ({ ...reply, inventories: reply.inventories ?? [] }));
  };

  const client: ZStackClient = {
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

    addDingTalkAtPersons(inputs, bulkOptions) {
      return addAtPersonsInBulk((input, call) => client.addDingTalkAtPerson(input, call), inputs, bulkOptions);
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
          api.raw.PUT("/v1/sns/application-endpoints/ding-talk/at-persons/{uuid}/actions", {
            params: { path: { uuid }, header: { "X-Job-UUID": job } },
            body,
            ...init,
          }),
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
  return client;
}
