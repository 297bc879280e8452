/** Fixture tests of rollup rows: aggregation of points and of finer rows, the stored column layout and its rounding, fill-only merges, and 1 s → 1m → 1h agreeing with 1 s → 1h. */
import type { Sample } from "@statusmonitor/protocol";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../test-support/seeded-random.js";
import { aggregateBucketRows, aggregateColumns, aggregatePoints, baseKeyOf, bucketsOfRow, fillMissing, rowOfBuckets } from "./bucket-rows.js";
import { decodeChunk } from "./chunk-codec.js";
import { chunkFromRows, encodeRows, rowsFromChunk, type Rows } from "./chunk-rows.js";
import { rollupBuckets, rollupPoints, summarize, type Bucket } from "./rollup.js";
import { decimalsOf, roundTo, seriesOf, type SeriesValues } from "./series.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);

const random = seededRandom;

/** What a stored rollup row holds after a trip through the chunk codec, as the rollup job reads it back. */
function stored(rows: Rows): Rows {
  return rowsFromChunk(decodeChunk(encodeRows(rows).bytes));
}

describe("aggregatePoints", () => {
  it("makes one bucket per series, counting only the rows that hold it", () => {
    const rows: SeriesValues[] = [
      { "cpu.usage": 10, "mem.used": 1000, "net.bytes_sent|eth0": 5 },
      { "cpu.usage": 20 },
      { "cpu.usage": 60, "mem.used": 3000, "net.bytes_sent|eth0": 9 },
      {},
    ];
    expect(aggregatePoints(rows, T0)).toStrictEqual(
      new Map([
        ["cpu.usage", { start: T0, avg: 30, min: 10, max: 60, count: 3 }],
        ["mem.used", { start: T0, avg: 2000, min: 1000, max: 3000, count: 2 }],
        ["net.bytes_sent|eth0", { start: T0, avg: 7, min: 5, max: 9, count: 2 }],
      ]),
    );
  });

  it("gives every bucket the start it is told, whatever the rows' times", () => {
    expect(aggregatePoints([{ "load.load1": 0.5 }], T0 + MINUTE).get("load.load1")).toStrictEqual({ start: T0 + MINUTE, avg: 0.5, min: 0.5, max: 0.5, count: 1 });
  });

  it("returns no bucket for no rows", () => {
    expect(aggregatePoints([], T0).size).toBe(0);
  });

  it("keeps zeros as values", () => {
    expect(aggregatePoints([{ "cpu.steal": 0 }, { "cpu.steal": 0 }], T0).get("cpu.steal")).toStrictEqual({ start: T0, avg: 0, min: 0, max: 0, count: 2 });
  });
});

describe("aggregateColumns", () => {
  it("gives, for the minutes asked, exactly what aggregatePoints gives for the same rows, and skips the others", () => {
    const next = random(7);
    const rows: Rows = new Map();
    for (let s = 0; s < 180; s++) {
      const values: SeriesValues = { "cpu.usage": roundTo(next() * 100, 2), "load.load1": roundTo(next() * 4, 2) };
      if (s % 7 !== 0) values["net.bytes_sent|eth0"] = Math.round(next() * 1e9);
      rows.set(T0 + s * SECOND + Math.round(next() * 900), values);
    }
    const into = new Map([T0, T0 + 2 * MINUTE, T0 + 5 * MINUTE].map((m) => [m, new Map<string, Bucket>()]));
    aggregateColumns(chunkFromRows(rows), MINUTE, into);
    const rowsOf = (m: number) => [...rows].filter(([t]) => t >= m && t < m + MINUTE).map(([, values]) => values);
    expect(into.get(T0)).toStrictEqual(aggregatePoints(rowsOf(T0), T0));
    expect(into.get(T0)!.get("net.bytes_sent|eth0")!.count).toBe(rowsOf(T0).filter((r) => "net.bytes_sent|eth0" in r).length);
    expect(into.get(T0 + 2 * MINUTE)).toStrictEqual(aggregatePoints(rowsOf(T0 + 2 * MINUTE), T0 + 2 * MINUTE));
    expect(into.get(T0 + 5 * MINUTE)!.size).toBe(0);
    expect([...into.keys()]).toEqual([T0, T0 + 2 * MINUTE, T0 + 5 * MINUTE]);
  });
});

