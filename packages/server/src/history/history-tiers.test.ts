/**
 * History over time through a real hub on a manual clock: a week of ingested data answered by the
 * 1m and 1h tiers after raw has expired (the original's bug), count-weighted summaries from every
 * tier, and back-fill after an outage (stored, rolled into closed buckets, flagged on the bus).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SampleEnvelope } from "../core/bus.js";
import { createAgent, signIn, signUp, useTestHub, type SignedIn, type TestHubContext } from "../test-support/test-hub.js";

type Json = Record<string, any>;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FACTS = { hostname: "app-01", os: "linux", arch: "arm64", version: "0.3.1" };

async function ingest(ctx: TestHubContext, token: string, samples: Json[]): Promise<void> {
  const res = await ctx.http.post("/api/v1/ingest", { agent: FACTS, samples }, { headers: { "x-agent-token": token } });
  if (res.status !== 200) throw new Error(`ingest: ${res.status} ${JSON.stringify(res.body)}`);
}

async function query(client: SignedIn, agentId: number, metric: string, params: Record<string, string>): Promise<Json> {
  const res = await client.get(`/api/v1/agents/${agentId}/history/${metric}?${new URLSearchParams(params)}`);
  if (res.status !== 200) throw new Error(`history ${metric}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The points of one series (by name, and label value when given). */
function pointsOf(body: Json, name: string, label?: string): Json[] {
  const series = (body.series as Json[]).find((s) => s.name === name && (label === undefined || Object.values(s.labels ?? {})[0] === label));
  if (!series) throw new Error(`no series ${name} ${label ?? ""} in ${JSON.stringify(body.series.map((s: Json) => s.name))}`);
  return series.points;
}

/** avg/min/max/count of plain values, as the summary should report them. */
function statsOf(values: number[]) {
  return { avg: values.reduce((a, b) => a + b, 0) / values.length, min: Math.min(...values), max: Math.max(...values), count: values.length };
}

