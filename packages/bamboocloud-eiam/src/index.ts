export {
  createEiamClient,
  type EiamClient,
  type EiamClientOptions,
  type SendInSiteNoticeRequest,
  type SendInSiteNoticeResponse,
  type SentInSiteNotice,
  type InSiteNoticeSendResult,
  type InSiteNoticeStatus,
} from "./client.js";
export type { BatchNoticeRequest, BatchOptions, BatchResult, BatchSendResult, Recipients } from "./batches.js";
export type { EiamCredentials, TokenResponse } from "./auth.js";
export { EiamApiError, EiamAuthenticationError, type EiamErrorShape } from "./errors.js";
export { errorCatalog, type ErrorCode, type KnownErrorCode } from "./generated/error-codes.js";
export type { paths, components } from "./generated/schema.js";