describe("rowOfBuckets", () => {
  it("stores avg, min, max and count per series, the avg with one decimal more than the series", () => {
    const buckets = new Map<string, Bucket>([
      ["cpu.usage", { start: T0, avg: 12.3456, min: 10, max: 15.5, count: 3 }],
      ["mem.used", { start: T0, avg: 1000.26, min: 1000, max: 1001, count: 4 }],
      ["net.bytes_sent|eth0", { start: T0, avg: 150.56, min: 100, max: 200, count: 2 }],
      ["disk.used_percent|C:\\", { start: T0, avg: 2 / 3, min: 0.5, max: 0.83, count: 6 }],
    ]);
    expect(rowOfBuckets(buckets)).toStrictEqual({
      "a:cpu.usage": 12.346,
      "n:cpu.usage": 10,
      "x:cpu.usage": 15.5,
      "c:cpu.usage": 3,
      "a:mem.used": 1000.3,
      "n:mem.used": 1000,
      "x:mem.used": 1001,
      "c:mem.used": 4,
      "a:net.bytes_sent|eth0": 150.6,
      "n:net.bytes_sent|eth0": 100,
      "x:net.bytes_sent|eth0": 200,
      "c:net.bytes_sent|eth0": 2,
      "a:disk.used_percent|C:\\": 0.667,
      "n:disk.used_percent|C:\\": 0.5,
      "x:disk.used_percent|C:\\": 0.83,
      "c:disk.used_percent|C:\\": 6,
    });
  });

  it("is empty for no buckets", () => {
    expect(rowOfBuckets(new Map())).toStrictEqual({});
  });
});

describe("bucketsOfRow", () => {
  it("round-trips rowOfBuckets through the chunk codec, keys with any label included", () => {
    const keys = ["cpu.usage", "cpu.core.3.freq_mhz", "mem.used", "disk.used_percent|/mnt/a:b|c.d", "net.errin|vEthernet (Default Switch)", "diskio.read_ops_per_s"];
    const buckets = new Map<string, Bucket>(keys.map((key, i) => [key, { start: T0, avg: 10 + i / 7, min: i, max: 20 + i, count: i + 1 }]));
    const [row] = stored(new Map([[T0, rowOfBuckets(buckets)]])).values();
    const back = bucketsOfRow(row!, T0);
    expect([...back.keys()].sort()).toEqual([...keys].sort());
    for (const [key, bucket] of buckets) {
      expect(back.get(key)).toStrictEqual({ ...bucket, avg: roundTo(bucket.avg, decimalsOf(key) + 1) });
    }
    expect(back.get("cpu.usage")!.avg).toBe(10);
    expect(back.get("cpu.core.3.freq_mhz")!.avg).toBe(10.1);
    expect(back.get("mem.used")!.avg).toBe(10.3);
  });

  it("gives the buckets the start it is told", () => {
    const row = rowOfBuckets(new Map([["cpu.usage", { start: 1, avg: 1, min: 1, max: 1, count: 1 }]]));
    expect(bucketsOfRow(row, T0 + HOUR).get("cpu.usage")!.start).toBe(T0 + HOUR);
  });

  it.each<[string, SeriesValues]>([
    ["no count", { "a:cpu.usage": 1, "n:cpu.usage": 1, "x:cpu.usage": 1 }],
    ["no min", { "a:cpu.usage": 1, "x:cpu.usage": 1, "c:cpu.usage": 1 }],
    ["no max", { "a:cpu.usage": 1, "n:cpu.usage": 1, "c:cpu.usage": 1 }],
    ["a zero count", { "a:cpu.usage": 1, "n:cpu.usage": 1, "x:cpu.usage": 1, "c:cpu.usage": 0 }],
    ["no avg", { "n:cpu.usage": 1, "x:cpu.usage": 1, "c:cpu.usage": 1 }],
  ])("skips a series with %s", (_label, row) => {
    expect(bucketsOfRow({ ...row, "a:mem.used": 5, "n:mem.used": 4, "x:mem.used": 6, "c:mem.used": 2 }, T0)).toStrictEqual(
      new Map([["mem.used", { start: T0, avg: 5, min: 4, max: 6, count: 2 }]]),
    );
  });

  it("names the base series of each column", () => {
    expect(["a:cpu.usage", "n:disk.used|a:b", "x:net.errin|", "c:mem.used"].map(baseKeyOf)).toEqual(["cpu.usage", "disk.used|a:b", "net.errin|", "mem.used"]);
  });
});

