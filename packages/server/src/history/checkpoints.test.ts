/** HistoryCheckpoints: when a durable bus may commit what the history writer accepted. */
import { describe, expect, it } from "vitest";
import { ManualClock } from "../core/clock.js";
import { HistoryCheckpoints } from "./checkpoints.js";

const LAG = 60_000;

function tracked(promise: Promise<void>) {
  const state = { settled: false };
  void promise.then(() => (state.settled = true));
  return state;
}
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("HistoryCheckpoints", () => {
  it("hands out one promise for everything accepted between two flushes", () => {
    const checkpoints = new HistoryCheckpoints(LAG, new ManualClock(0));
    const first = checkpoints.next();
    expect(checkpoints.next()).toBe(first);
    checkpoints.seal();
    expect(checkpoints.next()).not.toBe(first);
  });

  it("releases a flushed group only once the lag has passed after its flush began", async () => {
    const clock = new ManualClock(1_000_000);
    const checkpoints = new HistoryCheckpoints(LAG, clock);
    const group = tracked(checkpoints.next());
    checkpoints.seal();
    checkpoints.release();
    await turn();
    expect(group.settled).toBe(false);
    clock.advance(LAG - 1);
    checkpoints.release();
    await turn();
    expect(group.settled).toBe(false);
    clock.advance(1);
    checkpoints.release();
    await turn();
    expect(group.settled).toBe(true);
    expect(checkpoints.waiting).toBe(0);
  });

  it("never releases samples accepted after the flush began (they were not written by it)", async () => {
    const clock = new ManualClock(0);
    const checkpoints = new HistoryCheckpoints(LAG, clock);
    const early = tracked(checkpoints.next());
    checkpoints.seal();
    const late = tracked(checkpoints.next());
    clock.advance(10 * LAG);
    checkpoints.release({ all: true });
    await turn();
    expect(early.settled).toBe(true);
    expect(late.settled).toBe(false);
  });

  it("releases in order, oldest first, and a final flush releases every written group", async () => {
    const clock = new ManualClock(0);
    const checkpoints = new HistoryCheckpoints(LAG, clock);
    const groups = [];
    for (let i = 0; i < 3; i += 1) {
      groups.push(tracked(checkpoints.next()));
      checkpoints.seal();
      clock.advance(LAG / 2);
    }
    checkpoints.release();
    await turn();
    expect(groups.map((g) => g.settled)).toEqual([true, true, false]);
    checkpoints.release({ all: true });
    await turn();
    expect(groups.map((g) => g.settled)).toEqual([true, true, true]);
  });
});
