import {
  base64Text,
  ConfigurationError,
  requireOption,
  TokenCache,
  type ApiClient,
  type CachedToken,
  type OutgoingRequest,
  type ReceivedResponse,
  type TransportHooks,
  type Verdict,
} from "@signalbridge/core";
import { VENDOR } from "./errors.js";
import type { operations } from "./generated/operations.js";
import type { components, paths } from "./generated/schema.js";

/** This vendor's engine, typed by its spec's paths and operation table. */
type Api = ApiClient<paths, typeof operations>;

/** The operation that issues tokens; it authenticates with HTTP Basic instead of a bearer token. */
export const TOKEN_OPERATION = "getAccessToken";
/** The vendor's fixed request Content-Type for the Identity Management API. */
export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";
/** The vendor's documented default token lifetime (seconds), used when `expires_in` is absent. */
export const DEFAULT_EXPIRES_IN_S = 1800;
const DEFAULT_REFRESH_AHEAD_MS = 60_000;

export type TokenResponse = components["schemas"]["TokenResponse"];

/** How an EIAM client authenticates: an application's client credentials, a ready token, or both. */
export interface EiamCredentials {
  /** The application's client_id (IDaaS console → application → API credentials). */
  clientId?: string;
  /** The application's client_secret. Never logged. */
  clientSecret?: string;
  /**
   * A bearer token obtained elsewhere. Alone, it is used as is and cannot be renewed: an
   * `invalid_token` answer becomes an EiamAuthenticationError. With clientId/clientSecret it is
   * used first and replaced by a fetched token once it is refused.
   */
  accessToken?: string;
  /** Renew a fetched token this long before it expires (at most half its lifetime). Default 60 000. */
  tokenRefreshAheadMs?: number;
}

interface EiamToken extends CachedToken {
  /** When the vendor stops accepting it (epoch ms); `expiresAt` is when we renew it. */
  validUntil: number;
}

export interface EiamAuth extends TransportHooks {
  /** A valid access token (fetched, cached and renewed as needed). */
  accessToken(): Promise<string>;
}

/**
 * EIAM authentication as transport hooks: the token endpoint is called with HTTP Basic
 * (base64(client_id:client_secret)) and a form body; every other operation gets
 * `Authorization: Bearer {access_token}` and the vendor's fixed Content-Type. An expired or
 * unknown token is answered with `400 {"error":"invalid_token"}` (not 401): classify says
 * "credential-rejected" so the transport renews the token once and re-sends.
 */
export function createEiamAuth(api: Api, options: EiamCredentials): EiamAuth {
  const { clientId, clientSecret, accessToken } = options;
  const hasGivenToken = typeof accessToken === "string" && accessToken.trim() !== "";
  if (!hasGivenToken || clientId !== undefined || clientSecret !== undefined) {
    requireOption(VENDOR, "clientId", clientId, "or pass accessToken");
    requireOption(VENDOR, "clientSecret", clientSecret, "the application's client_secret from the IDaaS console");
  }
  const canFetch = typeof clientId === "string" && typeof clientSecret === "string";
  const refreshAheadMs = options.tokenRefreshAheadMs ?? DEFAULT_REFRESH_AHEAD_MS;
  if (!(refreshAheadMs >= 0)) {
    throw new ConfigurationError(`${VENDOR}: tokenRefreshAheadMs must be a number ≥ 0`, { vendor: VENDOR });
  }

  // Configured credentials are pinned: however many tokens the client renews, they stay scrubbed.
  const redactor = api.redactor;
  redactor.pin(clientSecret);
  redactor.pin(accessToken);
  const basic = canFetch ? `Basic ${base64Text(`${clientId}:${clientSecret}`)}` : undefined;
  redactor.pin(basic?.slice(6));

  const fetchToken = async (): Promise<EiamToken> => {
    if (!canFetch) {
      // Only reachable after the given token was forgotten, which happens only with renewal.
      throw new ConfigurationError(`${VENDOR}: the access token was refused and no clientId/clientSecret is configured`, {
        vendor: VENDOR,
      });
    }
    const body = { grant_type: "client_credentials" as const };
    const started = Date.now();
    // bodyFormat "form": core serializes the validated body as the form the token endpoint takes.
    const token = await api.invoke<TokenResponse>(TOKEN_OPERATION, { body, bodyFormat: "form" }, (init) =>
      api.raw.POST("/api/v2/tenant/token", {
        body,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        ...init,
      }),
    );
    // Each current token is never evicted; the ones they replace age out among the superseded.
    redactor.rotate("access_token", token.access_token);
    redactor.rotate("id_token", token.id_token);
    const lifetimeMs = (typeof token.expires_in === "number" && token.expires_in > 0 ? token.expires_in : DEFAULT_EXPIRES_IN_S) * 1000;
    const validUntil = started + lifetimeMs;
    return { value: token.access_token, validUntil, expiresAt: validUntil - Math.min(refreshAheadMs, lifetimeMs / 2) };
  };

  // refreshAheadMs 0: each token's `expiresAt` already is its renewal time (see fetchToken).
  const cache = new TokenCache<EiamToken>(fetchToken, { refreshAheadMs: 0 });
  if (hasGivenToken) cache.set({ value: accessToken!, expiresAt: Number.POSITIVE_INFINITY, validUntil: Number.POSITIVE_INFINITY });

  const hooks: EiamAuth = {
    async accessToken() {
      return (await cache.get()).value;
    },

    async authorize(request: OutgoingRequest) {
      if (request.operation.id === TOKEN_OPERATION) {
        if (basic) request.headers.set("Authorization", basic);
        return;
      }
      const token = await cache.get(request.signal);
      request.headers.set("Authorization", `Bearer ${token.value}`);
      // The vendor's pages give this as the fixed value for every Identity Management API call.
      request.headers.set("Content-Type", JSON_CONTENT_TYPE);
    },

    classify(response: ReceivedResponse, request: OutgoingRequest): Verdict {
      if (request.operation.id === TOKEN_OPERATION) return undefined;
      // A bearer token refused before anything was processed: the vendor documents 400
      // invalid_token; a 401 from a gateway in front of it means the same.
      if (response.status === 401) return "credential-rejected";
      if (response.status === 400 && response.text.includes("invalid_token")) {
        const body = response.json() as { error?: unknown } | undefined;
        if (body && typeof body === "object" && typeof body.error === "string" && body.error.trim() === "invalid_token") {
          return "credential-rejected";
        }
      }
      return undefined;
    },
  };
  if (canFetch) {
    hooks.renewCredential = (request: OutgoingRequest) => {
      const header = request.headers.get("authorization") ?? "";
      cache.invalidate(header.startsWith("Bearer ") ? header.slice(7) : undefined);
    };
  }
  return hooks;
}
