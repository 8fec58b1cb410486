import { createApiClient, requireOption, type CallOptions, type CommonClientOptions } from "@signalbridge/core";
import type { Client } from "openapi-fetch";
import { createEnosAuth, type EnosAuth } from "./auth.js";
import { EnosApiError, enosErrors, VENDOR } from "./errors.js";
import { operations } from "./generated/operations.js";
import type { components, paths } from "./generated/schema.js";

type Schemas = components["schemas"];

export type MessageRule = Schemas["MessageRule"];
export type RulesDTO = Schemas["rulesDTO"];
export type RelationsDTO = Schemas["relationsDTO"];
export type IsEnable = Schemas["IsEnable"];
export type MessageRuleItem = Schemas["MessageRuleItem"];
export type SearchMessageRulesRequest = Schemas["SearchMessageRulesRequest"];
export type UpdateMessageRulesRequest = Schemas["UpdateMessageRulesRequest"];
export type DeleteMessageRulesRequest = Schemas["DeleteMessageRulesRequest"];
/** Create Message Rules; `appId` may be left out when the client has a default `appId`. */
export type CreateMessageRulesInput = Omit<Schemas["CreateMessageRulesRequest"], "appId"> & { appId?: string };
/** Search result: `messageRuleList` is always present (empty when the vendor sent none). */
export type MessageRuleSearchResult = Schemas["MessageRuleSearchResult"] & { messageRuleList: MessageRuleItem[] };

export interface EnosClientOptions extends CommonClientOptions {
  /** The application's Access Key (AK). */
  appKey: string;
  /** The application's Secret Key (SK): keys the token `encryption` and every `apim-signature`. */
  appSecret: string;
  /** The OU ID sent as `?orgId=` on every message-rule call (per call: `{ orgId }`). */
  orgId: string;
  /**
   * App Portal user access token, sent as `Authorization: Bearer`. Optional: it only changes who
   * is recorded as creator / updater (the user instead of the application); its OU must be `orgId`.
   */
  userToken?: string;
  /** Default `appId` (the application's Access Key) for `createMessageRules` when a call omits it. */
  appId?: string;
  /** Renew the gateway token this long before it expires. Default 60 000 ms. */
  tokenRefreshAheadMs?: number;
}

/** Per-call options: the common ones plus another OU than the client's. */
export interface EnosCallOptions extends CallOptions {
  orgId?: string;
}

export interface EnosClient {
  /** Creates message rules; returns the new rule IDs in request order. Never re-sent automatically. */
  createMessageRules(body: CreateMessageRulesInput, options?: EnosCallOptions): Promise<string[]>;
  /** Searches message rules (safe to repeat). */
  searchMessageRules(body: SearchMessageRulesRequest, options?: EnosCallOptions): Promise<MessageRuleSearchResult>;
  /** Updates one rule (`messageRule` overwrites its marks). Resolves `true`; a `data: false` answer throws. */
  updateMessageRules(body: UpdateMessageRulesRequest, options?: EnosCallOptions): Promise<true>;
  /** Deletes rules (safe to repeat). Resolves `true`. */
  deleteMessageRules(body: DeleteMessageRulesRequest, options?: EnosCallOptions): Promise<true>;
  /** The gateway access token in use (fetched if needed). Treat it as a secret. */
  accessToken(): Promise<string>;
  /** openapi-fetch typed by the spec, `{ data, error }` style; requests are signed the same way. */
  readonly raw: Client<paths>;
}

const CREATE = "/app-portal-service/v2.2/message-service/rule/create" satisfies keyof paths;
const SEARCH = "/app-portal-service/v2.2/message-service/rule/search" satisfies keyof paths;
const UPDATE = "/app-portal-service/v2.2/message-service/rule/update" satisfies keyof paths;
const DELETE = "/app-portal-service/v2.2/message-service/rule/delete" satisfies keyof paths;

/** A typed client for the EnOS Application Portal message-rule APIs behind the EnOS API gateway. */
export function createEnosClient(options: EnosClientOptions): EnosClient {
  requireOption(VENDOR, "appKey", options?.appKey, "the application's Access Key from the EnOS Management Console");
  requireOption(VENDOR, "appSecret", options.appSecret, "the application's Secret Key from the EnOS Management Console");
  requireOption(VENDOR, "orgId", options.orgId, "the OU ID the message rules belong to");

  let auth: EnosAuth | undefined;
  const api = createApiClient<paths, typeof operations>({
    vendor: VENDOR,
    operations,
    options,
    errors: enosErrors,
    hooks: (client) => (auth = createEnosAuth(client, options)),
  });

  const query = (call: EnosCallOptions | undefined) => ({ orgId: call?.orgId ?? options.orgId });
  type Envelope<T> = { code: number; message?: string; data?: T | null };

  const client: EnosClient = {
    raw: api.raw,

    async accessToken() {
      return auth!.accessToken();
    },

    async createMessageRules(given, call) {
      const input = given ?? ({} as CreateMessageRulesInput); // plain-JS callers: validation names what is missing
      const body = (
        input.appId === undefined && options.appId !== undefined ? { ...input, appId: options.appId } : input
      ) as Schemas["CreateMessageRulesRequest"];
      const q = query(call);
      const res = await api.invoke<Envelope<string[]>>(
        "createMessageRules",
        { query: q, body },
        (init) => api.raw.POST(CREATE, { params: { query: q }, body, ...init }),
        call,
      );
      return res.data ?? [];
    },

    async searchMessageRules(body, call) {
      const q = query(call);
      const res = await api.invoke<Envelope<Schemas["MessageRuleSearchResult"]>>(
        "searchMessageRules",
        { query: q, body },
        (init) => api.raw.POST(SEARCH, { params: { query: q }, body, ...init }),
        call,
      );
      return { ...res.data, messageRuleList: res.data?.messageRuleList ?? [] };
    },

    async updateMessageRules(body, call) {
      const q = query(call);
      const exchange = await api.exchange(
        "updateMessageRules",
        { query: q, body },
        (init) => api.raw.POST(UPDATE, { params: { query: q }, body, ...init }),
        call,
      );
      if (!exchange.ok) throw api.errorOf(exchange);
      const res = api.accept<Envelope<boolean>>(exchange);
      if (res.data === false) {
        // "true for updated, false for failed to update" — a refusal without a code.
        throw new EnosApiError({
          vendor: VENDOR,
          operation: "updateMessageRules",
          status: exchange.status,
          code: undefined,
          message: "the rule was not updated (the vendor answered data: false)",
          requestId: exchange.requestId,
          body: exchange.body,
          attempts: exchange.attempts,
          redactor: exchange.redactor,
        });
      }
      return true;
    },

    async deleteMessageRules(body, call) {
      const q = query(call);
      try {
        await api.invoke<Envelope<boolean>>(
          "deleteMessageRules",
          { query: q, body },
          (init) => api.raw.POST(DELETE, { params: { query: q }, body, ...init }),
          call,
        );
      } catch (error) {
        // Delete is retried when an answer is lost; the re-send then finds nothing to delete (31404)
        // although the first send did it. Confirm with a search rather than report a false failure.
        if (!(error instanceof EnosApiError && error.code === "31404" && (error.attempts ?? 1) > 1 && body?.ruleIds?.length)) throw error;
        const left = await client.searchMessageRules({ ruleIds: body.ruleIds }, call).catch(() => undefined);
        if (!left || left.messageRuleList.length > 0) throw error;
      }
      return true;
    },
  };
  return client;
}
