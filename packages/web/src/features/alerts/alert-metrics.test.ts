/** How thresholds and measured values of each metric read, and which operators each metric allows. */
import type { AlertMetric } from "@statusmonitor/protocol";
import { describe, expect, it } from "vitest";
import { formatMetricValue, formatSeconds, formatThreshold, operatorsFor, thresholdKind } from "./alert-metrics";

describe("thresholdKind", () => {
  it.each<[AlertMetric, string]>([
    ["cpu", "percent"],
    ["memory", "percent"],
    ["disk", "percent"],
    ["load1", "number"],
    ["network_rx", "rate"],
    ["network_tx", "rate"],
    ["offline", "seconds"],
  ])("%s is a %s", (metric, kind) => expect(thresholdKind(metric)).toBe(kind));
});

describe("formatThreshold", () => {
  it.each<[AlertMetric, number, string]>([
    ["cpu", 90, "90 %"],
    ["disk", 85.5, "85.5 %"],
    ["load1", 4, "4"],
    ["load1", 0.75, "0.75"],
    ["network_rx", 10 * 1024 ** 2, "10.0 MiB/s"],
    ["network_tx", 1536, "1.50 KiB/s"],
    ["network_tx", 500, "500 B/s"],
    ["offline", 0, "automatic"],
    ["offline", 120, "2 min"],
    ["offline", 90, "1 min 30 s"],
  ])("%s %s → %s", (metric, threshold, text) => expect(formatThreshold(metric, threshold)).toBe(text));
});

describe("formatMetricValue", () => {
  it.each<[AlertMetric, number | null, string]>([
    ["cpu", 97.26, "97.3 %"],
    ["memory", 100, "100.0 %"],
    ["load1", 2.345, "2.35"],
    ["network_rx", 2 * 1024 ** 2, "2.00 MiB/s"],
    ["offline", 185, "3 min"],
    ["cpu", null, "—"],
  ])("%s %s → %s", (metric, value, text) => expect(formatMetricValue(metric, value)).toBe(text));
});

describe("formatSeconds", () => {
  it.each([
    [0, "0 s"],
    [59, "59 s"],
    [60, "1 min"],
    [90, "1 min 30 s"],
    [300, "5 min"],
    [3_600, "1 h"],
    [3_661, "1 h 1 min 1 s"],
    [86_400, "1 d"],
  ])("%s s → %s", (seconds, text) => expect(formatSeconds(seconds)).toBe(text));
});

describe("operatorsFor", () => {
  it("offers all four operators for measured metrics and only > for offline", () => {
    expect(operatorsFor("cpu")).toEqual([">", ">=", "<", "<="]);
    expect(operatorsFor("offline")).toEqual([">"]);
  });
});
