export {
  SignalBridgeError,
  ValidationError,
  ApiError,
  AuthenticationError,
  TimeoutError,
  NetworkError,
  ResponseShapeError,
  ConfigurationError,
  isSignalBridgeError,
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
  type CallOptions,
  type OutgoingRequest,
  type ReceivedResponse,
  type TransportHooks,
  type Verdict,
} from "./transport.js";
export { checkBaseUrl, requireOption } from "./base-url.js";
export { TokenCache, type CachedToken, type TokenCacheOptions } from "./token-cache.js";
export { backoffDelay, parseRetryAfter, resolveRetryPolicy, sleep, DEFAULT_RETRY, type RetryOptions, type ResolvedRetryPolicy } from "./retry.js";
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
