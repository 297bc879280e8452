import { describe, expect, it } from "vitest";
import { counterRate, MAX_RATE_GAP_MS, type CounterReading } from "./counter-rate";

const at = (t: number, v: number | null | undefined): CounterReading => ({ t, v });

describe("counterRate", () => {
  it.each([
    { name: "one second apart", prev: at(1000, 100), cur: at(2000, 1124), want: 1024 },
    { name: "half a second apart", prev: at(1000, 0), cur: at(1500, 512), want: 1024 },
    { name: "five seconds apart (a short gap is an average)", prev: at(0, 0), cur: at(5000, 5000), want: 1000 },
    { name: "an idle counter", prev: at(0, 42), cur: at(1000, 42), want: 0 },
    { name: "the longest gap allowed", prev: at(0, 0), cur: at(MAX_RATE_GAP_MS, MAX_RATE_GAP_MS), want: 1000 },
  ])("$name → $want per second", ({ prev, cur, want }) => {
    expect(counterRate(prev, cur)).toBeCloseTo(want, 9);
  });

  it.each([
    { name: "the first sample has nothing before it", prev: undefined, cur: at(1000, 10) },
    { name: "the previous reading lacks the counter", prev: at(0, undefined), cur: at(1000, 10) },
    { name: "the previous reading is null", prev: at(0, null), cur: at(1000, 10) },
    { name: "the current reading lacks the counter", prev: at(0, 10), cur: at(1000, undefined) },
    { name: "a counter reset (reboot)", prev: at(0, 9_000_000), cur: at(1000, 1_200) },
    { name: "time did not advance", prev: at(1000, 10), cur: at(1000, 20) },
    { name: "readings out of order", prev: at(2000, 10), cur: at(1000, 20) },
    { name: "a gap longer than the limit", prev: at(0, 0), cur: at(MAX_RATE_GAP_MS + 1, 10) },
  ])("$name → unknown", ({ prev, cur }) => {
    expect(counterRate(prev, cur)).toBeUndefined();
  });

  it("takes a custom gap limit", () => {
    expect(counterRate(at(0, 0), at(3000, 30), 2000)).toBeUndefined();
    expect(counterRate(at(0, 0), at(2000, 30), 2000)).toBe(15);
  });
});