describe("aggregateBucketRows", () => {
  it("weights each finer bucket by its count", () => {
    const minutes = [
      rowOfBuckets(new Map([["cpu.usage", { start: T0, avg: 10, min: 5, max: 15, count: 30 }]])),
      rowOfBuckets(
        new Map([
          ["cpu.usage", { start: T0 + MINUTE, avg: 100, min: 100, max: 100, count: 1 }],
          ["mem.used", { start: T0 + MINUTE, avg: 7, min: 7, max: 7, count: 1 }],
        ]),
      ),
    ];
    const hour = aggregateBucketRows(minutes, T0);
    expect([...hour.keys()]).toEqual(["cpu.usage", "mem.used"]);
    expect(hour.get("cpu.usage")).toStrictEqual({ start: T0, avg: (30 * 10 + 100) / 31, min: 5, max: 100, count: 31 });
    expect(hour.get("mem.used")).toStrictEqual({ start: T0, avg: 7, min: 7, max: 7, count: 1 });
    expect(rowOfBuckets(hour)["a:cpu.usage"]).toBe(12.903);
  });

  it("ignores incomplete series and returns nothing for no rows", () => {
    expect(aggregateBucketRows([{ "a:cpu.usage": 1, "n:cpu.usage": 1, "x:cpu.usage": 1 }, {}], T0).size).toBe(0);
    expect(aggregateBucketRows([], T0).size).toBe(0);
  });
});

describe("fillMissing", () => {
  const existing: SeriesValues = { "a:cpu.usage": 10, "n:cpu.usage": 1, "x:cpu.usage": 20, "c:cpu.usage": 60 };
  const computed: SeriesValues = {
    "a:cpu.usage": 99,
    "n:cpu.usage": 99,
    "x:cpu.usage": 99,
    "c:cpu.usage": 1,
    "a:mem.used": 5,
    "n:mem.used": 4,
    "x:mem.used": 6,
    "c:mem.used": 2,
  };

  it("takes the computed row when nothing is stored", () => {
    expect(fillMissing(undefined, computed)).toBe(computed);
  });

  it("keeps every stored column and adds only the series the stored row lacks", () => {
    expect(fillMissing(existing, computed)).toStrictEqual({ ...existing, "a:mem.used": 5, "n:mem.used": 4, "x:mem.used": 6, "c:mem.used": 2 });
  });

  it("never erases a stored series the computed row lacks (its finer data expired)", () => {
    expect(fillMissing(existing, {})).toStrictEqual(existing);
    expect(fillMissing(existing, { "a:mem.used": 5, "n:mem.used": 4, "x:mem.used": 6, "c:mem.used": 2 })).toStrictEqual({ ...existing, "a:mem.used": 5, "n:mem.used": 4, "x:mem.used": 6, "c:mem.used": 2 });
  });

  it("leaves the stored row untouched", () => {
    const before = { ...existing };
    fillMissing(existing, computed);
    expect(existing).toStrictEqual(before);
  });
});

/**
 * Two hours of 1 s samples from a 2-core host, with the gaps real agents have: about 1 in 10 seconds
 * missing, minute 10 down to five samples taken during a cpu spike, minute 33 missing entirely, a disk
 * mounted at 10:20 and a second interface that appears in the second hour.
 */
