import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { plainHttpRuleMismatches, recordingLogger } from "@signalbridge/testkit";
import {
  ApiError,
  ConfigurationError,
  TokenCache,
  backoffDelay,
  base64Text,
  checkBaseUrl,
  collectViolations,
  createLevelledLogger,
  hmacBase64,
  parseRetryAfter,
  redactValue,
  registerSecret,
  registerSecretKey,
  requireOption,
  resolveRetryPolicy,
  sha256Hex,
  sha512Hex,
} from "../src/index.js";
import { compile } from "./support.js";

describe("TokenCache", () => {
  it("fetches once for any number of concurrent callers", async () => {
    let fetches = 0;
    const cache = new TokenCache(async () => {
      fetches++;
      await new Promise((r) => setTimeout(r, 20));
      return { value: `t${fetches}`, expiresAt: Date.now() + 3_600_000 };
    });
    const tokens = await Promise.all(Array.from({ length: 200 }, () => cache.get()));
    expect(fetches).toBe(1);
    expect(new Set(tokens.map((t) => t.value))).toEqual(new Set(["t1"]));
  });

  it("renews ahead of expiry, passing the previous token to the fetcher", async () => {
    let now = 1_000_000;
    const seen: Array<string | undefined> = [];
    const cache = new TokenCache(
      async (prev) => {
        seen.push(prev?.value);
        return { value: `t${seen.length}`, expiresAt: now + 120_000 };
      },
      { refreshAheadMs: 60_000, now: () => now },
    );
    expect((await cache.get()).value).toBe("t1");
    now += 59_000;
    expect((await cache.get()).value).toBe("t1");
    now += 2_000; // inside the refresh-ahead window
    expect((await cache.get()).value).toBe("t2");
    expect(seen).toEqual([undefined, "t1"]);
  });

  it("invalidates only the rejected value, and lets a failed fetch be retried", async () => {
    let n = 0;
    const cache = new TokenCache(async () => {
      n++;
      if (n === 2) throw new Error("token endpoint down");
      return { value: `t${n}`, expiresAt: Date.now() + 3_600_000 };
    });
    await cache.get();
    cache.invalidate("some-older-token");
    expect(cache.peek()?.value).toBe("t1");
    cache.invalidate("t1");
    await expect(cache.get()).rejects.toThrow("token endpoint down");
    expect((await cache.get()).value).toBe("t3");
  });
});

