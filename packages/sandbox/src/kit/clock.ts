/**
 * The time every simulator reads: request arrival, token and session expiry, EIAM notice status,
 * ZStack job completion and expiry, the EIAM daily quota. Real time by default; a test passes a
 * `ManualClock` so that these state machines move only when it says, however loaded the machine.
 * (Injected fault latency is a network delay and stays real time.)
 */
export interface SandboxClock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: SandboxClock = { now: () => Date.now() };

/** A clock that stands still until `advance` or `set` moves it. */
export class ManualClock implements SandboxClock {
  #now: number;

  constructor(start: number = Date.now()) {
    if (!Number.isFinite(start)) throw new TypeError(`ManualClock start must be a finite epoch ms (got ${start})`);
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Move forward by `ms` (≥ 0); returns the new time. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ManualClock.advance(ms): ms must be a finite number ≥ 0 (got ${ms})`);
    this.#now += ms;
    return this.#now;
  }

  /** Jump to an absolute time (forward or back). */
  set(epochMs: number): void {
    if (!Number.isFinite(epochMs)) throw new RangeError(`ManualClock.set(epochMs): must be finite (got ${epochMs})`);
    this.#now = epochMs;
  }
}
