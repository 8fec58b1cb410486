/**
 * The README's retry rules ("Retries, timeouts, tokens"), one row each, against the one function
 * that decides them. The transport tests show it is the function the transport uses.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY, decideRetry, resolveRetryPolicy, type AttemptOutcome, type RetryState } from "../src/index.js";

const policy = resolveRetryPolicy({
  maxAttempts: 3,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  maxElapsedMs: 30_000,
  maxRetryAfterMs: 30_000,
});
const fresh: RetryState = { sends: 1, retries: 0, renewed: false, canRenew: true, elapsedMs: 0, remainingMs: 30_000 };
const GET = { idempotent: true };
const POST = { idempotent: false };
const answer = (status: number, verdict?: "credential-rejected" | "not-processed" | "final", retryAfter?: string): AttemptOutcome => ({
  kind: "answer",
  status,
  verdict,
  retryAfter,
});
const noJitter = () => 0.5;

type Row = [
  rule: string,
  outcome: AttemptOutcome,
  op: { idempotent: boolean },
  state: Partial<RetryState>,
  expected: "retry" | "renew" | "final",
];
const rows: Row[] = [
  ["connection refused / DNS failure (nothing was sent): retried, even a send", { kind: "not-sent" }, POST, {}, "retry"],
  ["connection refused: retried for an idempotent operation too", { kind: "not-sent" }, GET, {}, "retry"],
  ["429: retried, even a send", answer(429), POST, {}, "retry"],
  ["gateway 'not processed' answer: retried, even a send", answer(503, "not-processed"), POST, {}, "retry"],
  ["a failure of an idempotent operation (5xx): retried", answer(502), GET, {}, "retry"],
  ["a failure of an idempotent operation (408): retried", answer(408), GET, {}, "retry"],
  ["a failure of an idempotent operation (no answer / reset / attempt timeout): retried", { kind: "no-answer" }, GET, {}, "retry"],
  ["a send that may have been processed (5xx): never re-sent", answer(500), POST, {}, "final"],
  ["a send that may have been processed (no answer): never re-sent", { kind: "no-answer" }, POST, {}, "final"],
  ["a vendor's definitive answer ('final'): not retried even when idempotent", answer(503, "final"), GET, {}, "final"],
  ["a 4xx other than 408/429: final", answer(400), GET, {}, "final"],
  ["a success: final", answer(200), GET, {}, "final"],
  ["a redirect: final, never followed or re-sent", { kind: "redirect" }, GET, {}, "final"],
  ["an answer over maxResponseBytes: final, never downloaded twice", { kind: "too-large" }, GET, {}, "final"],
  ["an 'expired' credential: renewed once, then re-sent", answer(401, "credential-rejected"), POST, {}, "renew"],
  ["an 'expired' credential a second time: final", answer(401, "credential-rejected"), POST, { renewed: true }, "final"],
  ["an 'expired' credential that cannot be renewed: final", answer(401, "credential-rejected"), GET, { canRenew: false }, "final"],
  ["bounded by maxAttempts", answer(502), GET, { sends: 3, retries: 2 }, "final"],
  ["bounded by maxElapsedMs", answer(502), GET, { elapsedMs: 29_950 }, "final"],
  ["bounded by the call's deadline: no wait that ends after it", answer(502), GET, { remainingMs: 50 }, "final"],
  ["a Retry-After past the deadline is not waited for", answer(429, undefined, "20"), POST, { remainingMs: 10_000 }, "final"],
];

describe("decideRetry: the README's retry rules", () => {
  it.each(rows)("%s", (_rule, outcome, op, state, expected) => {
    expect(decideRetry(outcome, op, policy, { ...fresh, ...state }, noJitter).action).toBe(expected);
  });

  it("honours Retry-After in seconds, capped by maxRetryAfterMs", () => {
    expect(decideRetry(answer(429, undefined, "2"), POST, policy, fresh)).toEqual({ action: "retry", afterMs: 2_000 });
    const capped = resolveRetryPolicy({ maxRetryAfterMs: 500 });
    expect(decideRetry(answer(429, undefined, "20"), POST, capped, fresh)).toEqual({ action: "retry", afterMs: 500 });
  });

  it("honours Retry-After as an HTTP date", () => {
    const now = Date.parse("2026-12-04T10:00:00Z");
    expect(decideRetry(answer(503, "not-processed", "Fri, 04 Dec 2026 10:00:03 GMT"), POST, policy, fresh, noJitter, now)).toEqual({
      action: "retry",
      afterMs: 3_000,
    });
  });

  it("otherwise backs off exponentially with jitter, capped by maxDelayMs", () => {
    const at = (retries: number, r: number) =>
      decideRetry(answer(502), GET, { ...policy, maxAttempts: 10 }, { ...fresh, sends: retries + 1, retries }, () => r);
    expect(at(0, 0)).toEqual({ action: "retry", afterMs: 100 });
    expect(at(0, 1)).toEqual({ action: "retry", afterMs: 200 });
    expect(at(2, 0)).toEqual({ action: "retry", afterMs: 400 });
    expect(at(8, 1)).toEqual({ action: "retry", afterMs: 5_000 });
  });

  it("retry: false means one attempt", () => {
    const none = resolveRetryPolicy(undefined, false);
    expect(none.maxAttempts).toBe(1);
    expect(decideRetry({ kind: "not-sent" }, GET, none, fresh).action).toBe("final");
    expect(DEFAULT_RETRY.maxAttempts).toBe(3);
  });
});
