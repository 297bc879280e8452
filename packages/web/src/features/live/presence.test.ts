import { describe, expect, it } from "vitest";
import { agentPresence, onlineWindowMs } from "./presence";

const NOW = 1_800_000_000_000;
const agent = (o: Partial<Parameters<typeof agentPresence>[0]> = {}) => ({ status: "online" as const, last_seen: new Date(NOW - 3_000).toISOString(), interval_s: 1, newest_sample_at: NOW - 3_000, ...o });

describe("onlineWindowMs", () => {
  it.each([
    [1, 5_000],
    [2, 6_000],
    [60, 180_000],
    [null, 15_000],
  ])("interval %s s → %i ms", (interval, want) => expect(onlineWindowMs(interval)).toBe(want));
});

describe("agentPresence", () => {
  it.each([
    { name: "streaming, sample 2 s ago", stream: { live: true, liveAt: NOW - 2_000 }, want: { status: "online", lastAt: NOW - 2_000 } },
    { name: "streaming, silent past the window", stream: { live: true, liveAt: NOW - 5_001 }, want: { status: "offline", lastAt: NOW - 5_001 } },
    { name: "stream not live: the hub's word", stream: { live: false, liveAt: NOW - 60_000 }, want: { status: "online", lastAt: NOW - 3_000 } },
    { name: "stream down, its last sample newer than the hub's answer", stream: { live: false, liveAt: NOW - 1_000 }, want: { status: "online", lastAt: NOW - 1_000 } },
    { name: "live but no fresh sample yet: the hub's word", stream: { live: true, liveAt: null }, want: { status: "online", lastAt: NOW - 3_000 } },
  ])("$name", ({ stream, want }) => expect(agentPresence(agent(), stream, NOW)).toEqual(want));

  it("uses the learned interval, and falls back to last_seen, then to never", () => {
    expect(agentPresence(agent({ interval_s: 10 }), { live: true, liveAt: NOW - 29_000 }, NOW).status).toBe("online");
    expect(agentPresence(agent({ newest_sample_at: null }), { live: false, liveAt: null }, NOW).lastAt).toBe(NOW - 3_000);
    expect(agentPresence(agent({ status: "pending", newest_sample_at: null, last_seen: null }), { live: false, liveAt: null }, NOW)).toEqual({ status: "pending", lastAt: null });
  });
});
