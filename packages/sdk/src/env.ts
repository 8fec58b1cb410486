import { ConfigurationError, MAX_TIMEOUT_MS, type LogLevel } from "@signalbridge/core";
import type { EiamClientOptions } from "@signalbridge/bamboocloud-eiam";
import type { EnosClientOptions } from "@signalbridge/enos";
import type { ZStackClientOptions } from "@signalbridge/zstack";
import type { SignalBridgeOptions } from "./signalbridge.js";

type Env = Record<string, string | undefined>;

/** Every variable fromEnv reads, with what it means (the README table is generated from this). */
export const ENV_VARIABLES = {
  SIGNALBRIDGE_TIMEOUT_MS: "one deadline per call in ms (default 30000; 1 to 2147483647)",
  SIGNALBRIDGE_RETRY_MAX_ATTEMPTS: "attempts in all, the first included (default 3; 1 = no retries)",
  SIGNALBRIDGE_LOG_LEVEL: "debug | info | warn | error | off (default warn)",
  SIGNALBRIDGE_ZSTACK_BASE_URL: "ZStack management node URL with context path, e.g. http://10.0.0.5:8080/zstack",
  SIGNALBRIDGE_ZSTACK_ALLOW_INSECURE_HTTP: "true to allow plain http to a non-loopback management node",
  SIGNALBRIDGE_ZSTACK_ACCOUNT_NAME: "account login (with SIGNALBRIDGE_ZSTACK_PASSWORD)",
  SIGNALBRIDGE_ZSTACK_PASSWORD: "plain password; hashed with SHA-512 before it is sent",
  SIGNALBRIDGE_ZSTACK_SESSION_UUID: "an existing session instead of a login",
  SIGNALBRIDGE_ZSTACK_ACCESS_KEY_ID: "AccessKey authentication (with SIGNALBRIDGE_ZSTACK_ACCESS_KEY_SECRET)",
  SIGNALBRIDGE_ZSTACK_ACCESS_KEY_SECRET: "AccessKey secret",
  SIGNALBRIDGE_EIAM_BASE_URL: "tenant URL, e.g. https://acme.bccastle.com",
  SIGNALBRIDGE_EIAM_CLIENT_ID: "application client id (with SIGNALBRIDGE_EIAM_CLIENT_SECRET)",
  SIGNALBRIDGE_EIAM_CLIENT_SECRET: "application client secret",
  SIGNALBRIDGE_EIAM_ACCESS_TOKEN: "an existing access token instead of client credentials",
  SIGNALBRIDGE_ENOS_BASE_URL: "API gateway URL, e.g. https://apim-ppe1.envisioniot.com",
  SIGNALBRIDGE_ENOS_APP_KEY: "application Access Key",
  SIGNALBRIDGE_ENOS_APP_SECRET: "application Secret Key",
  SIGNALBRIDGE_ENOS_ORG_ID: "OU id sent as orgId",
  SIGNALBRIDGE_ENOS_APP_ID: "default appId for message-rule calls (usually the Access Key)",
  SIGNALBRIDGE_ENOS_USER_TOKEN: "optional App Portal user token (recorded as creator/updater)",
} as const;

function integer(env: Env, name: keyof typeof ENV_VARIABLES, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ConfigurationError(`${name} must be a whole number from 1 to ${max} (got "${raw}")`);
  return n;
}

const set = (v: string | undefined) => (v === undefined || v === "" ? undefined : v);

/** Read SIGNALBRIDGE_* variables into createSignalBridge options. */
export function readEnvConfig(env: Env): SignalBridgeOptions {
  const options: SignalBridgeOptions = {};
  const timeoutMs = integer(env, "SIGNALBRIDGE_TIMEOUT_MS", MAX_TIMEOUT_MS);
  if (timeoutMs) options.timeoutMs = timeoutMs;
  const attempts = integer(env, "SIGNALBRIDGE_RETRY_MAX_ATTEMPTS");
  if (attempts) options.retry = { maxAttempts: attempts };
  const level = set(env.SIGNALBRIDGE_LOG_LEVEL);
  if (level) {
    if (!["debug", "info", "warn", "error", "off"].includes(level)) {
      throw new ConfigurationError(`SIGNALBRIDGE_LOG_LEVEL must be debug, info, warn, error or off (got "${level}")`);
    }
    options.logLevel = level as LogLevel;
  }

  const zstackUrl = set(env.SIGNALBRIDGE_ZSTACK_BASE_URL);
  if (zstackUrl) {
    const accessKeyId = set(env.SIGNALBRIDGE_ZSTACK_ACCESS_KEY_ID);
    const sessionUuid = set(env.SIGNALBRIDGE_ZSTACK_SESSION_UUID);
    const auth: ZStackClientOptions["auth"] = accessKeyId
      ? { accessKeyId, accessKeySecret: env.SIGNALBRIDGE_ZSTACK_ACCESS_KEY_SECRET ?? "" }
      : sessionUuid
        ? { sessionUuid }
        : { accountName: env.SIGNALBRIDGE_ZSTACK_ACCOUNT_NAME ?? "", password: env.SIGNALBRIDGE_ZSTACK_PASSWORD ?? "" };
    options.zstack = { baseUrl: zstackUrl, auth, allowInsecureHttp: env.SIGNALBRIDGE_ZSTACK_ALLOW_INSECURE_HTTP === "true" };
  }

  const eiamUrl = set(env.SIGNALBRIDGE_EIAM_BASE_URL);
  if (eiamUrl) {
    const accessToken = set(env.SIGNALBRIDGE_EIAM_ACCESS_TOKEN);
    options.eiam = (
      accessToken
        ? { baseUrl: eiamUrl, accessToken }
        : { baseUrl: eiamUrl, clientId: env.SIGNALBRIDGE_EIAM_CLIENT_ID ?? "", clientSecret: env.SIGNALBRIDGE_EIAM_CLIENT_SECRET ?? "" }
    ) as EiamClientOptions;
  }

  const enosUrl = set(env.SIGNALBRIDGE_ENOS_BASE_URL);
  if (enosUrl) {
    const enos: Record<string, unknown> = {
      baseUrl: enosUrl,
      appKey: env.SIGNALBRIDGE_ENOS_APP_KEY ?? "",
      appSecret: env.SIGNALBRIDGE_ENOS_APP_SECRET ?? "",
      orgId: env.SIGNALBRIDGE_ENOS_ORG_ID ?? "",
    };
    if (set(env.SIGNALBRIDGE_ENOS_APP_ID)) enos.appId = env.SIGNALBRIDGE_ENOS_APP_ID;
    if (set(env.SIGNALBRIDGE_ENOS_USER_TOKEN)) enos.userToken = env.SIGNALBRIDGE_ENOS_USER_TOKEN;
    options.enos = enos as unknown as EnosClientOptions;
  }
  return options;
}
