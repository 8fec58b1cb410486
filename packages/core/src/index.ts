export {
  SignalBridgeError,
  ValidationError,
  ApiError,
  AuthenticationError,
  TimeoutError,
  NetworkError,
  ResponseShapeError,
  ConfigurationError,
  RedirectError,
  ResponseTooLargeError,
  isSignalBridgeError,
  isRedirectError,
  isResponseTooLargeError,
  isValidationError,
  isApiError,
  isAuthenticationError,
  isTimeoutError,
  isNetworkError,
  isResponseShapeError,
  redactorOf,
  sealError,
  type ErrorKind,
  type ErrorContext,
  type Violation,
  type ApiErrorInit,
} from "./errors.js";
export {
  createApiClient,
  describeText,
  type ApiClient,
  type OperationId,
  type CommonClientOptions,
  type CreateApiClientOptions,
  type Exchange,
  type RequestInput,
  type SendInit,
  type VendorErrors,
} from "./client.js";
export {
  attemptsOf,
  requestIdOf,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
  type CallContext,
  type CallOptions,
  type OutgoingRequest,
  type ReceivedResponse,
  type TransportHooks,
  type Verdict,
} from "./transport.js";
export { HeaderMap, headerViolation, headerViolations, type HeaderLayer } from "./headers.js";
export { DEFAULT_MAX_RESPONSE_BYTES, readBodyCapped } from "./read-body.js";
export { fetchSender, type HttpSender, type WireAnswer, type WireHeaders, type WireRequest } from "./wire.js";
export { checkBaseUrl, requireOption } from "./base-url.js";
export { TokenCache, type CachedToken, type TokenCacheOptions } from "./token-cache.js";
export {
  backoffDelay,
  decideRetry,
  parseRetryAfter,
  resolveRetryPolicy,
  sleep,
  DEFAULT_RETRY,
  type AttemptOutcome,
  type RetryDecision,
  type RetryOptions,
  type RetryState,
  type ResolvedRetryPolicy,
} from "./retry.js";
export { createLevelledLogger, type Logger, type LogLevel, type LevelledLogger } from "./logger.js";
export {
  Redactor,
  defaultRedactor,
  registerSecret,
  registerSecretKey,
  scrubText,
  redactValue,
  redactHeaders,
  isSecretKey,
  REDACTED,
  CIRCULAR,
  type RedactorOptions,
} from "./redact.js";
export { collectViolations, assertValid, type GeneratedValidator, type SchemaError, type RuleMessages } from "./validation.js";
export { compileSchema, type Schema } from "./schema-check.js";
export { isJsonObject, asJsonObject, trimmedText, type JsonObject } from "./json.js";
export { createOperationMatcher, type OperationInfo, type OperationTable } from "./operations.js";
export { sha256Hex, sha512Hex, hmacBase64, base64Text } from "./crypto.js";
export {
  JournalError,
  isJournalError,
  createMemoryJournal,
  runBatches,
  checkDeliveryKey,
  journalForCall,
  failedBatchOutcome,
  type CallJournal,
  canonicalJson,
  keyConflictMessage,
  INTERRUPTED_REASON,
  type DeliveryJournal,
  type DeliveryPlan,
  type DeliveryRecord,
  type JournalBatchRecord,
  type JournalBatchState,
  type JournalClaim,
  type JournalErrorReason,
  type Settlement,
  type BatchOutcome,
  type RunBatchesOptions,
} from "./journal.js";
