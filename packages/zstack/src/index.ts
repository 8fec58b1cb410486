export {
  createZStackClient,
  type ZStackClient,
  type ZStackClientOptions,
  type ZStackCallOptions,
  type ZStackPollOptions,
  type ZStackTags,
  type AddDingTalkAtPersonInput,
  type UpdateDingTalkAtPersonInput,
  type RemoveDingTalkAtPersonInput,
  type QueryDingTalkAtPersonsInput,
  type QueryDingTalkAtPersonsResult,
  type SNSDingTalkAtPersonInventory,
  type SessionInventory,
} from "./client.js";
export type { BulkAddItem, BulkAddOptions, BulkAddResult } from "./bulk.js";
export { parseZStackDate, type ZStackAuthOptions } from "./auth.js";
export { ZStackApiError, ZStackAuthenticationError, type ZStackErrorObject } from "./errors.js";
export { errorCatalog, type ErrorCode, type KnownErrorCode } from "./generated/error-codes.js";
export type { paths, components } from "./generated/schema.js";
