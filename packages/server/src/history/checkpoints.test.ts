/** HistoryCheckpoints: when a durable bus may commit what the history writer accepted. */
import { describe, expect, it } from "vitest";
import { HistoryCheckpoints } from "./checkpoints.js";

function tracked(promise: Promise<void>) {
  const state = { settled: false };
  void promise.then(() => (state.settled = true));
  return state;
}
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("HistoryCheckpoints", () => {
  it("hands out one promise for everything accepted between two flushes", () => {
    const checkpoints = new HistoryCheckpoints();
    const first = checkpoints.next();
    expect(checkpoints.next()).toBe(first);
    checkpoints.seal();
    expect(checkpoints.next()).not.toBe(first);
  });

  it("releases what a flush began with once it succeeded, not before", async () => {
    const checkpoints = new HistoryCheckpoints();
    const group = tracked(checkpoints.next());
    checkpoints.seal();
    await turn();
    expect(group.settled).toBe(false);
    expect(checkpoints.waiting).toBe(1);
    checkpoints.release();
    await turn();
    expect(group.settled).toBe(true);
    expect(checkpoints.waiting).toBe(0);
  });

  it("never releases samples accepted after the flush began (it did not write them)", async () => {
    const checkpoints = new HistoryCheckpoints();
    const early = tracked(checkpoints.next());
    checkpoints.seal();
    const late = tracked(checkpoints.next());
    checkpoints.release();
    await turn();
    expect([early.settled, late.settled]).toEqual([true, false]);
  });

  it("keeps groups of failed flushes until a later flush succeeds", async () => {
    const checkpoints = new HistoryCheckpoints();
    const first = tracked(checkpoints.next());
    checkpoints.seal(); // this flush fails: no release
    const second = tracked(checkpoints.next());
    checkpoints.seal();
    await turn();
    expect([first.settled, second.settled]).toEqual([false, false]);
    checkpoints.release();
    await turn();
    expect([first.settled, second.settled]).toEqual([true, true]);
  });
});
