/** Table tests of the history query router: the tier each range start reads, bucket widths chosen or bounded, and interval parsing and formatting. */
import { MAX_POINTS_PER_SERIES } from "@statusmonitor/protocol";
import { describe, expect, it } from "vitest";
import { AppError } from "../core/app-error.js";
import { formatInterval, parseInterval, pickTier, planQuery } from "./query-plan.js";
import { resolveTiers } from "./tiers.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Deliberately not aligned to any bucket width, so bucket counts include the partial ones at both ends. */
const NOW = Date.UTC(2026, 10, 23, 12, 34, 56, 789);
const tiers = resolveTiers();

/** How many buckets of `intervalMs` (aligned to the epoch, as the service buckets) a range [start, stop] can fill. */
const bucketsIn = (start: number, stop: number, intervalMs: number) => Math.floor(stop / intervalMs) - Math.floor(start / intervalMs) + 1;

function thrown(action: () => unknown): AppError {
  try {
    action();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error("expected an AppError, nothing was thrown");
}

describe("resolveTiers", () => {
  it("reads the protocol's table by default", () => {
    expect(tiers).toStrictEqual([
      { name: "raw", resolutionMs: SECOND, retentionMs: DAY, chunkMs: 5 * MINUTE },
      { name: "1m", resolutionMs: MINUTE, retentionMs: 7 * DAY, chunkMs: HOUR },
      { name: "1h", resolutionMs: HOUR, retentionMs: 365 * DAY, chunkMs: DAY },
    ]);
  });

  it("overrides only the retentions it is given", () => {
    expect(resolveTiers({ raw: 6 * HOUR }).map((t) => [t.name, t.retentionMs])).toEqual([
      ["raw", 6 * HOUR],
      ["1m", 7 * DAY],
      ["1h", 365 * DAY],
    ]);
  });
});

describe("pickTier", () => {
  it.each([
    ["0 (start = now)", 0, "raw"],
    ["1 min", MINUTE, "raw"],
    ["23 h", 23 * HOUR, "raw"],
    ["24 h exactly", DAY, "raw"],
    ["24 h + 1 ms", DAY + 1, "1m"],
    ["25 h", 25 * HOUR, "1m"],
    ["6 d", 6 * DAY, "1m"],
    ["7 d", 7 * DAY, "1m"],
    ["7 d + 1 ms", 7 * DAY + 1, "1h"],
    ["8 d", 8 * DAY, "1h"],
    ["364 d", 364 * DAY, "1h"],
    ["365 d", 365 * DAY, "1h"],
    ["366 d (past every retention: the coarsest tier)", 366 * DAY, "1h"],
  ])("start = now − %s → %s", (_label, offset, expected) => {
    expect(pickTier(tiers, NOW - offset, NOW).name).toBe(expected);
  });

  describe("with configured retentions (raw 2 h, 1m 2 d, 1h 30 d)", () => {
    const custom = resolveTiers({ raw: 2 * HOUR, "1m": 2 * DAY, "1h": 30 * DAY });

    it("resolves them into the table", () => {
      expect(custom.map((t) => [t.name, t.resolutionMs, t.retentionMs, t.chunkMs])).toEqual([
        ["raw", SECOND, 2 * HOUR, 5 * MINUTE],
        ["1m", MINUTE, 2 * DAY, HOUR],
        ["1h", HOUR, 30 * DAY, DAY],
      ]);
    });

    it.each([
      [HOUR, "raw"],
      [2 * HOUR, "raw"],
      [2 * HOUR + 1, "1m"],
      [23 * HOUR, "1m"],
      [2 * DAY, "1m"],
      [2 * DAY + 1, "1h"],
      [30 * DAY, "1h"],
      [60 * DAY, "1h"],
    ])("start = now − %i ms → %s", (offset, expected) => {
      expect(pickTier(custom, NOW - offset, NOW).name).toBe(expected);
    });
  });
});

describe("planQuery", () => {
  describe("automatic interval", () => {
    it.each([
      ["5 m", 5 * MINUTE, "raw", SECOND, "1s"],
      ["1 h", HOUR, "raw", 5 * SECOND, "5s"],
      ["24 h", DAY, "raw", MINUTE, "1m"],
      ["7 d", 7 * DAY, "1m", 10 * MINUTE, "10m"],
      ["30 d", 30 * DAY, "1h", HOUR, "1h"],
      ["365 d", 365 * DAY, "1h", 6 * HOUR, "6h"],
    ])("the last %s → %s tier, %i ms buckets (%s)", (_label, length, tier, intervalMs, formatted) => {
      const range = { start: NOW - length, stop: NOW };
      const plan = planQuery(tiers, range, NOW);
      expect(plan.tier.name).toBe(tier);
      expect(plan.intervalMs).toBe(intervalMs);
      expect(formatInterval(plan.intervalMs)).toBe(formatted);
      expect(plan.intervalMs % plan.tier.resolutionMs).toBe(0);
      expect(bucketsIn(range.start, range.stop, plan.intervalMs)).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    });

    it("routes on the start, whatever the stop", () => {
      const plan = planQuery(tiers, { start: NOW - 8 * DAY, stop: NOW - 8 * DAY + HOUR }, NOW);
      expect(plan).toEqual({ tier: expect.objectContaining({ name: "1h" }), intervalMs: HOUR });
    });

    it("never goes finer than the tier, however short the range", () => {
      const plan = planQuery(tiers, { start: NOW - 3 * DAY, stop: NOW - 3 * DAY + 5 * MINUTE }, NOW);
      expect(plan.tier.name).toBe("1m");
      expect(plan.intervalMs).toBe(MINUTE);
    });

    it("picks the finest nice step that still keeps the points under the limit", () => {
      // 2 h / 1500 = 4.8 s → 5 s; 3 h / 1500 = 7.2 s → 10 s.
      expect(planQuery(tiers, { start: NOW - 2 * HOUR, stop: NOW }, NOW).intervalMs).toBe(5 * SECOND);
      expect(planQuery(tiers, { start: NOW - 3 * HOUR, stop: NOW }, NOW).intervalMs).toBe(10 * SECOND);
    });
  });

  describe("requested interval", () => {
    const rawHour = { start: NOW - HOUR, stop: NOW };
    const minuteTierHour = { start: NOW - 3 * DAY, stop: NOW - 3 * DAY + HOUR };
    const hourTierDay = { start: NOW - 30 * DAY, stop: NOW - 29 * DAY };

    it.each<[string, { start: number; stop: number }, string, string, number]>([
      ["kept when the tier allows it", rawHour, "30s", "raw", 30 * SECOND],
      ["kept when coarser than needed", rawHour, "1h", "raw", HOUR],
      ["kept when it is the whole year", { start: NOW - 365 * DAY, stop: NOW }, "365d", "1h", 365 * DAY],
      ["raised to the 1m tier's resolution", minuteTierHour, "10s", "1m", MINUTE],
      ["raised to the 1h tier's resolution", hourTierDay, "1m", "1h", HOUR],
      ["rounded up to a multiple of the 1m resolution", minuteTierHour, "90s", "1m", 2 * MINUTE],
      ["rounded up to a multiple of the 1h resolution", hourTierDay, "90m", "1h", 2 * HOUR],
      ["raised to stay under the point limit (24 h)", { start: NOW - DAY, stop: NOW }, "1s", "raw", 58 * SECOND],
      ["raised to stay under the point limit (7 d)", { start: NOW - 7 * DAY, stop: NOW }, "1m", "1m", 7 * MINUTE],
      ["raised to stay under the point limit (365 d)", { start: NOW - 365 * DAY, stop: NOW }, "1h", "1h", 6 * HOUR],
    ])("%s: %j, interval %s", (_label, range, interval, tier, intervalMs) => {
      const plan = planQuery(tiers, range, NOW, interval);
      expect(plan.tier.name).toBe(tier);
      expect(plan.intervalMs).toBe(intervalMs);
      expect(plan.intervalMs % plan.tier.resolutionMs).toBe(0);
      expect(bucketsIn(range.start, range.stop, plan.intervalMs)).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
    });

    it("refuses a malformed interval even when the range alone would decide it", () => {
      expect(thrown(() => planQuery(tiers, { start: NOW - 365 * DAY, stop: NOW }, NOW, "abc")).code).toBe("VALIDATION_FAILED");
    });
  });
});

describe("parseInterval", () => {
  it.each([
    ["1s", SECOND],
    ["90s", 90 * SECOND],
    ["5m", 5 * MINUTE],
    ["2h", 2 * HOUR],
    ["1d", DAY],
    ["365d", 365 * DAY],
    ["999999s", 999_999 * SECOND],
    [" 10s\n", 10 * SECOND],
  ])("%j → %i ms", (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
  });

  it.each(["0s", "-1m", "1w", "abc", "366d", "", "1.5h", "1000000s", "5 m", "5M", "1mo", "1y", "10", "ms"])("refuses %j with a 400 naming the parameter", (text) => {
    const error = thrown(() => parseInterval(text));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.status).toBe(400);
    expect(error.message).toBe(`interval: "${text}" is not a duration between 1s and 365d such as 10s, 5m, 1h or 1d`);
    expect(error.extra.issues).toEqual([{ path: "query.interval", message: "expected a duration such as 10s, 5m, 1h or 1d" }]);
  });

  it("quotes at most 16 characters of what it refuses", () => {
    expect(thrown(() => parseInterval("x".repeat(40))).message).toBe(`interval: "${"x".repeat(16)}" is not a duration between 1s and 365d such as 10s, 5m, 1h or 1d`);
  });
});

describe("formatInterval", () => {
  it.each([
    [90 * SECOND, "90s"],
    [300_000, "5m"],
    [7_200_000, "2h"],
    [86_400_000, "1d"],
    [SECOND, "1s"],
    [58 * SECOND, "58s"],
    [MINUTE, "1m"],
    [90 * MINUTE, "90m"],
    [HOUR, "1h"],
    [25 * HOUR, "25h"],
    [365 * DAY, "365d"],
    [1500, "1500ms"],
  ])("%i ms → %s", (ms, text) => {
    expect(formatInterval(ms)).toBe(text);
  });

  it.each([SECOND, 58 * SECOND, 90 * SECOND, 7 * MINUTE, 90 * MINUTE, 6 * HOUR, 25 * HOUR, 365 * DAY])("parses back what it formats (%i ms)", (ms) => {
    expect(parseInterval(formatInterval(ms))).toBe(ms);
  });
});
