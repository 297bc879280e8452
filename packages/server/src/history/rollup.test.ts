/** Rollup aggregation on fixtures: buckets, count-weighted rollups of rollups, late points and summaries. */
import { describe, expect, it } from "vitest";
import type { Point } from "./chunk-codec.js";
import { mergeBuckets, rollupBuckets, rollupPoints, summarize } from "./rollup.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);

describe("rollupPoints", () => {
  it.each([
    {
      name: "one minute of points",
      points: [10, 20, 30].map((v, i) => ({ t: T0 + i * 1000, v })),
      expected: [{ start: T0, avg: 20, min: 10, max: 30, count: 3 }],
    },
    {
      name: "points split at the minute boundary, given out of order",
      points: [
        { t: T0 + MINUTE, v: 50 },
        { t: T0 + 59_999, v: 10 },
        { t: T0, v: 30 },
      ],
      expected: [
        { start: T0, avg: 20, min: 10, max: 30, count: 2 },
        { start: T0 + MINUTE, avg: 50, min: 50, max: 50, count: 1 },
      ],
    },
    {
      name: "a gap leaves no empty bucket",
      points: [
        { t: T0, v: 1 },
        { t: T0 + 5 * MINUTE, v: 2 },
      ],
      expected: [
        { start: T0, avg: 1, min: 1, max: 1, count: 1 },
        { start: T0 + 5 * MINUTE, avg: 2, min: 2, max: 2, count: 1 },
      ],
    },
    {
      name: "non-finite values are skipped",
      points: [
        { t: T0, v: NaN },
        { t: T0 + 1, v: 4 },
        { t: T0 + 2, v: Infinity },
      ],
      expected: [{ start: T0, avg: 4, min: 4, max: 4, count: 1 }],
    },
    { name: "no points", points: [], expected: [] },
  ] as { name: string; points: Point[]; expected: unknown[] }[])("$name", ({ points, expected }) => {
    expect(rollupPoints(points, MINUTE)).toEqual(expected);
  });
});

describe("rollups of rollups", () => {
  it("weights averages by count, so 1m → 1h equals raw → 1h", () => {
    // 30 points of 10 in the first minute, 1 point of 100 in the second.
    const points: Point[] = [
      ...Array.from({ length: 30 }, (_, i) => ({ t: T0 + i * 1000, v: 10 })),
      { t: T0 + MINUTE, v: 100 },
    ];
    const viaMinutes = rollupBuckets(rollupPoints(points, MINUTE), HOUR);
    const direct = rollupPoints(points, HOUR);
    expect(viaMinutes).toEqual(direct);
    expect(direct[0]!.avg).toBeCloseTo((30 * 10 + 100) / 31, 12);
    expect(direct[0]!.avg).not.toBeCloseTo(55, 1); // the average of averages would be 55
  });

  it("merging a late point into a closed bucket equals recomputing it", () => {
    const onTime = [1, 2, 3].map((v, i) => ({ t: T0 + i * 1000, v }));
    const late = { t: T0 + 30_000, v: 14 };
    const closed = rollupPoints(onTime, MINUTE)[0]!;
    const merged = mergeBuckets(closed, rollupPoints([late], MINUTE)[0]!);
    expect(merged).toEqual(rollupPoints([...onTime, late], MINUTE)[0]);
    expect(merged).toEqual({ start: T0, avg: 5, min: 1, max: 14, count: 4 });
  });
});

describe("summarize", () => {
  it("is count-weighted across tiers", () => {
    const hourBucket = { start: T0, avg: 10, min: 5, max: 20, count: 3600 };
    const rawPoint = { start: T0 + HOUR, avg: 100, min: 100, max: 100, count: 1 };
    expect(summarize([hourBucket, rawPoint])).toEqual({ avg: (36_000 + 100) / 3601, min: 5, max: 100, count: 3601 });
  });

  it("says null, not zero, when there is no data", () => {
    expect(summarize([])).toEqual({ avg: null, min: null, max: null, count: 0 });
  });
});
