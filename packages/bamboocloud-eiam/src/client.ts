import { createApiClient, type CallOptions, type CommonClientOptions } from "@signalbridge/core";
import type { Client } from "openapi-fetch";
import { createEiamAuth, type EiamAuth, type EiamCredentials } from "./auth.js";
import { sendInBatches, type BatchNoticeRequest, type BatchOptions, type BatchSendResult } from "./batches.js";
import { eiamErrors, VENDOR } from "./errors.js";
import { operations } from "./generated/operations.js";
import type { components, paths } from "./generated/schema.js";

export interface EiamClientOptions extends CommonClientOptions, EiamCredentials {}

/** The body of asyncSend, field names exactly as the vendor spells them. */
export type SendInSiteNoticeRequest = components["schemas"]["SendInSiteNoticeRequest"];
/** asyncSend's answer as the server sends it: `noitce_id` (sic) or `notice_id`. */
export type SendInSiteNoticeResponse = components["schemas"]["SendInSiteNoticeResult"];
/** What `sendInSiteNotice` returns: the notice ID under its documented name, whatever the server spelt. */
export interface SentInSiteNotice {
  notice_id: string;
  [field: string]: unknown;
}
/** getSendResult's answer. */
export type InSiteNoticeSendResult = components["schemas"]["SendResult"];
export type InSiteNoticeStatus = InSiteNoticeSendResult["status"];

export interface EiamClient {
  /** openapi-fetch typed with the spec's `paths`, with the same auth, retries and timeouts. */
  readonly raw: Client<paths>;
  /**
   * asyncSend: send an in-site notice. Accepted, not delivered: poll `getInSiteNoticeSendResult`.
   * Not idempotent, so never re-sent automatically once it may have reached the server.
   */
  sendInSiteNotice(body: SendInSiteNoticeRequest, call?: CallOptions): Promise<SentInSiteNotice>;
  /**
   * One notice to any number of user_names and org_codes: split within EIAM's per-request limits,
   * each recipient in exactly one request, bounded concurrency. Stops on the daily quota and
   * reports which recipients were sent, not sent, or uncertain; never sends a recipient twice.
   */
  sendInSiteNoticeInBatches(request: BatchNoticeRequest, options?: BatchOptions): Promise<BatchSendResult>;
  /** getSendResult: `UNSENT`, `SENDING` or `FINISHED`. Safe to retry. */
  getInSiteNoticeSendResult(notice_id: string, call?: CallOptions): Promise<InSiteNoticeSendResult>;
  /** A valid access token (fetched with the client credentials, cached, renewed ahead of expiry). */
  accessToken(): Promise<string>;
}

/** The server spells the ID `noitce_id` (as the vendor's example does); the docs' table says `notice_id`. */
function documentedNoticeId(body: SendInSiteNoticeResponse): SentInSiteNotice {
  const { noitce_id, notice_id, ...rest } = body as { noitce_id?: string; notice_id?: string };
  return { ...rest, notice_id: (notice_id ?? noitce_id)! };
}

/** A client for Bamboo Cloud IDaaS EIAM in-site notices. */
export function createEiamClient(options: EiamClientOptions): EiamClient {
  let auth: EiamAuth | undefined;
  const api = createApiClient<paths, typeof operations>({
    vendor: VENDOR,
    operations,
    options,
    errors: eiamErrors,
    hooks: (client) => (auth = createEiamAuth(client, options)),
  });

  const client: EiamClient = {
    raw: api.raw,

    async sendInSiteNotice(body, call) {
      const sent = await api.invoke<SendInSiteNoticeResponse>(
        "sendInSiteNotice",
        { body },
        (init) => api.raw.POST("/api/v2/tenant/notice/insite/asyncSend", { ...init, body }),
        call,
      );
      return documentedNoticeId(sent);
    },

    getInSiteNoticeSendResult(notice_id, call) {
      const path = { notice_id };
      return api.invoke<InSiteNoticeSendResult>(
        "getInSiteNoticeSendResult",
        { path },
        (init) => api.raw.GET("/api/v2/tenant/notice/insite/{notice_id}/getSendResult", { ...init, params: { path } }),
        call,
      );
    },

    sendInSiteNoticeInBatches: (request, batchOptions) => sendInBatches(client.sendInSiteNotice, request, batchOptions),

    accessToken: () => auth!.accessToken(),
  };
  return client;
}
