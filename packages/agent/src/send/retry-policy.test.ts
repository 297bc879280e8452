/** Backoff and Retry-After: pure functions, table-driven. */
import { describe, expect, it } from "vitest";
import { backoffMs, parseRetryAfter } from "./retry-policy.js";

describe("backoffMs", () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16_000],
    [6, 30_000],
    [50, 30_000],
    [1e9, 30_000],
    [0, 1000],
    [-3, 1000],
    [Number.NaN, 1000],
  ])("attempt %s doubles from 1 s and stops at 30 s (%s ms without jitter)", (attempt, expected) => {
    expect(backoffMs(attempt, () => 0.5)).toBe(expected);
  });

  it("spreads each pause by ±25 % and never passes the cap", () => {
    expect(backoffMs(3, () => 0)).toBe(3000);
    expect(backoffMs(3, () => 0.999_999)).toBe(5000);
    expect(backoffMs(6, () => 0)).toBe(22_500);
    expect(backoffMs(6, () => 0.999_999)).toBe(30_000);
    expect(backoffMs(4, () => 0.999_999, 5000)).toBe(5000);
    const spread = new Set(Array.from({ length: 50 }, (_, i) => backoffMs(2, () => i / 50)));
    expect(spread.size).toBeGreaterThan(40);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    ["7", 7000],
    [" 120 ", 120_000],
    ["0", 1000],
    ["86400", 600_000],
    ["Thu, 01 Jan 2026 00:00:30 GMT", 30_000],
    ["Wed, 31 Dec 2025 23:59:00 GMT", 1000],
    [null, undefined],
    ["", undefined],
    ["soon", undefined],
    ["7.5", undefined],
    ["-1", undefined],
  ])("%j → %s ms", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
