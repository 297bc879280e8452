/** Table-driven tests of rule evaluation: metric readings, every operator, hysteresis bands and the offline threshold. */
import { describe, expect, it } from "vitest";
import type { Sample } from "@statusmonitor/protocol";
import {
  breaches,
  clears,
  hysteresisFor,
  metricReading,
  metricValue,
  observe,
  offlineAfterMs,
  type AlertMetric,
  type AlertOperator,
  type MetricReading,
} from "./evaluate.js";

const t0 = 1_764_545_441_000;
const full: Sample = {
  agent_id: 1,
  timestamp: t0,
  cpu: { usage_percent: 42.5, load_avg: [1.5, 1.2, 0.9] },
  memory: { used_percent: 71 },
  disks: [
    { mountpoint: "/", used_percent: 55 },
    { mountpoint: "/data", used_percent: 93 },
    { mountpoint: "/boot", used_percent: 20 },
    { mountpoint: "/mnt/nousage" },
  ],
  network: { bytes_recv_per_s: 1_250_000, bytes_sent_per_s: 300_000 },
};
const bare: Sample = { agent_id: 1, timestamp: t0 };

describe("metricReading", () => {
  const cases: [string, AlertMetric, string | null | undefined, Sample, MetricReading | undefined][] = [
    ["cpu is usage_percent", "cpu", undefined, full, { value: 42.5, mountpoint: null }],
    ["memory is used_percent", "memory", undefined, full, { value: 71, mountpoint: null }],
    ["load1 is the 1-minute load", "load1", undefined, full, { value: 1.5, mountpoint: null }],
    ["network_rx is bytes received per second", "network_rx", undefined, full, { value: 1_250_000, mountpoint: null }],
    ["network_tx is bytes sent per second", "network_tx", undefined, full, { value: 300_000, mountpoint: null }],
    ["disk without a mountpoint is the fullest disk", "disk", undefined, full, { value: 93, mountpoint: "/data" }],
    ["disk with a null mountpoint is the fullest disk", "disk", null, full, { value: 93, mountpoint: "/data" }],
    ["disk with a mountpoint reads that disk", "disk", "/", full, { value: 55, mountpoint: "/" }],
    ["disk with an unknown mountpoint has no value", "disk", "/nope", full, undefined],
    ["disk whose usage is unknown has no value", "disk", "/mnt/nousage", full, undefined],
    ["offline is not a sample metric", "offline", undefined, full, undefined],
    ["missing cpu", "cpu", undefined, bare, undefined],
    ["missing memory", "memory", undefined, bare, undefined],
    ["missing load", "load1", undefined, { ...bare, cpu: { usage_percent: 3 } }, undefined],
    ["missing rx rate (first sample, no previous counters)", "network_rx", undefined, { ...bare, network: { bytes_recv: 9 } }, undefined],
    ["missing tx", "network_tx", undefined, bare, undefined],
    ["no disks", "disk", undefined, bare, undefined],
    ["zero is a value, not a gap", "cpu", undefined, { ...bare, cpu: { usage_percent: 0 } }, { value: 0, mountpoint: null }],
  ];
  it.each(cases)("%s", (_name, metric, mountpoint, sample, expected) => {
    expect(metricReading({ metric, mountpoint: mountpoint ?? null }, sample)).toStrictEqual(expected);
    expect(metricValue({ metric, mountpoint: mountpoint ?? null }, sample)).toBe(expected?.value);
  });
});

describe("breaches", () => {
  const cases: [AlertOperator, number, number, boolean][] = [
    [">", 91, 90, true],
    [">", 90, 90, false],
    [">", 89, 90, false],
    [">=", 91, 90, true],
    [">=", 90, 90, true],
    [">=", 89, 90, false],
    ["<", 9, 10, true],
    ["<", 10, 10, false],
    ["<", 11, 10, false],
    ["<=", 9, 10, true],
    ["<=", 10, 10, true],
    ["<=", 11, 10, false],
  ];
  it.each(cases)("%s: %s vs %s → %s", (operator, value, threshold, expected) => {
    expect(breaches(operator, value, threshold)).toBe(expected);
  });
});

describe("clears", () => {
  const cases: [AlertOperator, number, number, number, boolean][] = [
    // Threshold 90 / 10 with a 2-point band.
    [">", 90.5, 90, 2, false],
    [">", 89.5, 90, 2, false],
    [">", 88.01, 90, 2, false],
    [">", 88, 90, 2, true],
    [">", 87, 90, 2, true],
    [">=", 88, 90, 2, false],
    [">=", 87.99, 90, 2, true],
    ["<", 11.99, 10, 2, false],
    ["<", 12, 10, 2, true],
    ["<=", 12, 10, 2, false],
    ["<=", 12.01, 10, 2, true],
    // Without a band, clearing is exactly not breaching.
    [">", 90, 90, 0, true],
    [">=", 90, 90, 0, false],
    ["<", 10, 10, 0, true],
    ["<=", 10, 10, 0, false],
    // A negative band is treated as none, never widening the breach.
    [">", 90, 90, -5, true],
  ];
  it.each(cases)("%s %s: value %s, band %s → %s", (operator, value, threshold, band, expected) => {
    expect(clears(operator, value, threshold, band)).toBe(expected);
    if (expected) expect(breaches(operator, value, threshold)).toBe(false);
  });
});

describe("hysteresisFor", () => {
  const cases: [AlertMetric, number, number][] = [
    ["cpu", 90, 2],
    ["memory", 50, 2],
    ["disk", 95, 2],
    ["cpu", 99, 0.5],
    ["cpu", 1, 0.5],
    ["cpu", 0, 0],
    ["disk", 100, 0],
    ["memory", 150, 0],
    ["load1", 4, 0.2],
    ["network_rx", 1_000_000, 50_000],
    ["network_tx", 0, 0],
    ["offline", 30, 0],
  ];
  it.each(cases)("%s at threshold %s → %s", (metric, threshold, expected) => {
    expect(hysteresisFor(metric, threshold)).toBeCloseTo(expected, 9);
  });
});

describe("observe", () => {
  it("combines the reading, breach and clear with the sample's time", () => {
    expect(observe({ metric: "disk", operator: ">", threshold: 90, mountpoint: null }, full)).toStrictEqual({
      breach: true,
      clear: false,
      value: 93,
      mountpoint: "/data",
      at: t0,
    });
  });

  it("is inside the band (neither breach nor clear) just under the threshold", () => {
    const sample: Sample = { ...bare, cpu: { usage_percent: 89.5 } };
    expect(observe({ metric: "cpu", operator: ">", threshold: 90, mountpoint: null }, sample)).toMatchObject({ breach: false, clear: false });
  });

  it("has nothing to say without a value", () => {
    expect(observe({ metric: "cpu", operator: ">", threshold: 90, mountpoint: null }, bare)).toBeUndefined();
  });
});

describe("offlineAfterMs", () => {
  const cases: [string, number | null, number][] = [
    ["unknown interval → 30 s floor", null, 30_000],
    ["1 s interval → 30 s floor", 1_000, 30_000],
    ["10 s interval → exactly 30 s", 10_000, 30_000],
    ["20 s interval → 3 intervals", 20_000, 60_000],
    ["5 min interval → 15 min", 300_000, 900_000],
    ["zero interval → floor", 0, 30_000],
    ["negative interval → floor", -1, 30_000],
    ["NaN interval → floor", Number.NaN, 30_000],
  ];
  it.each(cases)("%s", (_name, interval, expected) => {
    expect(offlineAfterMs(interval)).toBe(expected);
  });
});