describe("a week of history (the original's bug: nothing older than 24 h could be read)", () => {
  const ctx = useTestHub({ manualClock: true, settings: { INGEST_RATE_LIMIT_PER_S: "10000" } });
  const T0 = Date.UTC(2026, 0, 1);
  const HOURS = 7 * 24;
  const END = T0 + HOURS * HOUR;
  // Each hour: one sample at :10 (value a), and three at :40:00/:20/:40 (values b-6, b, b+6).
  const a = (h: number) => 10 + (h % 24);
  const b = (h: number) => 50 + (h % 7) * 2;
  const diskOf = (h: number) => 30 + (h % 10);
  /** Every sample sent: time, cpu usage (memory is cpu + 20, the / disk diskOf(hour)). */
  const sent: Array<{ t: number; hour: number; cpu: number }> = [];
  let user: SignedIn;
  let agentId: number;

  const sampleAt = (t: number, hour: number, cpu: number) => {
    sent.push({ t, hour, cpu });
    return {
      seq: sent.length,
      timestamp: t,
      cpu: { usage_percent: cpu },
      memory: { used_percent: cpu + 20 },
      disks: [
        { mountpoint: "/data", used_percent: 80 },
        { mountpoint: "/", used_percent: diskOf(hour) },
      ],
    };
  };

  beforeAll(async () => {
    // The agent's token must be used within 5 minutes of its creation, on the hub's clock.
    ctx.clock.set(T0 + 15 * MINUTE);
    user = await signUp(ctx.url, "week-user");
    const agent = await createAgent(user, "week");
    agentId = agent.id;
    for (let h = 0; h < HOURS; h++) {
      const hour = T0 + h * HOUR;
      ctx.clock.set(hour + 15 * MINUTE);
      await ingest(ctx, agent.token, [sampleAt(hour + 10 * MINUTE, h, a(h))]);
      ctx.clock.set(hour + 45 * MINUTE);
      await ingest(ctx, agent.token, [-6, 0, 6].map((d, i) => sampleAt(hour + 40 * MINUTE + i * 20 * SECOND, h, b(h) + d)));
      await ctx.hub.history.flushAndRollup();
    }
    ctx.clock.set(END);
    await ctx.hub.history.flushAndRollup();
    // A week on, the first access token has long expired.
    user = await signIn(ctx.url, "week-user");
  });

  it("retention removes the raw chunks older than 24 h, and only those", async () => {
    // Two 5-minute raw windows per hour (:10 and :40); those of the first 144 hours ended more than 24 h ago.
    expect(await ctx.hub.history.prune()).toBe(144 * 2);
    const raw = await ctx.hub.adapters.history.readChunks(agentId, "raw", T0, END);
    expect(raw.map((c) => c.windowStart)).toEqual(
      Array.from({ length: 24 }, (_, i) => [T0 + (144 + i) * HOUR + 10 * MINUTE, T0 + (144 + i) * HOUR + 40 * MINUTE]).flat(),
    );
  });

  it("-30d is answered by the 1h tier: one count-weighted bucket per hour of the week", async () => {
    const body = await query(user, agentId, "cpu", { start: "-30d" });
    expect(body).toMatchObject({ tier: "1h", interval: "1h", start: END - 30 * DAY, stop: END });
    const expected = Array.from({ length: HOURS }, (_, h) => ({ t: T0 + h * HOUR, v: (a(h) + 3 * b(h)) / 4, min: a(h), max: b(h) + 6 }));
    expect(pointsOf(body, "usage")).toEqual(expected);
    // Hour 5: samples 15, 54, 60, 66 average 48.75; its two minutes (15 and 60) would give 37.5.
    expect(pointsOf(body, "usage")[5]).toEqual({ t: T0 + 5 * HOUR, v: 48.75, min: 15, max: 66 });
  });

  it("-7d is answered by the 1m tier: every sent minute of the week, with its band", async () => {
    const body = await query(user, agentId, "cpu", { start: "-7d" });
    expect(body).toMatchObject({ tier: "1m", interval: "10m", start: T0, stop: END });
    const expected = Array.from({ length: HOURS }, (_, h) => [
      { t: T0 + h * HOUR + 10 * MINUTE, v: a(h), min: a(h), max: a(h) },
      { t: T0 + h * HOUR + 40 * MINUTE, v: b(h), min: b(h) - 6, max: b(h) + 6 },
    ]).flat();
    expect(pointsOf(body, "usage")).toEqual(expected);
  });

  it("-3d is answered by the 1m tier although raw has expired, at 5m or an hourly interval", async () => {
    const body = await query(user, agentId, "memory", { start: "-3d" });
    expect(body).toMatchObject({ tier: "1m", interval: "5m", start: END - 3 * DAY });
    const points = pointsOf(body, "used_percent");
    expect(points).toHaveLength(72 * 2);
    expect(points[0]).toEqual({ t: T0 + 96 * HOUR + 10 * MINUTE, v: a(96) + 20, min: a(96) + 20, max: a(96) + 20 });
    expect(points[1]).toEqual({ t: T0 + 96 * HOUR + 40 * MINUTE, v: b(96) + 20, min: b(96) + 14, max: b(96) + 26 });

    const hourly = await query(user, agentId, "cpu", { start: "-3d", interval: "1h" });
    expect(hourly).toMatchObject({ tier: "1m", interval: "1h" });
    expect(pointsOf(hourly, "usage")).toEqual(
      Array.from({ length: 72 }, (_, i) => 96 + i).map((h) => ({ t: T0 + h * HOUR, v: (a(h) + 3 * b(h)) / 4, min: a(h), max: b(h) + 6 })),
    );
  });

  it("disk series per mountpoint survive the tiers too", async () => {
    const body = await query(user, agentId, "disk", { start: "-30d", mountpoint: "/" });
    expect(body.series.map((s: Json) => [s.name, s.labels])).toEqual([["used_percent", { mountpoint: "/" }]]);
    expect(pointsOf(body, "used_percent").map((p) => p.v)).toEqual(Array.from({ length: HOURS }, (_, h) => diskOf(h)));
  });

  describe("summary: count-weighted whichever tier answers", () => {
    const expectedSummary = (from: number) => {
      const inRange = sent.filter((s) => s.t >= from);
      const disk = statsOf(inRange.map((s) => diskOf(s.hour)));
      return { cpu: statsOf(inRange.map((s) => s.cpu)), memory: statsOf(inRange.map((s) => s.cpu + 20)), disk };
    };

    it.each([
      // [start, tier, range start, the newest point's value: raw sample / newest 1m bucket]. The 1h
      // tier's newest hour is read from the 1m tier (it may not be rolled up yet), so its `last` is a minute's.
      ["-1h", "raw", END - HOUR, b(HOURS - 1) + 6],
      ["-3d", "1m", END - 3 * DAY, b(HOURS - 1)],
      ["-7d", "1m", T0, b(HOURS - 1)],
      ["-8d", "1h", T0, b(HOURS - 1)],
      ["-30d", "1h", T0, b(HOURS - 1)],
    ] as const)("start=%s: from the %s tier", async (start, tier, from, last) => {
      const res = await user.get(`/api/v1/agents/${agentId}/history/summary?start=${start}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ agent_id: agentId, tier, stop: END });
      const expected = expectedSummary(from);
      for (const [field, want, lastValue] of [
        ["cpu", expected.cpu, last],
        ["memory", expected.memory, last + 20],
      ] as const) {
        const got = res.body[field];
        expect(got).toMatchObject({ min: want.min, max: want.max, count: want.count, last: lastValue });
        expect(got.avg).toBeCloseTo(want.avg, 9);
      }
      expect(res.body.disk).toMatchObject({ mountpoint: "/", min: expected.disk.min, max: expected.disk.max, count: expected.disk.count, last: diskOf(HOURS - 1) });
      expect(res.body.disk.avg).toBeCloseTo(expected.disk.avg, 9);
    });

    it("mountpoint= summarizes another disk from the rollup tiers", async () => {
      const res = await user.get(`/api/v1/agents/${agentId}/history/summary?start=-30d&mountpoint=%2Fdata`);
      expect(res.body.disk).toEqual({ avg: 80, min: 80, max: 80, last: 80, count: HOURS * 4, mountpoint: "/data" });
    });

    it("a range with no data gives nulls and a count of 0 from a rollup tier", async () => {
      const res = await user.get(`/api/v1/agents/${agentId}/history/summary?start=-20d&stop=-10d`);
      const empty = { avg: null, min: null, max: null, last: null, count: 0 };
      expect(res.body).toEqual({ agent_id: agentId, tier: "1h", start: END - 20 * DAY, stop: END - 10 * DAY, cpu: empty, memory: empty, disk: { ...empty, mountpoint: null } });
    });
  });
});

describe("back-fill: an agent returning after an outage", () => {
  const ctx = useTestHub({ manualClock: true, settings: { INGEST_RATE_LIMIT_PER_S: "10000" } });
  const C = Date.UTC(2026, 0, 10);
  const envelopes: SampleEnvelope[] = [];
  let user: SignedIn;
  let agent: { id: number; token: string };
  /** Every envelope the bus carried for the agent since the last call. */
  const drained = () => envelopes.splice(0).filter((e) => e.agent_id === agent.id);
  const cpuSample = (t: number, usage: number) => ({ seq: t / SECOND, timestamp: t, cpu: { usage_percent: usage } });

  beforeAll(async () => {
    ctx.clock.set(C);
    user = await signUp(ctx.url, "backfill-user");
    agent = await createAgent(user, "returning");
    const subscription = await ctx.hub.adapters.bus.subscribeSamples("live", (batch) => void envelopes.push(...batch));
    return () => subscription.close();
  });

  it("live samples are stored and rolled up, and are not flagged as back-fill", async () => {
    // One sample a minute, C-31m … C-1m, all at 10 %.
    await ingest(ctx, agent.token, Array.from({ length: 31 }, (_, i) => cpuSample(C - (31 - i) * MINUTE, 10)));
    expect(drained().map((e) => e.backfill)).toEqual(Array(31).fill(false));
    await ctx.hub.history.flushAndRollup();

    const minutes = await query(user, agent.id, "cpu", { start: "-1441m" });
    expect(minutes).toMatchObject({ tier: "1m", interval: "1m" });
    expect(pointsOf(minutes, "usage").find((p) => p.t === C - 20 * MINUTE)).toEqual({ t: C - 20 * MINUTE, v: 10, min: 10, max: 10 });
    const hours = await query(user, agent.id, "cpu", { start: "-8d" });
    expect(pointsOf(hours, "usage")).toEqual([{ t: C - HOUR, v: 10, min: 10, max: 10 }]);
  });

  it("a batch of older samples is stored, flagged on the bus, and changes the closed minutes and hours it lands in", async () => {
    ctx.clock.set(C + 30 * SECOND);
    const outage = Array.from({ length: 6 }, (_, i) => cpuSample(C - 3 * HOUR + i * 10 * MINUTE, 70 + i));
    const late = cpuSample(C - 20 * MINUTE + 30 * SECOND, 50);
    const current = cpuSample(C + 20 * SECOND, 20);
    await ingest(ctx, agent.token, [...outage, late, current]);
    const flagged = drained().map((e) => [e.sample.timestamp, e.backfill]);
    expect(flagged).toEqual([...outage.map((s) => [s.timestamp, true]), [late.timestamp, true], [current.timestamp, false]]);

    // Visible in raw at once (a raw read flushes the writer first).
    const raw = await query(user, agent.id, "cpu", { start: "-4h", interval: "10m" });
    expect(raw).toMatchObject({ tier: "raw", interval: "10m" });
    expect(pointsOf(raw, "usage").slice(0, 6)).toEqual(outage.map((s) => ({ t: s.timestamp, v: s.cpu.usage_percent, min: s.cpu.usage_percent, max: s.cpu.usage_percent })));

    ctx.clock.set(C + 2 * MINUTE);
    await ctx.hub.history.flushAndRollup();
    const minutes = pointsOf(await query(user, agent.id, "cpu", { start: "-1441m" }), "usage");
    // The closed minute C-20m now averages the live 10 and the late 50.
    expect(minutes.find((p) => p.t === C - 20 * MINUTE)).toEqual({ t: C - 20 * MINUTE, v: 30, min: 10, max: 50 });
    expect(minutes.filter((p) => p.t < C - HOUR)).toEqual(outage.map((s) => ({ t: s.timestamp, v: s.cpu.usage_percent, min: s.cpu.usage_percent, max: s.cpu.usage_percent })));
    expect(minutes.find((p) => p.t === C)).toEqual({ t: C, v: 20, min: 20, max: 20 });

    const hours = pointsOf(await query(user, agent.id, "cpu", { start: "-8d" }), "usage");
    expect(hours).toEqual([
      { t: C - 3 * HOUR, v: 72.5, min: 70, max: 75 },
      // 31 live samples at 10 and the late 50: 360 / 32.
      { t: C - HOUR, v: 11.25, min: 10, max: 50 },
      { t: C, v: 20, min: 20, max: 20 },
    ]);

    const summary = await user.get(`/api/v1/agents/${agent.id}/history/summary?start=-4h`);
    expect(summary.body.cpu).toEqual({ avg: (31 * 10 + 50 + 20 + 70 + 71 + 72 + 73 + 74 + 75) / 39, min: 10, max: 75, last: 20, count: 39 });
  });

  it("samples from two days back (raw retention already passed for them) reach the 1m and 1h tiers", async () => {
    const old = [cpuSample(C - 2 * DAY, 40), cpuSample(C - 2 * DAY + 20 * SECOND, 60), cpuSample(C - 2 * DAY + 40 * SECOND, 80)];
    await ingest(ctx, agent.token, old);
    expect(drained().map((e) => e.backfill)).toEqual([true, true, true]);
    await ctx.hub.history.flushAndRollup();

    const minutes = await query(user, agent.id, "cpu", { start: "-3d", interval: "1m" });
    // 1m asked, raised to 3m: 3 days in at most 1,500 points.
    expect(minutes).toMatchObject({ tier: "1m", interval: "3m" });
    expect(pointsOf(minutes, "usage")[0]).toEqual({ t: C - 2 * DAY, v: 60, min: 40, max: 80 });
    const hours = await query(user, agent.id, "cpu", { start: "-8d" });
    expect(pointsOf(hours, "usage")[0]).toEqual({ t: C - 2 * DAY, v: 60, min: 40, max: 80 });
    const summary = await user.get(`/api/v1/agents/${agent.id}/history/summary?start=-3d`);
    expect(summary.body.cpu).toMatchObject({ min: 10, max: 80, count: 42 });
  });

  it("re-sending the same back-fill is idempotent: nothing is counted twice", async () => {
    const before = (await user.get(`/api/v1/agents/${agent.id}/history/summary?start=-8d`)).body;
    const again = [cpuSample(C - 2 * DAY, 40), cpuSample(C - 3 * HOUR, 70)];
    await ingest(ctx, agent.token, again);
    await ctx.hub.history.flushAndRollup();
    expect((await user.get(`/api/v1/agents/${agent.id}/history/summary?start=-8d`)).body).toEqual(before);
    expect(before.cpu.count).toBe(42);
  });
});
