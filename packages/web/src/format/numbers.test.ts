/** Table-driven tests of the percentage, number, frequency, temperature and per-second formatters. */
import { describe, expect, it } from "vitest";
import { formatCelsius, formatMhz, formatNumber, formatPercent, formatPerSecond } from "./numbers";

type Row = [number | null | undefined, string];
const missing: Row[] = [
  [null, "—"],
  [undefined, "—"],
  [Number.NaN, "—"],
  [Number.NEGATIVE_INFINITY, "—"],
];

describe("formatPercent", () => {
  it.each<Row>([...missing, [0, "0.0 %"], [42, "42.0 %"], [42.34, "42.3 %"], [99.96, "100.0 %"], [100, "100.0 %"], [-0.04, "0.0 %"], [-3.26, "-3.3 %"]])(
    "%s → %s",
    (input, expected) => expect(formatPercent(input)).toBe(expected),
  );
});

describe("formatNumber", () => {
  it.each<Row>([
    ...missing,
    [0, "0.00"],
    [0.456, "0.46"],
    [9.99, "9.99"],
    // Rounding carries into the next band: two decimals would read "10.00".
    [9.996, "10.0"],
    [12.34, "12.3"],
    [99.96, "100"],
    [123.6, "124"],
    [-1.5, "-1.50"],
    [-0.001, "0.00"],
  ])("%s → %s", (input, expected) => expect(formatNumber(input)).toBe(expected));
});

describe("formatMhz", () => {
  it.each<Row>([...missing, [800, "800 MHz"], [3981.4, "3,981 MHz"], [3981.5, "3,982 MHz"]])("%s → %s", (input, expected) =>
    expect(formatMhz(input)).toBe(expected),
  );
});

describe("formatCelsius", () => {
  it.each<Row>([...missing, [45, "45.0 °C"], [45.06, "45.1 °C"], [-0.01, "0.0 °C"], [-12.5, "-12.5 °C"]])("%s → %s", (input, expected) =>
    expect(formatCelsius(input)).toBe(expected),
  );
});

describe("formatPerSecond", () => {
  it.each<Row>([
    ...missing,
    [0, "0.0/s"],
    [12.34, "12.3/s"],
    [99.96, "100/s"],
    [250, "250/s"],
    // 999.6 would print "1000/s": it is 1.0k/s.
    [999.6, "1.0k/s"],
    [1234, "1.2k/s"],
    [9960, "10k/s"],
    [12_345, "12k/s"],
    [-5, "-5.0/s"],
  ])("%s → %s", (input, expected) => expect(formatPerSecond(input)).toBe(expected));
});
