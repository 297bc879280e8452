/** Backoff and give-up rules for failed notifications, checked as plain numbers. */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../test-support/seeded-random.js";
import { GIVE_UP_AFTER_MS, MAX_ATTEMPTS, nextAttemptDelay, shouldGiveUp } from "./retry-policy.js";

const middle = () => 0.5;
const lowest = () => 0;
const highest = () => 0.999999;

describe("nextAttemptDelay", () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [5, 16_000],
    [9, 256_000],
    [10, 300_000],
    [50, 300_000],
    [10_000, 300_000],
  ])("attempt %d waits %d ms without jitter", (attempt, ms) => {
    expect(nextAttemptDelay(attempt, {}, middle)).toBe(ms);
  });

  it("spreads by ±20 % and never passes the 5 min cap", () => {
    expect(nextAttemptDelay(3, {}, lowest)).toBe(3_200);
    expect(nextAttemptDelay(3, {}, highest)).toBe(4_800);
    expect(nextAttemptDelay(20, {}, lowest)).toBe(240_000);
    expect(nextAttemptDelay(20, {}, highest)).toBe(300_000);
    const random = seededRandom(42);
    for (let attempt = 1; attempt <= 40; attempt += 1) {
      const base = Math.min(1000 * 2 ** (attempt - 1), 300_000);
      const delay = nextAttemptDelay(attempt, {}, random);
      expect(delay).toBeGreaterThanOrEqual(base * 0.8);
      expect(delay).toBeLessThanOrEqual(Math.min(base * 1.2, 300_000));
    }
  });

  it("uses the far side's retry-after as given, with no jitter", () => {
    expect(nextAttemptDelay(1, { retryAfterMs: 7_000 }, highest)).toBe(7_000);
    expect(nextAttemptDelay(12, { retryAfterMs: 3_600_000 }, lowest)).toBe(3_600_000);
  });

  it("waits at least a second even when told Retry-After: 0", () => {
    expect(nextAttemptDelay(1, { retryAfterMs: 0 }, middle)).toBe(1_000);
  });
});

describe("shouldGiveUp", () => {
  const first = Date.UTC(2026, 0, 1);

  it("keeps trying through an hour-long outage", () => {
    // Replay the schedule for one hour of failures: about 20 attempts, none of them the last.
    let now = first;
    let attempt = 1;
    while (now - first < 60 * 60_000) {
      expect(shouldGiveUp(attempt, first, now)).toBe(false);
      now += nextAttemptDelay(attempt, {}, middle);
      attempt += 1;
    }
    expect(attempt).toBeLessThan(30);
  });

  it("gives up 24 h after the first try", () => {
    expect(shouldGiveUp(200, first, first + GIVE_UP_AFTER_MS - 1)).toBe(false);
    expect(shouldGiveUp(200, first, first + GIVE_UP_AFTER_MS)).toBe(true);
  });

  it("gives up after MAX_ATTEMPTS however little time has passed", () => {
    expect(shouldGiveUp(MAX_ATTEMPTS - 1, first, first + 60_000)).toBe(false);
    expect(shouldGiveUp(MAX_ATTEMPTS, first, first + 60_000)).toBe(true);
  });
});
