/** A credential with the moment it stops being valid. */
export interface CachedToken {
  /** The secret sent with requests (access token, session uuid). */
  value: string;
  /** Epoch milliseconds at which the vendor stops accepting it. */
  expiresAt: number;
}

export interface TokenCacheOptions {
  /**
   * Renew this long before expiry, so no request races the deadline. Default 60 s. A credential
   * that lives for less than twice this is renewed halfway through its life instead, so a 60 s
   * token is used for 30 s rather than fetched before every call.
   */
  refreshAheadMs?: number;
  now?: () => number;
}

/**
 * Holds one credential: fetched on first use, renewed ahead of expiry, and fetched exactly once
 * for any number of concurrent callers (single flight).
 */
export class TokenCache<T extends CachedToken = CachedToken> {
  #current: T | undefined;
  /** When to stop handing out #current: its expiry less the renewal margin for its lifetime. */
  #renewAt = 0;
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

  /**
   * A credential that is not due for renewal (or a fresh one). `signal` bounds this caller's
   * wait only: the fetch goes on for the other callers sharing it.
   */
  get(signal?: AbortSignal): Promise<T> {
    const current = this.#current;
    if (current && this.#now() < this.#renewAt) return Promise.resolve(current);
    const pending = this.#refresh();
    return signal ? untilAborted(pending, signal) : pending;
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
    this.#hold(token, this.#now());
  }

  #hold(token: T, obtainedAt: number): void {
    this.#current = token;
    const lifetime = token.expiresAt - obtainedAt;
    this.#renewAt = token.expiresAt - Math.min(this.#refreshAheadMs, Math.max(0, lifetime) / 2);
  }

  #refresh(): Promise<T> {
    if (!this.#inflight) {
      const previous = this.#current;
      const started = this.#now();
      const inflight = this.#fetch(previous).then(
        (token) => {
          this.#hold(token, started);
          this.#inflight = undefined;
          return token;
        },
        (error: unknown) => {
          this.#inflight = undefined;
          throw error;
        },
      );
      // Every caller may have stopped waiting (their deadlines passed); the failure is theirs
      // to see, not an unhandled rejection.
      inflight.catch(() => undefined);
      this.#inflight = inflight;
    }
    return this.#inflight;
  }
}

/** `promise`, or the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
