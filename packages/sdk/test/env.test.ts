import { ConfigurationError } from "@signalbridge/core";
import { describe, expect, it } from "vitest";
import { createSignalBridge, readEnvConfig } from "../src/index.js";

/** fromEnv's errors name the variable to set, and why; no value of a secret is ever echoed. */
const refusal = (env: Record<string, string>) => {
  try {
    readEnvConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error("accepted");
};

const EIAM = { SIGNALBRIDGE_EIAM_BASE_URL: "https://acme.bccastle.com" };
const ZSTACK = { SIGNALBRIDGE_ZSTACK_BASE_URL: "https://10.0.0.5:8443/zstack" };
const ENOS = { SIGNALBRIDGE_ENOS_BASE_URL: "https://apim-ppe1.envisioniot.com" };

describe("createSignalBridge.fromEnv: errors name the environment variable", () => {
  it("EIAM: a missing client secret, client id, or both", () => {
    expect(refusal({ ...EIAM, SIGNALBRIDGE_EIAM_CLIENT_ID: "app" })).toBe(
      "SIGNALBRIDGE_EIAM_CLIENT_SECRET is required when SIGNALBRIDGE_EIAM_BASE_URL is set (or set SIGNALBRIDGE_EIAM_ACCESS_TOKEN)",
    );
    expect(refusal({ ...EIAM, SIGNALBRIDGE_EIAM_CLIENT_SECRET: "s3cr3t-value" })).toBe(
      "SIGNALBRIDGE_EIAM_CLIENT_ID is required when SIGNALBRIDGE_EIAM_BASE_URL is set (or set SIGNALBRIDGE_EIAM_ACCESS_TOKEN)",
    );
    expect(refusal({ ...EIAM, SIGNALBRIDGE_EIAM_CLIENT_ID: "app", SIGNALBRIDGE_EIAM_CLIENT_SECRET: "   " })).toMatch(
      /^SIGNALBRIDGE_EIAM_CLIENT_SECRET is required/,
    );
    expect(() => createSignalBridge.fromEnv(EIAM)).toThrow(
      "SIGNALBRIDGE_EIAM_CLIENT_ID and SIGNALBRIDGE_EIAM_CLIENT_SECRET are required when SIGNALBRIDGE_EIAM_BASE_URL is set (or set SIGNALBRIDGE_EIAM_ACCESS_TOKEN)",
    );
    expect(readEnvConfig({ ...EIAM, SIGNALBRIDGE_EIAM_ACCESS_TOKEN: "tok" }).eiam).toEqual({
      baseUrl: EIAM.SIGNALBRIDGE_EIAM_BASE_URL,
      accessToken: "tok",
    });
  });

  it("ZStack: account login, AccessKey halves, and the three ways to authenticate", () => {
    expect(refusal(ZSTACK)).toBe(
      "SIGNALBRIDGE_ZSTACK_ACCOUNT_NAME and SIGNALBRIDGE_ZSTACK_PASSWORD are required when SIGNALBRIDGE_ZSTACK_BASE_URL is set (or set SIGNALBRIDGE_ZSTACK_SESSION_UUID, or SIGNALBRIDGE_ZSTACK_ACCESS_KEY_ID and SIGNALBRIDGE_ZSTACK_ACCESS_KEY_SECRET)",
    );
    expect(refusal({ ...ZSTACK, SIGNALBRIDGE_ZSTACK_ACCOUNT_NAME: "admin" })).toMatch(
      /^SIGNALBRIDGE_ZSTACK_PASSWORD is required when SIGNALBRIDGE_ZSTACK_BASE_URL is set/,
    );
    expect(refusal({ ...ZSTACK, SIGNALBRIDGE_ZSTACK_ACCESS_KEY_ID: "ak" })).toBe(
      "SIGNALBRIDGE_ZSTACK_ACCESS_KEY_SECRET is required when SIGNALBRIDGE_ZSTACK_BASE_URL is set (AccessKey authentication needs both)",
    );
    expect(refusal({ ...ZSTACK, SIGNALBRIDGE_ZSTACK_ACCESS_KEY_SECRET: "sk-secret-value" })).toMatch(
      /^SIGNALBRIDGE_ZSTACK_ACCESS_KEY_ID is required/,
    );
    expect(readEnvConfig({ ...ZSTACK, SIGNALBRIDGE_ZSTACK_SESSION_UUID: "0123456789abcdef0123456789abcdef" }).zstack?.auth).toEqual({
      sessionUuid: "0123456789abcdef0123456789abcdef",
    });
    expect(refusal({ ...ZSTACK, SIGNALBRIDGE_ZSTACK_SESSION_UUID: "s", SIGNALBRIDGE_ZSTACK_ALLOW_INSECURE_HTTP: "yes" })).toBe(
      'SIGNALBRIDGE_ZSTACK_ALLOW_INSECURE_HTTP must be true or false (got "yes")',
    );
  });

  it("EnOS: each of app key, app secret and org id", () => {
    expect(refusal(ENOS)).toBe(
      "SIGNALBRIDGE_ENOS_APP_KEY, SIGNALBRIDGE_ENOS_APP_SECRET and SIGNALBRIDGE_ENOS_ORG_ID are required when SIGNALBRIDGE_ENOS_BASE_URL is set",
    );
    expect(refusal({ ...ENOS, SIGNALBRIDGE_ENOS_APP_KEY: "k", SIGNALBRIDGE_ENOS_APP_SECRET: "s" })).toBe(
      "SIGNALBRIDGE_ENOS_ORG_ID is required when SIGNALBRIDGE_ENOS_BASE_URL is set",
    );
  });

  it("malformed values: base URLs (not echoed: they may carry userinfo), timeouts beyond setTimeout's range", () => {
    const bad = refusal({ SIGNALBRIDGE_EIAM_BASE_URL: "acme.bccastle.com/with-secret-in-it" });
    expect(bad).toBe("SIGNALBRIDGE_EIAM_BASE_URL must be an absolute http:// or https:// URL");
    expect(refusal({ SIGNALBRIDGE_ENOS_BASE_URL: "ftp://apim.example.com" })).toBe(
      "SIGNALBRIDGE_ENOS_BASE_URL must be an absolute http:// or https:// URL (got a ftp: URL)",
    );
    expect(refusal({ SIGNALBRIDGE_TIMEOUT_MS: "2147483648" })).toBe(
      'SIGNALBRIDGE_TIMEOUT_MS must be a positive integer no greater than 2147483647 (got "2147483648")',
    );
    expect(refusal({ SIGNALBRIDGE_TIMEOUT_MS: "0" })).toMatch(/^SIGNALBRIDGE_TIMEOUT_MS must be a positive integer/);
    expect(refusal({ SIGNALBRIDGE_RETRY_MAX_ATTEMPTS: "1.5" })).toBe(
      'SIGNALBRIDGE_RETRY_MAX_ATTEMPTS must be a positive integer (got "1.5")',
    );
    expect(readEnvConfig({ SIGNALBRIDGE_TIMEOUT_MS: "2147483647" }).timeoutMs).toBe(2147483647);
  });

  it("no secret value appears in any of these messages", () => {
    const messages = [
      refusal({ ...EIAM, SIGNALBRIDGE_EIAM_CLIENT_SECRET: "s3cr3t-value" }),
      refusal({ ...ZSTACK, SIGNALBRIDGE_ZSTACK_ACCESS_KEY_SECRET: "sk-secret-value" }),
      refusal({ ...ZSTACK, SIGNALBRIDGE_ZSTACK_PASSWORD: "pw-secret-value" }),
    ];
    for (const m of messages) expect(m).not.toMatch(/secret-value|s3cr3t/);
  });
});
