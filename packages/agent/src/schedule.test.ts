/** The fixed-rate schedule: slots on the interval grid, no drift whatever a tick costs, missed slots skipped, never overlapping. */
import { describe, expect, it } from "vitest";
import { FixedRateSchedule, firstSlot, nextSlot } from "./schedule.js";
import { StepTimers } from "./test-support/step-timers.js";

describe("slots", () => {
  it("start on the next multiple of the interval", () => {
    expect(firstSlot(1_000_000_000_300, 1000)).toBe(1_000_000_001_000);
    expect(firstSlot(1_000_000_001_000, 1000)).toBe(1_000_000_001_000);
    expect(firstSlot(1_000_000_001_001, 60_000)).toBe(1_000_000_020_000);
  });

  it("follow each other by exactly one interval, skipping the ones an overrun missed", () => {
    expect(nextSlot(10_000, 10_005, 1000)).toBe(11_000);
    expect(nextSlot(10_000, 10_999, 1000)).toBe(11_000);
    expect(nextSlot(10_000, 11_000, 1000)).toBe(12_000);
    expect(nextSlot(10_000, 13_500, 1000)).toBe(14_000);
  });
});

describe("FixedRateSchedule", () => {
  it("ticks at t0 + n·interval even when each tick takes most of the interval", async () => {
    const timers = new StepTimers();
    const slots: number[] = [];
    const schedule = new FixedRateSchedule(
      1000,
      async (slot) => {
        slots.push(slot);
        timers.spend(900);
      },
      timers,
    );
    schedule.start();
    await timers.advance(10_000);
    schedule.stop();
    expect(slots).toHaveLength(10);
    expect(slots.every((slot, i) => slot === 1_700_000_001_000 + i * 1000)).toBe(true);
  });

  it("skips the slots a very slow tick overran instead of running them late in a burst", async () => {
    const timers = new StepTimers();
    const slots: number[] = [];
    const schedule = new FixedRateSchedule(
      1000,
      async (slot) => {
        slots.push(slot);
        if (slots.length === 2) timers.spend(2_500);
      },
      timers,
    );
    schedule.start();
    await timers.advance(6_000);
    schedule.stop();
    const base = 1_700_000_001_000;
    expect(slots).toEqual([base, base + 1000, base + 4000, base + 5000]);
  });

  it("stops ticking once stopped", async () => {
    const timers = new StepTimers();
    let ticks = 0;
    const schedule = new FixedRateSchedule(1000, async () => void ticks++, timers);
    schedule.start();
    await timers.advance(2_800); // slots at +0.7 s, +1.7 s and +2.7 s
    schedule.stop();
    await timers.advance(5_000);
    expect(ticks).toBe(3);
  });
});
