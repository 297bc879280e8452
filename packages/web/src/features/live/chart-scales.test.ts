import { describe, expect, it } from "vitest";
import { BYTE_INCRS, byteAxisMax, formatBytesShort, liveXRange, timeGaps, timeTickFormatter } from "./chart-scales";

describe("formatBytesShort", () => {
  it.each([
    [0, "0 B"],
    [512, "512 B"],
    [1024, "1 KiB"],
    [1536, "1.5 KiB"],
    [10 * 1024 + 512, "10.5 KiB"],
    [200 * 1024, "200 KiB"],
    [5 * 1024 ** 2, "5 MiB"],
    [1.25 * 1024 ** 3, "1.25 GiB"],
    [-2048, "-2 KiB"],
    [null, ""],
    [Number.NaN, ""],
  ])("%s → %s", (value, want) => expect(formatBytesShort(value)).toBe(want));
});

describe("byteAxisMax", () => {
  it.each([
    [null, 1024],
    [0, 1024],
    [900, 1024],
    [1025, 2048],
    [3 * 1024, 5 * 1024],
    [600 * 1024, 1024 ** 2],
    [1024 ** 2, 1024 ** 2],
  ])("%s → %i", (max, want) => expect(byteAxisMax(max)).toBe(want));

  it("steps are ascending", () => expect([...BYTE_INCRS].sort((a, b) => a - b)).toEqual(BYTE_INCRS));
});

describe("liveXRange", () => {
  it("ends at the newest point, or at now without data", () => {
    expect(liveXRange(1000, 300, 5000)).toEqual([700, 1000]);
    expect(liveXRange(null, 300, 5000)).toEqual([4700, 5000]);
  });
});

describe("timeTickFormatter", () => {
  it("shows the time in the given zone, with seconds only for sub-minute ticks", () => {
    const format = timeTickFormatter("en-GB", "Asia/Kolkata");
    // 2025-12-01T00:00:30Z is 05:30:30 in India.
    expect(format(Date.UTC(2025, 11, 1, 0, 0, 30) / 1000, 10)).toBe("05:30:30");
    expect(format(Date.UTC(2025, 11, 1, 0, 0, 30) / 1000, 60)).toBe("05:30");
  });
});

describe("timeGaps", () => {
  const px = (x: number) => x * 10;
  it("adds a gap where points are further apart than allowed, keeping uPlot's null gaps in order", () => {
    const xs = [0, 1, 2, 10, 11, 30];
    expect(timeGaps(xs, 0, 5, 5, px, null)).toEqual([
      [20, 100],
      [110, 300],
    ]);
    expect(timeGaps(xs, 0, 5, 5, px, [[5, 15]])).toEqual([
      [5, 15],
      [20, 100],
      [110, 300],
    ]);
  });

  it("finds nothing in steady data or outside the drawn range", () => {
    expect(timeGaps([0, 1, 2, 3, 4, 5], 0, 5, 5, px, null)).toEqual([]);
    expect(timeGaps([0, 1, 20, 21], 2, 3, 5, px, null)).toEqual([]);
    expect(timeGaps([0, 5], 0, 1, 5, px, null)).toEqual([]);
  });
});
