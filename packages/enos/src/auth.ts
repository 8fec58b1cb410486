import {
  ApiError,
  asJsonObject,
  requireOption,
  ResponseShapeError,
  sha256Hex,
  TokenCache,
  type ApiClient,
  type CachedToken,
  type OutgoingRequest,
  type TransportHooks,
  type Verdict,
} from "@signalbridge/core";
import { TOKEN_OPERATIONS, VENDOR } from "./errors.js";
import type { operations } from "./generated/operations.js";
import type { components, paths } from "./generated/schema.js";

/** This vendor's engine, typed by its spec's paths and operation table. */
type Api = ApiClient<paths, typeof operations>;

/** The application's credentials, as issued in the EnOS Management Console. */
export interface EnosAuthOptions {
  /** The application's Access Key (AK). */
  appKey: string;
  /** The application's Secret Key (SK). Never sent: it only keys hashes. */
  appSecret: string;
  /**
   * Optional App Portal *user* access token, sent as `Authorization: Bearer`. For the message
   * rules it only changes who is recorded as creator / updater; its OU must equal `orgId`.
   */
  userToken?: string | undefined;
  /** Renew the gateway token this long before it expires. Default 60 000 ms. */
  tokenRefreshAheadMs?: number | undefined;
}

/** The auth hooks plus a way to look at the token (tests, diagnostics). */
export interface EnosAuth extends TransportHooks {
  /** The current gateway access token, fetched if needed. */
  accessToken(): Promise<string>;
}

type TokenResponse = components["schemas"]["AccessTokenResponse"];
type Renewal = "refresh" | "reissue";

const GET_PATH = "/apim-token-service/v2.0/token/get" satisfies keyof paths;
const REFRESH_PATH = "/apim-token-service/v2.0/token/refresh" satisfies keyof paths;

/**
 * `paramsData` of the gateway signature: the URL's query parameters sorted by name (ASCII /
 * UTF-16 order, like Java's `Collections.sort`), each written as name + value with no
 * separators, then the request body exactly as sent. Like the vendor's Java sample
 * (`HttpUrl.queryParameterNames()` / `queryParameter(name)`), a repeated name counts once,
 * with its first value, and values are percent-decoded.
 */
export function paramsDataOf(url: string, body: string | undefined): string {
  const params = new URL(url).searchParams;
  const names = [...new Set(params.keys())].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let out = "";
  for (const name of names) out += name + (params.get(name) ?? "");
  return out + (body ?? "");
}

/** `apim-signature`: lowercase hex SHA-256 of accessToken + paramsData + timestamp + appSecret. */
export function signatureOf(accessToken: string, paramsData: string, timestamp: string, appSecret: string): Promise<string> {
  return sha256Hex(accessToken + paramsData + timestamp + appSecret);
}

/** Token `encryption`: lowercase hex SHA-256 of appKey + timestamp + appSecret. */
export function encryptionOf(appKey: string, timestamp: number, appSecret: string): Promise<string> {
  return sha256Hex(appKey + String(timestamp) + appSecret);
}

/**
 * EnOS APIM authentication as transport hooks:
 * - a gateway access token from the token service (`encryption` over a fresh millisecond
 *   timestamp), cached for its `expire`, refreshed ahead of expiry through token/refresh
 *   (falling back to token/get), fetched once for concurrent callers;
 * - every App Portal call signed with `apim-accesstoken`, `apim-timestamp` and `apim-signature`
 *   over the exact query and body sent; the optional user token as `Authorization: Bearer`;
 * - a gateway 401 (`apim_status` 4011 → refresh, 4012 → re-issue) or an in-band 1203
 *   "token expired" renews the token once and re-sends.
 */
