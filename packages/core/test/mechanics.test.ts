import { createHash, createHmac } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { plainHttpRuleMismatches, recordingLogger } from "@signalbridge/testkit";
import {
  ApiError,
  ConfigurationError,
  sealError,
  type ApiErrorInit,
  TokenCache,
  backoffDelay,
  base64Text,
  checkBaseUrl,
  collectViolations,
  createLevelledLogger,
  hmacBase64,
  parseRetryAfter,
  Redactor,
  redactValue,
  registerSecret,
  registerSecretKey,
  scrubText,
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
  it("scrubs a client's secret values from error messages and masks secret keys in toJSON", () => {
    const redactor = new Redactor({ owner: "v" });
    redactor.rotate("session", "s3cr3t-session-uuid");
    const err = new ApiError({
      vendor: "v",
      operation: "op",
      status: 400,
      code: "X",
      message: "session s3cr3t-session-uuid is invalid",
      body: { access_token: "abc", nested: { password: "p" }, note: "has s3cr3t-session-uuid inside" },
      redactor,
    });
    expect(err.message).not.toContain("s3cr3t-session-uuid");
    expect(err.body).toEqual({ access_token: "[redacted]", nested: { password: "[redacted]" }, note: "has [redacted] inside" });
    const json = JSON.stringify(err);
    expect(json).not.toContain("s3cr3t-session-uuid");
    expect(json).not.toContain('"abc"');
    expect(json).toContain('"access_token":"[redacted]"');
    // over-encoded, either hex case
    expect(redactor.redactValue({ url: "/sessions/s3cr3t%2Dsession%2duuid" })).toEqual({ url: "/sessions/[redacted]" });
  });

  it("values registered process-wide (registerSecret) are scrubbed by every client's redactor", () => {
    registerSecret("process-wide-secret-1");
    expect(scrubText("x process-wide-secret-1 y")).toBe("x [redacted] y");
    expect(new Redactor({ owner: "a" }).scrubText("x process-wide-secret-1 y")).toBe("x [redacted] y");
    expect(redactValue({ a: ["process-wide-secret-1"] })).toEqual({ a: ["[redacted]"] });
  });

  it("logs through the level filter, redacting headers and the client's secrets", () => {
    const { lines, logger } = recordingLogger();
    const redactor = new Redactor({ owner: "v" });
    redactor.pin("tok-123456");
    const log = createLevelledLogger(logger, "info", redactor);
    log.log("debug", "dropped");
    log.log("info", "used tok-123456", { headers: { Authorization: "Bearer tok-123456", accept: "json" } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("tok-123456");
    expect(lines[0]).toContain('"Authorization":"[redacted]"');
    // another client's logger does not know this client's secret
    const other = recordingLogger();
    createLevelledLogger(other.logger, "info", new Redactor({ owner: "w" })).log("info", "tok-123456 is just text here");
    expect(other.lines[0]).toContain("tok-123456 is just text here");
  });

  it("matches every percent-encoded and JSON-escaped form without decoding the text", () => {
    const r = new Redactor({ owner: "v", parent: null });
    r.pin("p@ss w/rd:é");
    const forms = [
      "p@ss w/rd:é",
      encodeURIComponent("p@ss w/rd:é"),
      encodeURIComponent("p@ss w/rd:é").toLowerCase(),
      encodeURIComponent(encodeURIComponent("p@ss w/rd:é")),
      new URLSearchParams({ x: "p@ss w/rd:é" }).toString().slice(2),
      JSON.stringify("p@ss w/rd:é").slice(1, -1).replace("/", "\\/"),
      "p\\u0040ss w/rd:\\u00E9",
    ];
    for (const form of forms) expect(r.scrubText(`100% bad %zz ${form} %`), form).toBe("100% bad %zz [redacted] %");
  });

  it("scrubs a short secret only where it stands as a word", () => {
    const r = new Redactor({ owner: "v", parent: null });
    r.pin("ab");
    expect(r.scrubText("ab; tab, abc, x=ab&")).toBe("[redacted]; tab, abc, x=[redacted]&");
  });

  it("redacts without a depth limit and survives cycles, Maps, Sets and Errors", () => {
    const r = new Redactor({ owner: "v", parent: null });
    r.pin("deep-secret-1");
    let deep: Record<string, unknown> = { leaf: "deep-secret-1" };
    for (let i = 0; i < 50_000; i++) deep = { next: deep };
    let out = r.redactValue(deep) as Record<string, unknown>;
    for (let i = 0; i < 50_000; i++) out = out.next as Record<string, unknown>;
    expect(out).toEqual({ leaf: "[redacted]" });

    const cyclic: Record<string, unknown> = { name: "deep-secret-1" };
    cyclic.self = cyclic;
    const shared = { s: "deep-secret-1" };
    expect(r.redactValue({ cyclic, a: shared, b: shared })).toEqual({
      cyclic: { name: "[redacted]", self: "[circular]" },
      a: { s: "[redacted]" },
      b: { s: "[redacted]" },
    });
    const map = r.redactValue(
      new Map([
        ["k", "deep-secret-1"],
        ["token", "t"],
      ]),
    ) as Map<string, unknown>;
    expect([...map]).toEqual([
      ["k", "[redacted]"],
      ["token", "[redacted]"],
    ]);
    expect([...(r.redactValue(new Set(["deep-secret-1"])) as Set<unknown>)]).toEqual(["[redacted]"]);
    const cause = Object.assign(new TypeError("fetch failed for deep-secret-1"), { code: "deep-secret-1" });
    const copy = r.redactValue(new Error("outer deep-secret-1", { cause })) as Error & { cause: TypeError & { code: string } };
    expect(copy).toBeInstanceOf(Error);
    expect(copy.message).toBe("outer [redacted]");
    expect(copy.cause).toBeInstanceOf(TypeError);
    expect(copy.cause.message).toBe("fetch failed for [redacted]");
    expect(copy.cause.code).toBe("[redacted]");
    expect(copy.stack).not.toContain("deep-secret-1");
    // a platform error keeps its fields in internal slots: its copy still reads (and inspects) safely
    const aborted = r.redactValue(new Error("x", { cause: new DOMException("stopped deep-secret-1", "AbortError") })) as Error & {
      cause: Error;
    };
    expect([aborted.cause.name, aborted.cause.message]).toEqual(["AbortError", "stopped [redacted]"]);
    expect(inspect(aborted, { depth: Infinity })).not.toContain("deep-secret-1");
  });

  it("sealError redacts a field a subclass forgot, and the cause chain, with the client's redactor", () => {
    const redactor = new Redactor({ owner: "v" });
    redactor.pin("forgotten-secret-1");
    class Careless extends ApiError {
      readonly extra: unknown;
      constructor(init: ApiErrorInit & { extra: unknown }) {
        super(init);
        this.extra = init.extra; // not redacted here
      }
    }
    const err = new Careless({
      vendor: "v",
      operation: "op",
      status: 400,
      code: undefined,
      message: "m",
      redactor,
      extra: { deep: ["forgotten-secret-1"] },
      cause: new Error("cause forgotten-secret-1"),
    });
    expect(JSON.stringify(err.extra)).toContain("forgotten-secret-1");
    expect(sealError(err, redactor)).toBe(err);
    expect(err.extra).toEqual({ deep: ["[redacted]"] });
    expect(inspect(err, { depth: Infinity, showHidden: true })).not.toContain("forgotten-secret-1");
    const abort = new DOMException("stop", "AbortError");
    expect(sealError(abort, redactor)).toBe(abort); // not ours: untouched
  });

  it("never evicts pinned credentials or the current token of a slot; superseded tokens age out", () => {
    const r = new Redactor({ owner: "v", parent: null, maxSuperseded: 8 });
    r.pin("configured-secret");
    for (let i = 0; i < 100; i++) r.rotate("token", `token-${i}-xxxx`);
    for (let i = 0; i < 100; i++) r.remember(`transient-${i}-xxxx`);
    expect(r.knows("configured-secret")).toBe(true);
    expect(r.knows("token-99-xxxx")).toBe(true);
    expect(r.knows("token-98-xxxx")).toBe(false);
    expect(r.knows("transient-99-xxxx")).toBe(true);
    expect(r.knows("transient-0-xxxx")).toBe(false);
    expect(r.scrubText("configured-secret token-99-xxxx")).toBe("[redacted] [redacted]");
    // a burst of request signatures ages out older signatures only, never a token
    for (let i = 0; i < 500; i++) r.signature(`signature-${i}-xxxx`);
    expect(r.knows("signature-499-xxxx")).toBe(true);
    expect(r.knows("signature-0-xxxx")).toBe(false);
    expect(r.knows("transient-99-xxxx")).toBe(true);
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
    const violations = collectViolations(
      validate,
      { body: { all: false } },
      {
        "#/properties/body/if": "users or orgs must not be empty when `all` is not true",
        "#/properties/body/then": "users or orgs must not be empty when `all` is not true",
      },
    );
    expect(violations).toEqual([{ path: "body", rule: "rule", message: "body: users or orgs must not be empty when `all` is not true" }]);
  });
});

describe("vendor secret keys", () => {
  it("masks keys a vendor registers, which the generic pattern does not know", () => {
    expect(redactValue({ "x-gw-nonce": "n-1", other: "o" })).toEqual({ "x-gw-nonce": "n-1", other: "o" });
    registerSecretKey(/^x-gw-/i);
    expect(redactValue({ "x-gw-nonce": "n-1", other: "o" })).toEqual({ "x-gw-nonce": "[redacted]", other: "o" });
  });
});