function fixture(): Rows {
  const next = random(20_261_123);
  const rows: Rows = new Map();
  let cpu = 20;
  let memUsed = 4_000_000_000;
  let sent = 10_000_000;
  let wlanRecv = 0;
  for (let s = 0; s < 2 * 3600; s++) {
    const t = T0 + s * SECOND + Math.floor(next() * 50);
    const minute = Math.floor(s / 60) % 60;
    if (minute === 33) continue;
    if (minute === 10 ? s % 60 >= 5 : next() < 0.1) continue;
    cpu = minute === 10 ? 95 + next() * 5 : Math.min(100, Math.max(0, cpu + (next() - 0.5) * 6));
    memUsed += Math.round((next() - 0.5) * 2_000_000);
    sent += Math.floor(next() * 50_000);
    const sample: Sample = {
      agent_id: 1,
      timestamp: t,
      cpu: { usage_percent: cpu, per_core_usage: [cpu * 0.9, Math.min(100, cpu * 1.1)], load_avg: [cpu / 25, cpu / 30, cpu / 40] },
      memory: { used: memUsed, total: 8_000_000_000, used_percent: (memUsed / 8_000_000_000) * 100 },
      disks: s >= 20 * 60 ? [{ mountpoint: "/mnt/My Disk", used_percent: 10 + s / 1000, used: 1_000_000 + s, free: 9_000_000 - s }] : [],
      network: {
        bytes_sent: sent,
        bytes_sent_per_s: next() * 50_000,
        interfaces: s >= 3600 ? [{ name: "wlan0", bytes_recv: (wlanRecv += 1500), bytes_recv_per_s: 1500 + next() }] : [],
      },
    };
    rows.set(t, seriesOf(sample));
  }
  return rows;
}

/** Groups rows by the bucket of `resolutionMs` their time falls in. */
function byBucket(rows: Rows, resolutionMs: number): Map<number, SeriesValues[]> {
  const groups = new Map<number, SeriesValues[]>();
  for (const [t, values] of rows) {
    const start = Math.floor(t / resolutionMs) * resolutionMs;
    groups.set(start, [...(groups.get(start) ?? []), values]);
  }
  return groups;
}

/** The 1m rows of the fixture, computed and stored as the rollup job does. */
function minuteRowsOf(rows: Rows): Rows {
  const minutes: Rows = new Map();
  for (const [start, group] of byBucket(rows, MINUTE)) minutes.set(start, rowOfBuckets(aggregatePoints(group, start)));
  return stored(minutes);
}

/** The points of one series of the raw fixture. */
const pointsOf = (rows: Rows, key: string) => [...rows].filter(([, values]) => key in values).map(([t, values]) => ({ t, v: values[key]! }));

