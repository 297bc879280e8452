/** Tests of the history chart options: band series and their hiding, the pinned x range, zoom hand-over and time ticks. */
import type uPlot from "uplot";
import { describe, expect, it, vi } from "vitest";
import { BAND_EDGE_CLASS, historyChartOptions, isolatedIndices, type HistoryChartOptionsInput } from "./history-chart-options";

function build(overrides: Partial<HistoryChartOptionsInput> = {}) {
  const zoom = { dragStart: vi.fn(), select: vi.fn(), reset: vi.fn() };
  const options = historyChartOptions({
    lines: [
      { label: "Download", color: "#0ea5e9", band: true },
      { label: "Upload", color: "#f97316", band: false },
      { label: "Other", color: "#10b981", band: true },
    ],
    bands: [
      [4, 5],
      [6, 7],
    ],
    unit: "bytesPerSecond",
    dark: false,
    syncKey: "k",
    view: () => ({ from: 1000, to: 5000 }),
    zoom,
    ...overrides,
  });
  return { options, zoom };
}

describe("historyChartOptions", () => {
  it("puts the lines first and a hidden max/min pair per banded line after them", () => {
    const { options } = build();
    expect(options.series.map((s) => s.label)).toEqual(["Time", "Download", "Upload", "Other", "Download max", "Download min", "Other max", "Other min"]);
    expect(options.series.slice(4).every((s) => s.class === BAND_EDGE_CLASS && s.width === 0)).toBe(true);
    expect(options.series.slice(1, 4).every((s) => s.class === undefined && s.spanGaps === false)).toBe(true);
    expect(options.bands).toEqual([
      { series: [4, 5], fill: "rgba(14,165,233,0.18)" },
      { series: [6, 7], fill: "rgba(16,185,129,0.18)" },
    ]);
  });

  it("pins the x axis to the view and keeps percent charts at 0–100", () => {
    const { options } = build({ unit: "percent", fixedMax: 100 });
    const x = options.scales!.x!.range as (u: uPlot, min: number, max: number, key: string) => [number, number];
    expect(x({} as uPlot, 0, 99_999, "x")).toEqual([1000, 5000]);
    expect(options.scales!.y!.range).toEqual([0, 100]);
  });

  it("shares only the cursor between charts, never series visibility", () => {
    expect(build().options.cursor!.sync).toEqual({ key: "k", setSeries: false });
  });

  it("hides and shows a line's band with the line", () => {
    const { options } = build();
    const calls: Array<[number, boolean | undefined]> = [];
    const chart = { setSeries: (index: number, opts: { show?: boolean }) => calls.push([index, opts.show]) } as unknown as uPlot;
    const hook = options.hooks!.setSeries![0]!;
    hook(chart, 1, { show: false });
    hook(chart, 2, { show: false });
    hook(chart, 3, { show: true });
    hook(chart, 3, {});
    expect(calls).toEqual([
      [4, false],
      [5, false],
      [6, true],
      [7, true],
    ]);
  });

  it("hands a drag to the tab as a time span and clears the selection box", () => {
    const { options, zoom } = build();
    const setSelect = vi.fn();
    const chart = { select: { left: 100, width: 50, top: 0, height: 10 }, posToVal: (px: number) => px * 10, setSelect } as unknown as uPlot;
    options.hooks!.setSelect![0]!(chart);
    expect(zoom.select).toHaveBeenCalledWith(chart, 1000, 1500);
    expect(setSelect).toHaveBeenCalledWith({ left: 0, top: 0, width: 0, height: 0 }, false);
  });

  it("writes the date under the first time tick and where the day changes only", () => {
    const { options } = build();
    const values = options.axes![0]!.values as (u: uPlot, splits: number[], axis: number, space: number, incr: number) => string[];
    const day = Date.parse("2026-05-03T00:00:00Z");
    const ticks = values({} as uPlot, [day - 4 * 3600_000, day - 2 * 3600_000, day + 12 * 3600_000, day + 14 * 3600_000], 0, 0, 2 * 3600_000);
    const withDate = ticks.map((t) => t.includes("\n"));
    expect(withDate[0]).toBe(true);
    expect(withDate[1]).toBe(false);
    // Some day boundary falls between the second and third tick in any time zone (14 h apart around midnight UTC).
    expect(withDate[2] || withDate[3]).toBe(true);
    expect(values({} as uPlot, [day, day + 86_400_000], 0, 0, 86_400_000).every((t) => !t.includes("\n"))).toBe(true);
  });
});

describe("isolatedIndices", () => {
  it.each<[string, (number | null)[], [number, number] | undefined, number[] | null]>([
    ["a continuous line", [1, 2, 3, 4], [0, 3], null],
    ["one sample between gaps (and one before the first gap)", [1, null, 5, null, 2, 3], [0, 5], [0, 2]],
    ["a lone sample at each edge", [7, null, null, 8], [0, 3], [0, 3]],
    ["every sample alone (a rare reporter)", [1, null, 2, null, 3], [0, 4], [0, 2, 4]],
    ["only the visible range counts", [1, null, 2, null, 3], [1, 3], [2]],
    ["nothing at all", [null, null], [0, 1], null],
    ["no idxs yet", [1, null, 2], undefined, null],
  ])("%s", (_name, values, range, expected) => {
    expect(isolatedIndices(values, range)).toEqual(expected);
  });
});
