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

type Name = keyof typeof ENV_VARIABLES;

function integer(env: Env, name: Name, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > max) {
    throw new ConfigurationError(
      `${name} must be a positive integer${max < Number.MAX_SAFE_INTEGER ? ` no greater than ${max}` : ""} (got "${raw}")`,
    );
  }
  return n;
}

const set = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v);

/** A vendor's base URL variable: an absolute http(s) URL. Its value is not echoed (it may carry userinfo). */
function baseUrl(env: Env, name: Name): string | undefined {
  const raw = set(env[name]);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(`${name} must be an absolute http:// or https:// URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ConfigurationError(`${name} must be an absolute http:// or https:// URL (got a ${url.protocol} URL)`);
  return raw;
}

function boolean(env: Env, name: Name): boolean {
  const raw = set(env[name]);
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  if (v !== "true" && v !== "false") throw new ConfigurationError(`${name} must be true or false (got "${raw}")`);
  return v === "true";
}

/** The value of each variable in `names`, or a ConfigurationError naming the missing ones and why they are needed. */
function required(env: Env, because: Name, names: Name[], instead?: string): string[] {
  const missing = names.filter((n) => set(env[n]) === undefined);
  if (missing.length > 0) {
    const list = missing.length === 1 ? `${missing[0]} is` : `${missing.slice(0, -1).join(", ")} and ${missing.at(-1)} are`;
    throw new ConfigurationError(`${list} required when ${because} is set${instead ? ` (${instead})` : ""}`);
  }
  return names.map((n) => env[n]!);
}

/** Read SIGNALBRIDGE_* variables into createSignalBridge options; a missing or malformed variable is a ConfigurationError naming it. */
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

  const zstackUrl = baseUrl(env, "SIGNALBRIDGE_ZSTACK_BASE_URL");
  if (zstackUrl) {
    const because = "SIGNALBRIDGE_ZSTACK_BASE_URL";
    let auth: ZStackClientOptions["auth"];
    if (set(env.SIGNALBRIDGE_ZSTACK_ACCESS_KEY_ID) || set(env.SIGNALBRIDGE_ZSTACK_ACCESS_KEY_SECRET)) {
      const [accessKeyId, accessKeySecret] = required(
        env,
        because,
        ["SIGNALBRIDGE_ZSTACK_ACCESS_KEY_ID", "SIGNALBRIDGE_ZSTACK_ACCESS_KEY_SECRET"],
        "AccessKey authentication needs both",
      );
      auth = { accessKeyId: accessKeyId!, accessKeySecret: accessKeySecret! };
    } else if (set(env.SIGNALBRIDGE_ZSTACK_SESSION_UUID)) {
      auth = { sessionUuid: env.SIGNALBRIDGE_ZSTACK_SESSION_UUID! };
    } else {
      const [accountName, password] = required(
        env,
        because,
        ["SIGNALBRIDGE_ZSTACK_ACCOUNT_NAME", "SIGNALBRIDGE_ZSTACK_PASSWORD"],
        "or set SIGNALBRIDGE_ZSTACK_SESSION_UUID, or SIGNALBRIDGE_ZSTACK_ACCESS_KEY_ID and SIGNALBRIDGE_ZSTACK_ACCESS_KEY_SECRET",
      );
      auth = { accountName: accountName!, password: password! };
    }
    options.zstack = { baseUrl: zstackUrl, auth, allowInsecureHttp: boolean(env, "SIGNALBRIDGE_ZSTACK_ALLOW_INSECURE_HTTP") };
  }

  const eiamUrl = baseUrl(env, "SIGNALBRIDGE_EIAM_BASE_URL");
  if (eiamUrl) {
    const accessToken = set(env.SIGNALBRIDGE_EIAM_ACCESS_TOKEN);
    if (accessToken) {
      options.eiam = { baseUrl: eiamUrl, accessToken } as EiamClientOptions;
    } else {
      const [clientId, clientSecret] = required(
        env,
        "SIGNALBRIDGE_EIAM_BASE_URL",
        ["SIGNALBRIDGE_EIAM_CLIENT_ID", "SIGNALBRIDGE_EIAM_CLIENT_SECRET"],
        "or set SIGNALBRIDGE_EIAM_ACCESS_TOKEN",
      );
      options.eiam = { baseUrl: eiamUrl, clientId: clientId!, clientSecret: clientSecret! } as EiamClientOptions;
    }
  }

  const enosUrl = baseUrl(env, "SIGNALBRIDGE_ENOS_BASE_URL");
  if (enosUrl) {
    const [appKey, appSecret, orgId] = required(env, "SIGNALBRIDGE_ENOS_BASE_URL", [
      "SIGNALBRIDGE_ENOS_APP_KEY",
      "SIGNALBRIDGE_ENOS_APP_SECRET",
      "SIGNALBRIDGE_ENOS_ORG_ID",
    ]);
    const enos: Record<string, unknown> = { baseUrl: enosUrl, appKey, appSecret, orgId };
    if (set(env.SIGNALBRIDGE_ENOS_APP_ID)) enos.appId = env.SIGNALBRIDGE_ENOS_APP_ID;
    if (set(env.SIGNALBRIDGE_ENOS_USER_TOKEN)) enos.userToken = env.SIGNALBRIDGE_ENOS_USER_TOKEN;
    options.enos = enos as unknown as EnosClientOptions;
  }
  return options;
}