describe("rollups of the fixture: 1 s → 1m → 1h equals 1 s → 1h", () => {
  const raw = fixture();
  const minuteRows = minuteRowsOf(raw);
  const hours = [T0, T0 + HOUR];
  const viaMinutes = new Map(hours.map((h) => [h, rowOfBuckets(aggregateBucketRows([...minuteRows].filter(([m]) => m >= h && m < h + HOUR).map(([, row]) => row), h))]));
  const direct = new Map(hours.map((h) => [h, rowOfBuckets(aggregatePoints([...raw].filter(([t]) => t >= h && t < h + HOUR).map(([, values]) => values), h))]));

  it("is the fixture it claims to be", () => {
    expect(minuteRows.size).toBe(118);
    expect(minuteRows.has(T0 + 33 * MINUTE)).toBe(false);
    expect(minuteRows.get(T0 + 10 * MINUTE)!["c:cpu.usage"]).toBe(5);
    expect(Object.keys(direct.get(T0)!).some((column) => column.includes("wlan0"))).toBe(false);
    expect(direct.get(T0 + HOUR)!["c:net.bytes_recv|wlan0"]).toBeGreaterThan(3000);
    expect(direct.get(T0)!["c:disk.used_percent|/mnt/My Disk"]).toBeLessThan(direct.get(T0)!["c:cpu.usage"]!);
  });

  it.each([T0, T0 + HOUR])("hour %i has the same columns, counts, minima and maxima", (hour) => {
    const a = viaMinutes.get(hour)!;
    const b = direct.get(hour)!;
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const column of Object.keys(b)) {
      if (!column.startsWith("a:")) expect([column, a[column]]).toEqual([column, b[column]]);
    }
  });

  it.each([T0, T0 + HOUR])("hour %i has the same averages within one stored decimal", (hour) => {
    const a = viaMinutes.get(hour)!;
    const b = direct.get(hour)!;
    for (const column of Object.keys(b).filter((c) => c.startsWith("a:"))) {
      // Both are rounded to decimals + 1; rounding the minutes first moves the hour's avg by at most one step.
      const step = 10 ** -(decimalsOf(baseKeyOf(column)) + 1);
      expect(Math.abs(a[column]! - b[column]!), column).toBeLessThanOrEqual(step * (1 + 1e-9));
    }
  });

  it("agrees with rollup.ts on every series, and weights by count", () => {
    const keys = new Set([...raw.values()].flatMap((values) => Object.keys(values)));
    expect(keys.size).toBe(16);
    for (const key of keys) {
      const points = pointsOf(raw, key);
      const exact = rollupPoints(points, HOUR);
      expect(rollupBuckets(rollupPoints(points, MINUTE), HOUR).map((b) => b.count)).toEqual(exact.map((b) => b.count));
      for (const bucket of exact) {
        const row = direct.get(bucket.start)!;
        expect([key, row[`c:${key}`], row[`n:${key}`], row[`x:${key}`]]).toEqual([key, bucket.count, bucket.min, bucket.max]);
        expect(row[`a:${key}`], key).toBe(roundTo(bucket.avg, decimalsOf(key) + 1));
      }
    }
    // Minute 10 holds five samples at ~97 %: an average of minute averages would overweight them.
    const minuteAverages = [...minuteRows].filter(([m]) => m < T0 + HOUR).map(([, row]) => row["a:cpu.usage"]!);
    const unweighted = minuteAverages.reduce((sum, v) => sum + v, 0) / minuteAverages.length;
    expect(Math.abs(unweighted - viaMinutes.get(T0)!["a:cpu.usage"]!)).toBeGreaterThan(0.5);
  });

  it("summarizes the two hours like the raw points, count-weighted", () => {
    for (const key of ["cpu.usage", "mem.used", "net.bytes_recv|wlan0", "disk.free|/mnt/My Disk"]) {
      const fromHours = summarize(hours.flatMap((h) => [...bucketsOfRow(viaMinutes.get(h)!, h)].filter(([k]) => k === key).map(([, b]) => b)));
      const fromRaw = summarize(rollupPoints(pointsOf(raw, key), SECOND));
      expect([key, fromHours.count, fromHours.min, fromHours.max]).toEqual([key, fromRaw.count, fromRaw.min, fromRaw.max]);
      expect(Math.abs(fromHours.avg! - fromRaw.avg!), key).toBeLessThanOrEqual(10 ** -(decimalsOf(key) + 1));
    }
  });

  it("recomputing a minute with a late sample changes its hour exactly as the direct rollup does", () => {
    const late = T0 + 33 * MINUTE + 30 * SECOND;
    const withLate: Rows = new Map([...raw, [late, { "cpu.usage": 42.42, "mem.used": 1 }]]);
    const minutes = minuteRowsOf(withLate);
    expect(minutes.get(T0 + 33 * MINUTE)).toStrictEqual({ "a:cpu.usage": 42.42, "n:cpu.usage": 42.42, "x:cpu.usage": 42.42, "c:cpu.usage": 1, "a:mem.used": 1, "n:mem.used": 1, "x:mem.used": 1, "c:mem.used": 1 });
    const hour = rowOfBuckets(aggregateBucketRows([...minutes].filter(([m]) => m < T0 + HOUR).map(([, row]) => row), T0));
    expect(hour["c:cpu.usage"]).toBe(direct.get(T0)!["c:cpu.usage"]! + 1);
    expect(hour["n:mem.used"]).toBe(1);
    expect(hour["c:disk.used_percent|/mnt/My Disk"]).toBe(direct.get(T0)!["c:disk.used_percent|/mnt/My Disk"]);
  });
});
