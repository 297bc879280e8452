import { describe, expect, it } from "vitest";
import { lowerBound, SampleWindow } from "./sample-window";
import type { Row } from "./sample-row";

const row = (seconds: number, values: Record<string, number>): Row => ({ t: seconds * 1000, values });
const MIN = 60_000;

/** Every column must stay as long as x: uPlot reads them side by side. */
function expectAligned(window: SampleWindow) {
  for (const key of window.keys()) expect(window.column(key), key).toHaveLength(window.x.length);
}

describe("lowerBound", () => {
  it.each([
    { xs: [], value: 5, want: 0 },
    { xs: [1, 3, 5], value: 0, want: 0 },
    { xs: [1, 3, 5], value: 3, want: 1 },
    { xs: [1, 3, 5], value: 4, want: 2 },
    { xs: [1, 3, 5], value: 6, want: 3 },
  ])("$xs, $value → $want", ({ xs, value, want }) => expect(lowerBound(xs, value)).toBe(want));
});

describe("SampleWindow", () => {
  it("appends newer rows and keeps columns aligned, with null where a value is missing", () => {
    const w = new SampleWindow(10 * MIN);
    w.insert(row(100, { cpu: 1 }));
    w.insert(row(101, { cpu: 2, mem: 50 }));
    w.insert(row(102, { mem: 51 }));
    expect(w.x).toEqual([100, 101, 102]);
    expect(w.column("cpu")).toEqual([1, 2, null]);
    expect(w.column("mem")).toEqual([null, 50, 51]);
    expect(w.newest).toBe(102_000);
    expect(w.last("mem")).toBe(51);
    expect(w.last("cpu")).toBeNull();
    expectAligned(w);
  });

  it("puts a late row in its place", () => {
    const w = new SampleWindow(10 * MIN);
    for (const s of [100, 101, 103, 104]) w.insert(row(s, { cpu: s }));
    w.insert(row(102, { cpu: 102, mem: 7 }));
    expect(w.x).toEqual([100, 101, 102, 103, 104]);
    expect(w.column("cpu")).toEqual([100, 101, 102, 103, 104]);
    expect(w.column("mem")).toEqual([null, null, 7, null, null]);
    expectAligned(w);
  });

  it("keeps one row per second: a duplicate updates the fields it carries", () => {
    const w = new SampleWindow(10 * MIN);
    w.insert(row(100, { cpu: 1, mem: 10 }));
    w.insert(row(101, { cpu: 2 }));
    w.insert(row(100, { cpu: 5 }));
    expect(w.x).toEqual([100, 101]);
    expect(w.column("cpu")).toEqual([5, 2]);
    expect(w.column("mem")).toEqual([10, null]);
  });

  it("ignores rows older than the span and trims old ones in batches", () => {
    const w = new SampleWindow(60_000, 10_000);
    for (let s = 0; s <= 60; s++) w.insert(row(s, { cpu: s }));
    expect(w.x[0]).toBe(0);
    expect(w.insert(row(-1, { cpu: 0 }))).toBe(false);
    // Within the slack nothing moves yet.
    for (let s = 61; s <= 70; s++) w.insert(row(s, { cpu: s }));
    expect(w.x[0]).toBe(0);
    w.insert(row(71, { cpu: 71 }));
    expect(w.x[0]).toBe(11);
    expect(w.x[w.length - 1]).toBe(71);
    expect(w.column("cpu")[0]).toBe(11);
    expectAligned(w);
  });

  it("derives missing rates from the previous row's counters, and keeps the hub's rates", () => {
    const w = new SampleWindow(10 * MIN);
    w.insert(row(100, { net_tx_total: 1000 }));
    w.insert(row(101, { net_tx_total: 3048 }));
    w.insert(row(102, { net_tx_total: 4000, net_tx: 7 }));
    w.insert(row(103, { net_tx_total: 10 })); // counter reset: unknown, not negative
    expect(w.column("net_tx")).toEqual([null, 2048, 7, null]);
  });

  it("fills the rate of the row after a late row once its predecessor arrives", () => {
    const w = new SampleWindow(10 * MIN);
    w.insert(row(100, { disk_read_total: 0 }));
    w.insert(row(102, { disk_read_total: 3000 }));
    expect(w.column("disk_read")).toEqual([null, 1500]);
    w.insert(row(101, { disk_read_total: 1000 }));
    expect(w.column("disk_read")).toEqual([null, 1000, 1500]);
  });

  it("merges history under live rows: existing values win, missing ones are filled, order and uniqueness hold", () => {
    const w = new SampleWindow(10 * MIN);
    w.insert(row(200, { cpu: 50 }));
    w.insert(row(201, { cpu: 51 }));
    w.merge([row(198, { cpu: 1, mem: 9 }), row(199, { cpu: 2 }), row(200, { cpu: 99, mem: 10 })]);
    expect(w.x).toEqual([198, 199, 200, 201]);
    expect(w.column("cpu")).toEqual([1, 2, 50, 51]);
    expect(w.column("mem")).toEqual([9, null, 10, null]);
    expectAligned(w);
  });

  it("overwrites on merge when asked, and trims the merged result to the span", () => {
    const w = new SampleWindow(60_000);
    w.insert(row(100, { cpu: 1 }));
    w.merge([row(10, { cpu: 0 }), row(100, { cpu: 3 }), row(101, { cpu: 4 })], { overwrite: true });
    expect(w.x).toEqual([100, 101]);
    expect(w.column("cpu")).toEqual([3, 4]);
  });

  it("fills a gap so the chart has no hole", () => {
    const w = new SampleWindow(10 * MIN);
    for (const s of [100, 101, 102, 110, 111]) w.insert(row(s, { cpu: s }));
    w.merge([103, 104, 105, 106, 107, 108, 109].map((s) => row(s, { cpu: s })));
    expect(w.x).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111]);
    expect(w.column("cpu")).toEqual(w.x);
  });

  it("answers values at a time, and creates unknown columns all-null", () => {
    const w = new SampleWindow(10 * MIN);
    w.insert(row(100, { cpu: 1 }));
    expect(w.valueAt("cpu", 100_400)).toBe(1);
    expect(w.valueAt("cpu", 99_000)).toBeNull();
    expect(w.column("nothing")).toEqual([null]);
  });

  it("finds the first hole after a time", () => {
    const w = new SampleWindow(10 * MIN);
    for (const s of [100, 101, 102, 110, 111, 112, 130, 131]) w.insert(row(s, { cpu: s }));
    expect(w.firstGapAfter(0, 5_000)).toBe(102_000);
    expect(w.firstGapAfter(105_000, 5_000)).toBe(102_000); // the hole spans 105 s
    expect(w.firstGapAfter(111_000, 5_000)).toBe(112_000);
    expect(w.firstGapAfter(131_000, 5_000)).toBeUndefined();
    expect(w.firstGapAfter(0, 20_000)).toBeUndefined();
  });
});
