/** A credential with the moment it stops being valid. */
export interface CachedToken {
  /** The secret sent with requests (access token, session uuid). */
  value: string;
  /** Epoch milliseconds at which the vendor stops accepting it. */
  expiresAt: number;
}

export interface TokenCacheOptions {
  /** Renew this long before expiry, so no request races the deadline. Default 60 s. */
  refreshAheadMs?: number;
  now?: () => number;
}

/**
 * Holds one credential: fetched on first use, renewed ahead of expiry, and fetched exactly once
 * for any number of concurrent callers (single flight).
 */
export class TokenCache<T extends CachedToken = CachedToken> {
  #current: T | undefined;
  #inflight: Promise<T> | undefined;
  readonly #fetch: (previous: T | undefined) => Promise<T>;
  readonly #refreshAheadMs: number;
  readonly #now: () => number;

  /** @param fetchToken gets a new credential; receives the previous one (to refresh rather than re-issue). */
  constructor(fetchToken: (previous: T | undefined) => Promise<T>, options: TokenCacheOptions = {}) {
    this.#fetch = fetchToken;
    this.#refreshAheadMs = options.refreshAheadMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** A credential that is valid for at least `refreshAheadMs` more (or fresh). */
  get(): Promise<T> {
    const current = this.#current;
    if (current && this.#now() < current.expiresAt - this.#refreshAheadMs) return Promise.resolve(current);
    return this.#refresh();
  }

  /**
   * Forget the credential the vendor just rejected. Only that one: when many requests fail with
   * the same stale token, the first renews it and the others must not throw the new one away.
   */
  invalidate(rejectedValue?: string): void {
    if (rejectedValue === undefined || this.#current?.value === rejectedValue) this.#current = undefined;
  }

  /** The credential held now, without fetching. */
  peek(): T | undefined {
    return this.#current;
  }

  /** Put a known credential in (a session uuid the caller already has). */
  set(token: T): void {
    this.#current = token;
  }

  #refresh(): Promise<T> {
    if (!this.#inflight) {
      const previous = this.#current;
      this.#inflight = this.#fetch(previous).then(
        (token) => {
          this.#current = token;
          this.#inflight = undefined;
          return token;
        },
        (error: unknown) => {
          this.#inflight = undefined;
          throw error;
        },
      );
    }
    return this.#inflight;
  }
}
