/**
 * Ranges answered from the 1m and 1h tiers end without a hole: the newest stretch, which the rollup
 * job has not reached (the minute still open, or no rollup run at all yet), comes from the finer tier.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createAgent, signUp, useTestHub, type SignedUp } from "../test-support/test-hub.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const FACTS = { hostname: "fresh-host", os: "linux", arch: "x64", version: "0.3.1" };

describe("history tail from the finer tier", () => {
  const ctx = useTestHub({ manualClock: true });
  let user: SignedUp;
  let agentId: number;
  /** 90 samples over the last 90 s: 10, 10.5, 11, … one per second; no rollup has run. */
  const usages = Array.from({ length: 90 }, (_, i) => 10 + i / 2);

  beforeAll(async () => {
    ctx.clock.set(Date.UTC(2026, 0, 1, 12, 0, 30));
    user = await signUp(ctx.url, "fresh");
    const agent = await createAgent(user);
    agentId = agent.id;
    const now = ctx.clock.now();
    const samples = usages.map((usage, i) => ({ seq: i, timestamp: now - (90 - i) * SECOND, cpu: { usage_percent: usage } }));
    const res = await ctx.http.post("/api/v1/ingest", { agent: FACTS, samples }, { headers: { "x-agent-token": agent.token } });
    expect(res.status).toBe(200);
  });

  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

  it.each([
    ["-2d", "1m"],
    ["-30d", "1h"],
  ])("start=%s (%s tier) shows samples of a brand-new agent before any rollup", async (start, tier) => {
    const res = await user.get(`/api/v1/agents/${agentId}/history/cpu?start=${start}&interval=1h`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tier, interval: "1h" });
    const [usage] = res.body.series;
    expect(usage.name).toBe("usage");
    // Every sample lies in the hour 11:00–12:00 except the last 30, which fall into 12:00.
    expect(usage.points).toEqual([
      { t: Date.UTC(2026, 0, 1, 11), v: mean(usages.slice(0, 60)), min: 10, max: 39.5 },
      { t: Date.UTC(2026, 0, 1, 12), v: mean(usages.slice(60)), min: 40, max: 54.5 },
    ]);
  });

  it("the summary from the 1h tier counts every sample exactly once after a rollup", async () => {
    ctx.clock.advance(MINUTE);
    await ctx.hub.history.flushAndRollup();
    const res = await user.get(`/api/v1/agents/${agentId}/history/summary?start=-30d`);
    expect(res.body).toMatchObject({ tier: "1h", cpu: { count: 90, min: 10, max: 54.5, last: 54.5 } });
    expect(res.body.cpu.avg).toBeCloseTo(mean(usages), 9);
  });
});
