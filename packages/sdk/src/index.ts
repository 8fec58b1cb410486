export { createSignalBridge, type SignalBridge, type SignalBridgeOptions, type SharedOptions } from "./signalbridge.js";
export { ENV_VARIABLES, readEnvConfig } from "./env.js";
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
  DEFAULT_MAX_RESPONSE_BYTES,
  isSignalBridgeError,
  isRedirectError,
  isResponseTooLargeError,
  isValidationError,
  isApiError,
  isAuthenticationError,
  isTimeoutError,
  isNetworkError,
  isResponseShapeError,
  type ErrorKind,
  type Violation,
  type CallOptions,
  type CommonClientOptions,
  type Logger,
  type LogLevel,
  type RetryOptions,
} from "@signalbridge/core";
export {
  createZStackClient,
  ZStackApiError,
  ZStackAuthenticationError,
  type ZStackClient,
  type ZStackClientOptions,
  type ZStackAuthOptions,
} from "@signalbridge/zstack";
export {
  createEiamClient,
  EiamApiError,
  EiamAuthenticationError,
  type EiamClient,
  type EiamClientOptions,
} from "@signalbridge/bamboocloud-eiam";
export {
  createEnosClient,
  EnosApiError,
  EnosAuthenticationError,
  type EnosClient,
  type EnosClientOptions,
} from "@signalbridge/enos";
/** Everything else of each vendor package (input/result types, error catalogs), by vendor. */
export * as zstack from "@signalbridge/zstack";
export * as eiam from "@signalbridge/bamboocloud-eiam";
export * as enos from "@signalbridge/enos";
