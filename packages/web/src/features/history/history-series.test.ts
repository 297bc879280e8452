/** Tests of turning history series into chart columns (alignment, gaps, bands), the tier labels and the chart table. */
import { describe, expect, it } from "vitest";
import { chartLines, HISTORY_CHARTS } from "./history-charts";
import { alignSeries, gapThresholdMs, hasBands, intervalText, intervalToMs, medianStepMs, tierLabel, type HistoryPoint, type HistorySeries } from "./history-series";

const p = (t: number, v: number | null, min?: number, max?: number): HistoryPoint => ({ t, v, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) });

describe("alignSeries", () => {
  it("shares one time column when every series has the same times", () => {
    const out = alignSeries(
      [
        { points: [p(0, 1), p(10, 2), p(20, 3)], band: false },
        { points: [p(0, 4), p(10, 5), p(20, 6)], band: false },
      ],
      15,
    );
    expect(out).toEqual({ x: [0, 10, 20], columns: [[1, 2, 3], [4, 5, 6]], bands: [] });
  });

  it("unions different times and leaves nulls where a series has no point", () => {
    const out = alignSeries(
      [
        { points: [p(0, 1), p(20, 3)], band: false },
        { points: [p(10, 5), p(20, 6)], band: false },
      ],
      100,
    );
    expect(out.x).toEqual([0, 10, 20]);
    expect(out.columns).toEqual([[1, null, 3], [null, 5, 6]]);
  });

  it.each<[string, HistoryPoint[], number, number[], (number | null)[]]>([
    ["no hole", [p(0, 1), p(10, 2), p(20, 3)], 15, [0, 10, 20], [1, 2, 3]],
    ["one hole", [p(0, 1), p(10, 2), p(60, 3), p(70, 4)], 15, [0, 10, 35, 60, 70], [1, 2, null, 3, 4]],
    ["a step exactly at the threshold is no hole", [p(0, 1), p(15, 2)], 15, [0, 15], [1, 2]],
    ["two holes", [p(0, 1), p(100, 2), p(200, 3)], 50, [0, 50, 100, 150, 200], [1, null, 2, null, 3]],
    ["a null from the hub stays null", [p(0, 1), p(10, null), p(20, 3)], 15, [0, 10, 20], [1, null, 3]],
    ["one point", [p(5, 1)], 15, [5], [1]],
    ["no points", [], 15, [], []],
  ])("gaps: %s", (_name, points, gapMs, x, values) => {
    const out = alignSeries([{ points, band: false }], gapMs);
    expect(out.x).toEqual(x);
    expect(out.columns[0]).toEqual(values);
  });

  it("adds max and min columns after the lines, with uPlot band indices, and breaks them at holes too", () => {
    const out = alignSeries(
      [
        { points: [p(0, 5, 1, 9), p(10, 6, 2, 8), p(100, 7, 7, 7)], band: true },
        { points: [p(0, 1), p(10, 2), p(100, 3)], band: false },
        { points: [p(0, 50, 40, 60), p(10, 55), p(100, 52, 50, 54)], band: true },
      ],
      15,
    );
    expect(out.x).toEqual([0, 10, 55, 100]);
    expect(out.columns).toEqual([
      [5, 6, null, 7],
      [1, 2, null, 3],
      [50, 55, null, 52],
      [9, 8, null, 7],
      [1, 2, null, 7],
      // A point without min/max gets a band of its own value.
      [60, 55, null, 54],
      [40, 55, null, 50],
    ]);
    expect(out.bands).toEqual([
      [4, 5],
      [6, 7],
    ]);
  });

  it("handles a day of 1 s points quickly and without one object per point", () => {
    const points: HistoryPoint[] = Array.from({ length: 86_400 }, (_, i) => ({ t: i * 1000, v: i % 100, min: 0, max: 100 }));
    const started = performance.now();
    const out = alignSeries([{ points, band: true }, { points, band: false }], 3000);
    expect(out.x.length).toBe(86_400);
    expect(out.columns.length).toBe(4);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe("intervals and tiers", () => {
  it.each<[string, number | null, string]>([
    ["1s", 1000, "1 s"],
    ["30s", 30_000, "30 s"],
    ["1m", 60_000, "1 min"],
    ["5m", 300_000, "5 min"],
    ["1h", 3600_000, "1 h"],
    ["6h", 21_600_000, "6 h"],
    ["1d", 86_400_000, "1 d"],
    ["250ms", 250, "250 ms"],
    ["soon", null, "soon"],
  ])("%s", (interval, ms, text) => {
    expect(intervalToMs(interval)).toBe(ms);
    expect(intervalText(interval)).toBe(text);
  });

  it.each<[string, string, string]>([
    ["raw", "1s", "raw · 1 s"],
    ["raw", "1m", "raw · 1 min"],
    ["1m", "1m", "1m rollup"],
    ["1m", "5m", "1m rollup · 5 min"],
    ["1h", "1h", "1h rollup"],
    ["1h", "6h", "1h rollup · 6 h"],
  ])("tier %s interval %s → %s", (tier, interval, label) => expect(tierLabel(tier, interval)).toBe(label));

  it.each<[string, string, number, boolean]>([
    // One sample per point: min = max = value, nothing to band.
    ["raw", "1s", 1000, false],
    ["raw", "5s", 5000, false],
    // Raw points bucketed: each summarizes several samples.
    ["raw", "1m", 1000, true],
    ["1m", "1m", 1000, true],
    ["1h", "6h", 1000, true],
  ])("bands for tier %s interval %s (sample every %s ms): %s", (tier, interval, sampleMs, expected) => expect(hasBands(tier, interval, sampleMs)).toBe(expected));

  it.each<[string, number, number]>([
    // Raw 1 s: two missed samples are still a line, three are a hole.
    ["1s", 1000, 3000],
    // A slow agent (10 s) read at 1 s buckets: its own interval decides.
    ["1s", 10_000, 30_000],
    // Rollups: any missing bucket is a hole.
    ["1m", 1000, 90_000],
    ["6h", 1000, 1.5 * 21_600_000],
  ])("gap threshold for interval %s, sample every %s ms", (interval, sampleMs, expected) => expect(gapThresholdMs(interval, sampleMs)).toBe(expected));

  it("medianStepMs ignores a hole", () => {
    expect(medianStepMs([p(0, 1), p(1000, 1), p(2000, 1), p(60_000, 1), p(61_000, 1)])).toBe(1000);
    expect(medianStepMs([p(0, 1)])).toBeNull();
  });
});

describe("chart table", () => {
  const s = (name: string, labels?: Record<string, string>): HistorySeries => ({ name, ...(labels ? { labels } : {}), kind: "gauge", points: [p(0, 1)] });
  const spec = (id: string) => HISTORY_CHARTS.find((c) => c.id === id)!;
  const keys = (id: string, series: HistorySeries[], bands = true) => chartLines(spec(id), series, bands).map((line) => `${line.label}${line.band ? "+band" : ""}`);

  it.each<[string, HistorySeries[], string[]]>([
    ["cpu", [s("usage"), s("user"), s("core.0.usage"), s("freq_mhz")], ["CPU+band"]],
    ["cores", [s("usage"), s("core.10.usage"), s("core.2.usage"), s("core.0.freq_mhz"), s("core.0.usage")], ["Core 0", "Core 2", "Core 10"]],
    ["memory", [s("used"), s("used_percent"), s("total")], ["Memory+band"]],
    ["disk", [s("used_percent", { mountpoint: "/" }), s("used", { mountpoint: "/" }), s("used_percent", { mountpoint: "/data" }), s("read_bytes_per_s")], ["/+band", "/data+band"]],
    ["diskio", [s("read_bytes_per_s"), s("write_bytes_per_s"), s("read_ops_per_s"), s("used_percent", { mountpoint: "/" })], ["Read+band", "Write+band"]],
    // Totals only: per-interface series carry a label.
    ["network", [s("bytes_sent_per_s"), s("bytes_recv_per_s"), s("bytes_sent_per_s", { interface: "eth0" }), s("bytes_sent")], ["Download+band", "Upload+band"]],
    ["load", [s("load15"), s("load1"), s("load5")], ["1 min+band", "5 min", "15 min"]],
    ["load", [], []],
  ])("%s", (id, series, expected) => expect(keys(id, series)).toEqual(expected));

  it("draws no bands when the points are single samples, and none on a crowd of disks", () => {
    expect(keys("cpu", [s("usage")], false)).toEqual(["CPU"]);
    const disks = ["/", "/a", "/b", "/c", "/d"].map((m) => s("used_percent", { mountpoint: m }));
    expect(keys("disk", disks)).toEqual(["/", "/a", "/b", "/c", "/d"]);
  });
});
