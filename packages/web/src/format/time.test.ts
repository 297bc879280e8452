/** Table-driven tests of the time formatters: relative ages, durations, countdowns and local dates. */
import { describe, expect, it } from "vitest";
import { formatAgo, formatCountdown, formatDateTime, formatDuration } from "./time";

const NOW = Date.parse("2025-06-01T12:00:00Z");

describe("formatAgo", () => {
  it.each<[number | string | null | undefined, string]>([
    [null, "never"],
    [undefined, "never"],
    ["not a date", "—"],
    [NOW, "just now"],
    [NOW - 1_400, "just now"],
    // A clock slightly ahead of the browser's is not "in the future".
    [NOW + 5_000, "just now"],
    [NOW - 12_000, "12 s ago"],
    ["2025-06-01T11:59:48Z", "12 s ago"],
    ["2025-06-01T11:59:48.000Z", "12 s ago"],
    [NOW - 59_000, "59 s ago"],
    [NOW - 59_600, "1 min ago"],
    [NOW - 5 * 60_000, "5 min ago"],
    [NOW - 3 * 3600_000, "3 h ago"],
    [NOW - 47 * 3600_000, "47 h ago"],
    [NOW - 48 * 3600_000, "2 d ago"],
    [NOW - 30 * 86_400_000, "30 d ago"],
  ])("%s → %s", (then, expected) => expect(formatAgo(then, NOW)).toBe(expected));
});

describe("formatDuration", () => {
  it.each<[number | null | undefined, string]>([
    [null, "—"],
    [undefined, "—"],
    [Number.NaN, "—"],
    [-1, "—"],
    [0, "0 s"],
    [45.9, "45 s"],
    [60, "1 min"],
    [12 * 60 + 30, "12 min"],
    [3 * 3600, "3 h"],
    [3 * 3600 + 20 * 60, "3 h 20 min"],
    [86_400, "1 d"],
    [4 * 86_400 + 6 * 3600 + 59, "4 d 6 h"],
  ])("%s → %s", (seconds, expected) => expect(formatDuration(seconds)).toBe(expected));
});

describe("formatCountdown", () => {
  it.each<[number, string]>([
    [300, "5:00"],
    [299.2, "5:00"],
    [125, "2:05"],
    [60, "1:00"],
    [59.01, "1:00"],
    [9, "0:09"],
    [0.2, "0:01"],
    [0, "0:00"],
    [-30, "0:00"],
    [Number.NaN, "—"],
    [Number.POSITIVE_INFINITY, "∞"],
    [3600, "60:00"],
  ])("%s → %s", (seconds, expected) => expect(formatCountdown(seconds)).toBe(expected));
});

describe("formatDateTime", () => {
  const at = "2025-06-01T03:00:00Z";
  it.each<[string, string]>([
    ["UTC", "Jun 1, 2025, 3:00:00 AM"],
    ["Asia/Tokyo", "Jun 1, 2025, 12:00:00 PM"],
    ["Asia/Kolkata", "Jun 1, 2025, 8:30:00 AM"],
    // West of UTC even the date changes: the original showed the hub's UTC times as local ones.
    ["America/Los_Angeles", "May 31, 2025, 8:00:00 PM"],
  ])("%s", (timeZone, expected) => {
    // Intl may separate the time and the day period with a narrow no-break space.
    expect(formatDateTime(at, timeZone, "en-US").replace(/\s/g, " ")).toBe(expected);
  });

  it("reads epoch milliseconds and strings alike", () => {
    expect(formatDateTime(Date.parse(at), "UTC", "en-US")).toBe(formatDateTime(at, "UTC", "en-US"));
  });

  it.each([null, undefined, "yesterday"])("shows a dash for %s", (input) => expect(formatDateTime(input, "UTC")).toBe("—"));
});
