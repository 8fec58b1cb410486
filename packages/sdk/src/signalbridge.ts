import { ConfigurationError, type CommonClientOptions } from "@signalbridge/core";
import { createEiamClient, type EiamClient, type EiamClientOptions } from "@signalbridge/bamboocloud-eiam";
import { createEnosClient, type EnosClient, type EnosClientOptions } from "@signalbridge/enos";
import { createZStackClient, type ZStackClient, type ZStackClientOptions } from "@signalbridge/zstack";
import { readEnvConfig } from "./env.js";

/** Options shared by every vendor client; a vendor's own options win over these. */
export type SharedOptions = Omit<CommonClientOptions, "baseUrl" | "allowInsecureHttp" | "headers">;

export interface SignalBridgeOptions extends SharedOptions {
  zstack?: ZStackClientOptions;
  eiam?: EiamClientOptions;
  enos?: EnosClientOptions;
}

/** The configured vendor clients. Reaching for one that was not configured throws at once. */
export interface SignalBridge {
  readonly zstack: ZStackClient;
  readonly eiam: EiamClient;
  readonly enos: EnosClient;
  /** Which vendors are configured. */
  readonly configured: ReadonlyArray<"zstack" | "eiam" | "enos">;
}

const SHARED_KEYS = ["timeoutMs", "retry", "logger", "logLevel", "validate", "validateResponses", "fetch"] as const;

function withShared<T extends object>(shared: SharedOptions, own: T): T {
  const merged: Record<string, unknown> = {};
  for (const key of SHARED_KEYS) if (shared[key] !== undefined) merged[key] = shared[key];
  return { ...merged, ...own } as T;
}

/**
 * Build the vendor clients you configure, with shared timeouts, retries and logging.
 * Every client is constructed (and its options checked) here, so a missing credential fails now,
 * not at the first call.
 */
export function createSignalBridge(options: SignalBridgeOptions): SignalBridge {
  const { zstack, eiam, enos, ...shared } = options;
  const clients = {
    zstack: zstack ? createZStackClient(withShared(shared, zstack)) : undefined,
    eiam: eiam ? createEiamClient(withShared(shared, eiam)) : undefined,
    enos: enos ? createEnosClient(withShared(shared, enos)) : undefined,
  };
  const configured = (Object.keys(clients) as Array<keyof typeof clients>).filter((k) => clients[k]);
  if (configured.length === 0) {
    throw new ConfigurationError("createSignalBridge: configure at least one vendor (zstack, eiam or enos)");
  }
  const get = <K extends keyof typeof clients>(key: K): NonNullable<(typeof clients)[K]> => {
    const client = clients[key];
    if (!client) {
      throw new ConfigurationError(
        `signalbridge: ${key} is not configured; pass createSignalBridge({ ${key}: { baseUrl, … } }) or set SIGNALBRIDGE_${key.toUpperCase()}_BASE_URL`,
        { vendor: key },
      );
    }
    return client as NonNullable<(typeof clients)[K]>;
  };
  return {
    get zstack() {
      return get("zstack");
    },
    get eiam() {
      return get("eiam");
    },
    get enos() {
      return get("enos");
    },
    configured,
  };
}

/**
 * Build from SIGNALBRIDGE_* environment variables (README "Configuration from the environment").
 * A vendor is configured when its SIGNALBRIDGE_<VENDOR>_BASE_URL is set.
 */
createSignalBridge.fromEnv = function fromEnv(
  env: Record<string, string | undefined> = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {},
  overrides: SharedOptions = {},
): SignalBridge {
  return createSignalBridge({ ...readEnvConfig(env), ...overrides });
};
