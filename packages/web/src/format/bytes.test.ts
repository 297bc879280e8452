/** Table-driven tests of the binary byte formatters, including the rounding edges where a unit carries over. */
import { describe, expect, it } from "vitest";
import { formatByteRate, formatBytes } from "./bytes";

const KiB = 1024;
const MiB = KiB * 1024;
const GiB = MiB * 1024;

describe("formatBytes", () => {
  it.each<[number | null | undefined, string]>([
    [null, "—"],
    [undefined, "—"],
    [Number.NaN, "—"],
    [Number.POSITIVE_INFINITY, "—"],
    [0, "0 B"],
    [1, "1 B"],
    [512.4, "512 B"],
    [1023, "1023 B"],
    // Fractional byte rates that round up to 1024 B are one KiB.
    [1023.6, "1.00 KiB"],
    [1024, "1.00 KiB"],
    [1536, "1.50 KiB"],
    [10 * KiB, "10.0 KiB"],
    [9.996 * KiB, "10.0 KiB"],
    [99.96 * KiB, "100 KiB"],
    [100 * KiB, "100 KiB"],
    [1000 * KiB, "1000 KiB"],
    [1023 * KiB, "1023 KiB"],
    // 1023.6 KiB would print as "1024 KiB": it is shown as the next unit.
    [1023.6 * KiB, "1.00 MiB"],
    [MiB, "1.00 MiB"],
    [15.75 * GiB, "15.8 GiB"],
    [2 ** 60, "1.00 EiB"],
    // Past the largest unit the number simply grows.
    [2 ** 70, "1024 EiB"],
    [-2048, "-2.00 KiB"],
    [-0.4, "0 B"],
  ])("%s → %s", (input, expected) => {
    expect(formatBytes(input)).toBe(expected);
  });
});

describe("formatByteRate", () => {
  it.each<[number | null | undefined, string]>([
    [null, "—"],
    [0, "0 B/s"],
    [2048, "2.00 KiB/s"],
    [125 * MiB, "125 MiB/s"],
  ])("%s → %s", (input, expected) => {
    expect(formatByteRate(input)).toBe(expected);
  });
});
