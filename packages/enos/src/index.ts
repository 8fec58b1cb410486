export {
  createEnosClient,
  type EnosClient,
  type EnosClientOptions,
  type EnosCallOptions,
  type CreateMessageRulesInput,
  type SearchMessageRulesRequest,
  type UpdateMessageRulesRequest,
  type DeleteMessageRulesRequest,
  type MessageRuleSearchResult,
  type MessageRuleItem,
  type MessageRule,
  type RulesDTO,
  type RelationsDTO,
  type IsEnable,
} from "./client.js";
export { EnosApiError, EnosAuthenticationError } from "./errors.js";
export { errorCatalog, type ErrorCode, type KnownErrorCode } from "./generated/error-codes.js";
export type { paths, components } from "./generated/schema.js";