export function createEnosAuth(api: Api, options: EnosAuthOptions): EnosAuth {
  requireOption(VENDOR, "appKey", options.appKey, "the application's Access Key from the EnOS Management Console");
  requireOption(VENDOR, "appSecret", options.appSecret, "the application's Secret Key from the EnOS Management Console");
  const { appKey, appSecret, userToken } = options;
  // Configured credentials are pinned for the client's life; renewed tokens rotate (below).
  const redactor = api.redactor;
  redactor.pin(appSecret);
  redactor.pin(userToken);
  // The gateway's credential headers (apim-accesstoken, apim-signature, apim-timestamp) and body
  // fields (apim_refreshtoken) are masked in every log line and error of this client.
  redactor.addSecretKey(/^apim[-_]/i);

  let lastTimestamp = 0;
  // A token service rejects a repeated `encryption` (1001): never reuse a millisecond.
  const freshTimestamp = () => (lastTimestamp = Math.max(Date.now(), lastTimestamp + 1));

  // Why the next fetch happens, when a rejection (not expiry) triggers it.
  let forced: { renewal: Renewal; rejected: string } | undefined;
  const reasons = new WeakMap<OutgoingRequest, Renewal>();

  async function tokenCall(operation: "getAccessToken" | "refreshAccessToken", accessToken?: string): Promise<CachedToken> {
    for (let attempt = 1; ; attempt++) {
      const timestamp = freshTimestamp();
      const encryption = await encryptionOf(appKey, timestamp, appSecret);
      redactor.signature(encryption);
      try {
        const answer: TokenResponse =
          operation === "getAccessToken"
            ? await api.invoke<TokenResponse>(operation, { body: { appKey, encryption, timestamp } }, (init) =>
                api.raw.POST(GET_PATH, { body: { appKey, encryption, timestamp }, ...init }),
              )
            : await api.invoke<TokenResponse>(operation, { body: { appKey, encryption, timestamp, accessToken } }, (init) =>
                api.raw.POST(REFRESH_PATH, { body: { appKey, encryption, timestamp, accessToken: accessToken ?? "" }, ...init }),
              );
        const data = answer.data;
        if (!data || typeof data.accessToken !== "string" || data.accessToken === "") {
          throw new ResponseShapeError(`${VENDOR} ${operation}: status 0 but no data.accessToken in the answer`, {
            vendor: VENDOR,
            operation,
            status: 200,
            body: answer,
            redactor,
          });
        }
        redactor.rotate("accessToken", data.accessToken);
        return { value: data.accessToken, expiresAt: Date.now() + data.expire * 1000 };
      } catch (error) {
        // 1001: the token service saw this `encryption` before (e.g. the transport re-sent a
        // timed-out request byte for byte). A fresh timestamp makes a new one; try once more.
        if (error instanceof ApiError && error.code === "1001" && attempt < 2) continue;
        throw error;
      }
    }
  }

  const cache = new TokenCache<CachedToken>(
    async (previous) => {
      const why = forced;
      forced = undefined;
      const renewal: Renewal = why?.renewal ?? (previous ? "refresh" : "reissue");
      const old = why?.rejected ?? previous?.value;
      if (renewal === "refresh" && old) {
        try {
          return await tokenCall("refreshAccessToken", old);
        } catch (error) {
          // 1203 (expired), 1204 (refresh failed) or any other refusal: get a token instead.
          if (!(error instanceof ApiError)) throw error;
          api.logger.log("info", `${VENDOR}: token refresh answered ${error.code ?? error.status}; getting a new token`);
        }
      }
      return tokenCall("getAccessToken");
    },
    options.tokenRefreshAheadMs === undefined ? {} : { refreshAheadMs: options.tokenRefreshAheadMs },
  );

  return {
    async accessToken() {
      return (await cache.get()).value;
    },

    async authorize(request) {
      if (TOKEN_OPERATIONS.has(request.operation.id)) return; // the token service takes no signature
      const token = (await cache.get(request.signal)).value;
      const timestamp = String(Date.now());
      const signature = await signatureOf(token, paramsDataOf(request.url, request.body), timestamp, appSecret);
      redactor.signature(signature);
      const headers = request.headers;
      headers.set("apim-accesstoken", token);
      headers.set("apim-timestamp", timestamp);
      headers.set("apim-signature", signature);
      if (userToken) headers.set("Authorization", `Bearer ${userToken}`);
    },

    classify(response, request): Verdict {
      if (TOKEN_OPERATIONS.has(request.operation.id)) return undefined;
      const body = asJsonObject(response.json());
      const apim = body?.apim_status === undefined ? undefined : String(body.apim_status).trim();
      if (response.status === 401 || apim === "4011" || apim === "4012") {
        reasons.set(request, apim === "4011" ? "refresh" : "reissue");
        return "credential-rejected";
      }
      if (response.status === 200 && body) {
        const code = body.code ?? body.status;
        if (code !== undefined && String(code).trim() === "1203") {
          reasons.set(request, "reissue");
          return "credential-rejected";
        }
      }
      // The gateway's rate limiter answers before passing the request on.
      if (response.status === 429) return "not-processed";
      return undefined;
    },

    renewCredential(request) {
      const rejected = request.headers.get("apim-accesstoken");
      if (rejected === undefined) return;
      // Only when the rejected token is still the cached one: a concurrent request may have
      // renewed it already, and then the new token is simply used.
      if (cache.peek()?.value === rejected) forced = { renewal: reasons.get(request) ?? "reissue", rejected };
      cache.invalidate(rejected);
    },
  };
}