describe("retry policy", () => {
  it("reads Retry-After as seconds or an HTTP date, capped, and ignores garbage", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("2", 30_000, now)).toBe(2000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", 30_000, now)).toBe(5000);
    expect(parseRetryAfter("3600", 30_000, now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", 30_000, now)).toBe(0);
    expect(parseRetryAfter("soon", 30_000, now)).toBeUndefined();
    expect(parseRetryAfter(null, 30_000, now)).toBeUndefined();
  });

  it("backs off exponentially with jitter inside [d/2, d], capped", () => {
    const p = resolveRetryPolicy({ initialDelayMs: 100, maxDelayMs: 1000 });
    expect(backoffDelay(1, p, () => 0)).toBe(50);
    expect(backoffDelay(1, p, () => 1)).toBe(100);
    expect(backoffDelay(3, p, () => 1)).toBe(400);
    expect(backoffDelay(10, p, () => 1)).toBe(1000);
  });

  it("layers defaults, client and call options; false means one attempt", () => {
    expect(resolveRetryPolicy(undefined).maxAttempts).toBe(3);
    expect(resolveRetryPolicy({ maxAttempts: 5 }, { initialDelayMs: 1 })).toMatchObject({ maxAttempts: 5, initialDelayMs: 1 });
    expect(resolveRetryPolicy({ maxAttempts: 5 }, false).maxAttempts).toBe(1);
  });
});

describe("redaction", () => {
  it("scrubs registered secret values from error messages and masks secret keys in toJSON", () => {
    registerSecret("s3cr3t-session-uuid");
    const err = new ApiError({
      vendor: "v",
      operation: "op",
      status: 400,
      code: "X",
      message: "session s3cr3t-session-uuid is invalid",
      body: { access_token: "abc", nested: { password: "p" }, note: "has s3cr3t-session-uuid inside" },
    });
    expect(err.message).not.toContain("s3cr3t-session-uuid");
    const json = JSON.stringify(err);
    expect(json).not.toContain("s3cr3t-session-uuid");
    expect(json).not.toContain('"abc"');
    expect(json).toContain('"access_token":"[redacted]"');
    expect(redactValue({ url: "/sessions/s3cr3t%2Dsession%2Duuid" })).toEqual({ url: "/sessions/[redacted]" });
  });

  it("logs through the level filter, redacting headers and secrets", () => {
    const { lines, logger } = recordingLogger();
    registerSecret("tok-123456");
    const log = createLevelledLogger(logger, "info");
    log.log("debug", "dropped");
    log.log("info", "used tok-123456", { headers: { Authorization: "Bearer tok-123456", accept: "json" } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("tok-123456");
    expect(lines[0]).toContain('"Authorization":"[redacted]"');
  });
});

describe("construction checks", () => {
  it("refuses plain http to a non-loopback host unless allowed (the table every client runs)", () => {
    expect(plainHttpRuleMismatches((baseUrl, allow) => checkBaseUrl("zstack", baseUrl, allow))).toEqual([]);
    // the table itself tells a client that skips the rule, or refuses everything, from one that follows it
    expect(plainHttpRuleMismatches(() => undefined)).toHaveLength(4);
    expect(plainHttpRuleMismatches((baseUrl) => checkBaseUrl("zstack", baseUrl, true))).toHaveLength(4);
    expect(plainHttpRuleMismatches((baseUrl) => checkBaseUrl("zstack", baseUrl.replace("http:", "https:")))).toHaveLength(4);
  });

  it("normalises a base URL and refuses malformed ones", () => {
    expect(checkBaseUrl("zstack", "http://10.0.0.5:8080/zstack/", true)).toBe("http://10.0.0.5:8080/zstack");
    expect(checkBaseUrl("eiam", "http://127.0.0.1:9000")).toBe("http://127.0.0.1:9000");
    expect(checkBaseUrl("eiam", "https://acme.bccastle.com")).toBe("https://acme.bccastle.com");
    expect(() => checkBaseUrl("eiam", undefined)).toThrow(ConfigurationError);
    expect(() => checkBaseUrl("eiam", "acme.bccastle.com")).toThrow(/not an absolute URL/);
    expect(() => checkBaseUrl("eiam", "https://u:p@acme.bccastle.com")).toThrow(/credentials/);
  });

  it("names a missing option", () => {
    expect(() => requireOption("eiam", "clientSecret", "")).toThrow("eiam: clientSecret is required");
  });
});

describe("crypto against known vectors", () => {
  it("sha512, sha256, HMAC-SHA1/256 and base64", async () => {
    expect(await sha512Hex("password")).toBe(
      "b109f3bbbc244eb82441917ed06d618b9008dd09b3befd1b5e07394c706a8bb980b1d7785e5976ec049b46df5f1326af5a2ea6d103fd07c95385ffab0cacbc86",
    );
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // RFC 2202 test case 2
    expect(await hmacBase64("SHA-1", "Jefe", "what do ya want for nothing?")).toBe(
      Buffer.from("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", "hex").toString("base64"),
    );
    const text = "POST\nMon, 25 Dec 2023 14:07:43 CST\n/v1/x 中文";
    expect(await hmacBase64("SHA-256", "k", text)).toBe(createHmac("sha256", "k").update(text).digest("base64"));
    expect(await sha256Hex("中文")).toBe(createHash("sha256").update("中文").digest("hex"));
    expect(base64Text("id:sécret")).toBe(Buffer.from("id:sécret").toString("base64"));
  });
});

describe("validation messages", () => {
  it("uses the spec's x-rule-message for a cross-field rule instead of its branches", () => {
    const validate = compile({
      type: "object",
      properties: {
        body: {
          type: "object",
          if: { not: { required: ["all"], properties: { all: { const: true } } } },
          then: { anyOf: [{ required: ["users"] }, { required: ["orgs"] }] },
        },
      },
    });
    const violations = collectViolations(validate, { body: { all: false } }, {
      "#/properties/body/if": "users or orgs must not be empty when `all` is not true",
      "#/properties/body/then": "users or orgs must not be empty when `all` is not true",
    });
    expect(violations).toEqual([
      { path: "body", rule: "rule", message: "body: users or orgs must not be empty when `all` is not true" },
    ]);
  });
});

describe("vendor secret keys", () => {
  it("masks keys a vendor registers, which the generic pattern does not know", () => {
    expect(redactValue({ "x-gw-nonce": "n-1", other: "o" })).toEqual({ "x-gw-nonce": "n-1", other: "o" });
    registerSecretKey(/^x-gw-/i);
    expect(redactValue({ "x-gw-nonce": "n-1", other: "o" })).toEqual({ "x-gw-nonce": "[redacted]", other: "o" });
  });
});
