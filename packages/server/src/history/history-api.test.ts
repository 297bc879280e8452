/**
 * The history API over real HTTP, on a hub with a manual clock: every metric's series with exact
 * values from raw, 1m and 1h, the tier router at the issue's boundaries, start/stop/interval parsing
 * and bounds, mountpoint and interface filters, the summary's disk choice, ownership and auth.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { catalogError, createAgent, expectErrorCode, signUp, useTestHub, type SignedUp, type TestHubContext } from "../test-support/test-hub.js";

type Json = Record<string, any>;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const GB = 1e9;
/** Where the manual clock stands for every test of this file: 2026-01-01T00:00:00Z. */
const NOW = Date.UTC(2026, 0, 1);
const FACTS = { hostname: "db-01", os: "linux", arch: "x64", version: "0.3.1" };

async function ingest(ctx: TestHubContext, token: string, samples: Json[]): Promise<void> {
  for (let i = 0; i < samples.length; i += 1000) {
    const res = await ctx.http.post("/api/v1/ingest", { agent: FACTS, samples: samples.slice(i, i + 1000) }, { headers: { "x-agent-token": token } });
    if (res.status !== 200) throw new Error(`ingest: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** GET a history endpoint with the query given as plain (unencoded) values. */
function history(client: SignedUp, agentId: number, metric: string, query: Record<string, string> = {}) {
  return client.get(`/api/v1/agents/${agentId}/history/${metric}?${new URLSearchParams(query)}`);
}

/** Float noise (0.6000000000000001) rounded away, so hand-computed averages compare exactly. */
const tidy = <T>(value: T): T => JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v)));

/** Series keyed `name` or `name{label=value}`, each with its kind and points. */
function keyed(series: Json[]): Record<string, { kind: string; points: Json[] }> {
  const out: Record<string, { kind: string; points: Json[] }> = {};
  for (const s of tidy(series)) {
    const label = s.labels ? Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(",") : undefined;
    out[label ? `${s.name}{${label}}` : s.name] = { kind: s.kind, points: s.points };
  }
  return out;
}

// ---- A small known data set: three samples in minute M1, one in minute M2 ----

const M1 = NOW - 10 * MINUTE;
const M2 = M1 + MINUTE;
const KNOWN_TIMES = [M1, M1 + 20 * SECOND, M1 + 40 * SECOND, M2];

interface Reading {
  usage: number;
  cores: number[];
  freq: number;
  load: [number, number, number];
  memPercent: number;
  swap: number;
  rootPercent: number;
  /** read bytes, write bytes, read ops, write ops (cumulative). */
  io: [number, number, number, number];
  /** bytes sent, bytes recv, packets sent, packets recv, errin, dropin (cumulative). */
  eth0: [number, number, number, number, number, number];
  /** bytes sent, bytes recv (cumulative); wlan0 reports nothing else. */
  wlan0: [number, number];
}

const READINGS: Reading[] = [
  { usage: 10, cores: [5, 15], freq: 2000, load: [1.5, 1, 0.5], memPercent: 40, swap: 0, rootPercent: 50, io: [0, 0, 0, 0], eth0: [1000, 500, 10, 5, 0, 0], wlan0: [100, 0] },
  { usage: 20, cores: [25, 35], freq: 2400, load: [2.5, 1.2, 0.6], memPercent: 50, swap: 0, rootPercent: 51, io: [2000, 1000, 20, 10], eth0: [3000, 1500, 30, 15, 0, 0], wlan0: [300, 200] },
  { usage: 60, cores: [45, 55], freq: 2800, load: [3.5, 1.4, 0.7], memPercent: 60, swap: 3e8, rootPercent: 52, io: [6000, 1000, 60, 10], eth0: [7000, 2500, 50, 25, 1, 0], wlan0: [500, 400] },
  { usage: 45, cores: [50, 40], freq: 3000, load: [0.25, 0.75, 0.65], memPercent: 70, swap: 1e8, rootPercent: 53, io: [8000, 3000, 80, 30], eth0: [9000, 4500, 70, 45, 1, 2], wlan0: [700, 600] },
];

function knownSample(r: Reading, i: number): Json {
  const rootUsed = r.rootPercent * 5 * GB;
  return {
    seq: i,
    timestamp: KNOWN_TIMES[i],
    cpu: { usage_percent: r.usage, per_core_usage: r.cores, freq_mhz: { current: r.freq }, load_avg: r.load },
    memory: { used_percent: r.memPercent, used: r.memPercent * 0.1 * GB, available: (100 - r.memPercent) * 0.1 * GB, total: 10 * GB, swap_used: r.swap, swap_total: 2 * GB },
    disks: [
      { mountpoint: "/", used_percent: r.rootPercent, used: rootUsed, free: 500 * GB - rootUsed, total: 500 * GB },
      { mountpoint: "/home", used_percent: 20, used: 200 * GB, free: 800 * GB, total: 1000 * GB },
    ],
    disk_io: { read_bytes: r.io[0], write_bytes: r.io[1], read_ops: r.io[2], write_ops: r.io[3] },
    network: {
      interfaces: [
        { name: "eth0", bytes_sent: r.eth0[0], bytes_recv: r.eth0[1], packets_sent: r.eth0[2], packets_recv: r.eth0[3], errin: r.eth0[4], errout: 0, dropin: r.eth0[5], dropout: 0 },
        { name: "wlan0", bytes_sent: r.wlan0[0], bytes_recv: r.wlan0[1] },
      ],
    },
  };
}

/** A value, or [avg, min, max] of a bucket; for counters [min, newest]. */
type Agg = number | [number, number, number];
const point = (t: number, agg: Agg) => {
  const [v, min, max] = typeof agg === "number" ? [agg, agg, agg] : agg;
  return { t, v, min, max };
};
const gauge = (m1: Agg, m2: Agg) => ({ kind: "gauge", points: [point(M1, m1), point(M2, m2)] });
const counter = (m1: [min: number, newest: number], m2: number) => ({ kind: "counter", points: [point(M1, [m1[1], m1[0], m1[1]]), point(M2, m2)] });

/** The M1 and M2 buckets of every series, worked out by hand from READINGS (rates between samples 20 s apart). */
const EXPECTED: Record<string, Record<string, { kind: string; points: Json[] }>> = {
  cpu: {
    usage: gauge([30, 10, 60], 45),
    freq_mhz: gauge([2400, 2000, 2800], 3000),
    "core.0.usage": gauge([25, 5, 45], 50),
    "core.1.usage": gauge([35, 15, 55], 40),
  },
  load: {
    load1: gauge([2.5, 1.5, 3.5], 0.25),
    load5: gauge([1.2, 1, 1.4], 0.75),
    load15: gauge([0.6, 0.5, 0.7], 0.65),
  },
  memory: {
    used_percent: gauge([50, 40, 60], 70),
    used: gauge([5 * GB, 4 * GB, 6 * GB], 7 * GB),
    available: gauge([5 * GB, 4 * GB, 6 * GB], 3 * GB),
    total: gauge(10 * GB, 10 * GB),
    swap_used: gauge([1e8, 0, 3e8], 1e8),
    swap_total: gauge(2 * GB, 2 * GB),
  },
  disk: {
    // Rates exist from the second sample on: M1 averages two of them.
    read_bytes_per_s: gauge([150, 100, 200], 100),
    write_bytes_per_s: gauge([25, 0, 50], 100),
    read_ops_per_s: gauge([1.5, 1, 2], 1),
    write_ops_per_s: gauge([0.25, 0, 0.5], 1),
    "used_percent{mountpoint=/}": gauge([51, 50, 52], 53),
    "used{mountpoint=/}": gauge([255 * GB, 250 * GB, 260 * GB], 265 * GB),
    "free{mountpoint=/}": gauge([245 * GB, 240 * GB, 250 * GB], 235 * GB),
    "total{mountpoint=/}": gauge(500 * GB, 500 * GB),
    "used_percent{mountpoint=/home}": gauge(20, 20),
    "used{mountpoint=/home}": gauge(200 * GB, 200 * GB),
    "free{mountpoint=/home}": gauge(800 * GB, 800 * GB),
    "total{mountpoint=/home}": gauge(1000 * GB, 1000 * GB),
  },
  network: {
    // Totals only for the counters every interface reports (wlan0 has bytes only).
    bytes_sent: counter([1100, 7500], 9700),
    bytes_recv: counter([500, 2900], 5100),
    bytes_sent_per_s: gauge([160, 110, 210], 110),
    bytes_recv_per_s: gauge(60, 110),
    "bytes_sent{interface=eth0}": counter([1000, 7000], 9000),
    "bytes_recv{interface=eth0}": counter([500, 2500], 4500),
    "packets_sent{interface=eth0}": counter([10, 50], 70),
    "packets_recv{interface=eth0}": counter([5, 25], 45),
    "errin{interface=eth0}": counter([0, 1], 1),
    "errout{interface=eth0}": counter([0, 0], 0),
    "dropin{interface=eth0}": counter([0, 0], 2),
    "dropout{interface=eth0}": counter([0, 0], 0),
    "bytes_sent_per_s{interface=eth0}": gauge([150, 100, 200], 100),
    "bytes_recv_per_s{interface=eth0}": gauge(50, 100),
    "packets_sent_per_s{interface=eth0}": gauge(1, 1),
    "packets_recv_per_s{interface=eth0}": gauge(0.5, 1),
    "bytes_sent{interface=wlan0}": counter([100, 500], 700),
    "bytes_recv{interface=wlan0}": counter([0, 400], 600),
    "bytes_sent_per_s{interface=wlan0}": gauge(10, 10),
    "bytes_recv_per_s{interface=wlan0}": gauge(10, 10),
  },
};

const METRICS = ["cpu", "load", "memory", "disk", "network"] as const;

describe("history API", () => {
  const ctx = useTestHub({ manualClock: true, settings: { INGEST_RATE_LIMIT_PER_S: "10000" } });
  let user: SignedUp;
  let other: SignedUp;
  let known: number;

  beforeAll(async () => {
    ctx.clock.set(NOW);
    user = await signUp(ctx.url, "history-user");
    other = await signUp(ctx.url, "history-other");
    const agent = await createAgent(user, "known");
    known = agent.id;
    await ingest(ctx, agent.token, READINGS.map(knownSample));
    await ctx.hub.history.flushAndRollup();
  });

  describe("series of every metric", () => {
    it.each(METRICS)("%s: raw points bucketed by the interval asked for (1m) have the expected names, labels, kinds and values", async (metric) => {
      const res = await history(user, known, metric, { start: "-1h", interval: "1m" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ agent_id: known, metric, tier: "raw", interval: "1m", start: NOW - HOUR, stop: NOW });
      expect(keyed(res.body.series)).toEqual(EXPECTED[metric]);
    });

    it.each(METRICS)("%s: the 1m tier (start=-1441m, just past 24 h) answers the same buckets from its rollups", async (metric) => {
      const res = await history(user, known, metric, { start: "-1441m" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ tier: "1m", interval: "1m", start: NOW - 1441 * MINUTE, stop: NOW });
      expect(keyed(res.body.series)).toEqual(EXPECTED[metric]);
    });

    it("the 1h tier (start=-8d) averages minutes weighted by their sample counts", async () => {
      const res = await history(user, known, "cpu", { start: "-8d" });
      expect(res.body).toMatchObject({ tier: "1h", interval: "1h" });
      const usage = keyed(res.body.series).usage;
      // (30 × 3 samples + 45 × 1) / 4, not (30 + 45) / 2.
      expect(usage).toEqual({ kind: "gauge", points: [{ t: NOW - HOUR, v: 33.75, min: 10, max: 60 }] });
      const bytesSent = keyed((await history(user, known, "network", { start: "-8d", interface: "eth0" })).body.series)["bytes_sent{interface=eth0}"];
      expect(bytesSent).toEqual({ kind: "counter", points: [{ t: NOW - HOUR, v: 9000, min: 1000, max: 9000 }] });
    });

    it("raw points at the automatic interval are the samples themselves, t ascending", async () => {
      const res = await history(user, known, "cpu", { start: "-1h" });
      expect(res.body).toMatchObject({ tier: "raw", interval: "5s" });
      expect(keyed(res.body.series)["core.1.usage"]!.points).toEqual(READINGS.map((r, i) => point(KNOWN_TIMES[i]!, r.cores[1]!)));
      expect(keyed(res.body.series).usage!.points).toEqual(READINGS.map((r, i) => point(KNOWN_TIMES[i]!, r.usage)));
    });

    it("lists totals first, then per-core series, then per-mountpoint and per-interface ones", async () => {
      const names = async (metric: string) => (await history(user, known, metric, { start: "-1h" })).body.series.map((s: Json) => (s.labels ? `${s.name}|${Object.values(s.labels)[0]}` : s.name));
      expect(await names("cpu")).toEqual(["freq_mhz", "usage", "core.0.usage", "core.1.usage"]);
      expect(await names("load")).toEqual(["load1", "load5", "load15"]);
      expect(await names("memory")).toEqual(["available", "swap_total", "swap_used", "total", "used", "used_percent"]);
      const disk: string[] = await names("disk");
      expect(disk.slice(0, 4)).toEqual(["read_bytes_per_s", "read_ops_per_s", "write_bytes_per_s", "write_ops_per_s"]);
      expect(disk.slice(4).every((n) => n.includes("|"))).toBe(true);
      const network: string[] = await names("network");
      expect(network.slice(0, 4)).toEqual(["bytes_recv", "bytes_recv_per_s", "bytes_sent", "bytes_sent_per_s"]);
      expect(network.slice(4).every((n) => n.includes("|"))).toBe(true);
    });

    it("every series' points have ascending bucket starts and carry min and max, in every tier", async () => {
      for (const start of ["-1h", "-1441m", "-8d"]) {
        for (const metric of METRICS) {
          const res = await history(user, known, metric, { start, interval: "1m" });
          expect(res.body.series.length).toBeGreaterThan(0);
          for (const s of res.body.series as Json[]) {
            const times = s.points.map((p: Json) => p.t);
            expect(times).toEqual([...times].sort((a, b) => a - b));
            for (const p of s.points) {
              expect(p.t % MINUTE).toBe(0);
              expect(p.min).toBeLessThanOrEqual(p.v);
              expect(p.max).toBeGreaterThanOrEqual(p.v);
            }
          }
        }
      }
    });
  });

  describe("tier routing at the boundaries (clock at 2026-01-01T00:00Z)", () => {
    const minutes = [point(M1, [30, 10, 60]), point(M2, 45)];
    it.each([
      ["-23h", "raw", "1m", minutes],
      ["-24h", "raw", "1m", minutes],
      ["-1441m", "1m", "1m", minutes],
      // 25 h in 1 m buckets would touch 1,501 of them: 2m.
      ["-25h", "1m", "2m", [point(M1, [33.75, 10, 60])]],
      ["-6d", "1m", "10m", [point(NOW - 10 * MINUTE, [33.75, 10, 60])]],
      ["-7d", "1m", "10m", [point(NOW - 10 * MINUTE, [33.75, 10, 60])]],
      ["-10081m", "1h", "1h", [point(NOW - HOUR, [33.75, 10, 60])]],
      ["-8d", "1h", "1h", [point(NOW - HOUR, [33.75, 10, 60])]],
      ["-364d", "1h", "6h", [point(NOW - 6 * HOUR, [33.75, 10, 60])]],
      ["-365d", "1h", "6h", [point(NOW - 6 * HOUR, [33.75, 10, 60])]],
      ["-1y", "1h", "6h", [point(NOW - 6 * HOUR, [33.75, 10, 60])]],
    ])("start=%s reads the %s tier at interval %s", async (start, tier, interval, points) => {
      const res = await history(user, known, "cpu", { start });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ tier, interval, stop: NOW });
      expect(keyed(res.body.series).usage!.points).toEqual(points);
    });

    it.each(["-366d", "-53w", "-13mo", "-2y"])("start=%s is refused: the range is over 365 days", async (start) => {
      const res = await history(user, known, "cpu", { start });
      expectErrorCode(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.message).toBe("The range is longer than 365 days; ask for at most 365 days (e.g. start=-365d).");
    });

    it("accepts RFC 3339 start and stop (Z or an offset) and answers with those instants", async () => {
      for (const [start, stop] of [
        ["2025-12-31T23:45:00Z", "2025-12-31T23:55:00Z"],
        ["2026-01-01T00:45:00+01:00", "2025-12-31T18:55:00-05:00"],
        ["2025-12-31T23:45:00.000Z", "2025-12-31T23:55:00.000Z"],
      ]) {
        const res = await history(user, known, "cpu", { start: start!, stop: stop! });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ tier: "raw", interval: "1s", start: Date.UTC(2025, 11, 31, 23, 45), stop: Date.UTC(2025, 11, 31, 23, 55) });
        expect(keyed(res.body.series).usage!.points).toEqual(READINGS.map((r, i) => point(KNOWN_TIMES[i]!, r.usage)));
      }
    });

    it("an RFC 3339 start older than 24 h routes like the equivalent duration", async () => {
      const res = await history(user, known, "cpu", { start: "2025-12-30T00:00:00Z", stop: "2026-01-01T00:00:00Z" });
      expect(res.body).toMatchObject({ tier: "1m", interval: "2m", start: NOW - 2 * DAY, stop: NOW });
      expect(keyed(res.body.series).usage!.points).toEqual([point(M1, [33.75, 10, 60])]);
    });

    it("a relative stop ends the range before now", async () => {
      const before = await history(user, known, "cpu", { start: "-2h", stop: "-1h" });
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ tier: "raw", start: NOW - 2 * HOUR, stop: NOW - HOUR, series: [] });
      // Stops 10 s before M2's sample: M1's three samples only.
      const cut = await history(user, known, "cpu", { start: "-1h", stop: "-550s" });
      expect(cut.body).toMatchObject({ stop: NOW - 550 * SECOND });
      expect(keyed(cut.body.series).usage!.points.map((p) => p.v)).toEqual([10, 20, 60]);
    });

    it.each([
      ["-1h", "-2h"],
      ["-1h", "-1h"],
      ["2026-01-01T00:00:00Z", "now()"],
    ])("refuses a reversed or empty range start=%s stop=%s", async (start, stop) => {
      const res = await history(user, known, "cpu", { start, stop });
      expectErrorCode(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.message).toBe("start must be before stop");
    });

    it.each(["yesterday", "-1.5h", "2025-12-31", "2025-12-31T23:00:00", "1h", "-5 m", "now()", "", "-1x"])("refuses start=%j, saying what to send", async (start) => {
      const res = await history(user, known, "cpu", { start });
      expectErrorCode(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.message).toBe(`start: "${start}" is not a negative duration such as -1h, -7d or -1y, or an RFC 3339 time (e.g. 2026-11-23T10:00:00Z)`);
      expect(res.body.error.issues).toEqual([{ path: "query.start", message: "expected a negative duration such as -1h, -7d or -1y, or an RFC 3339 time" }]);
    });

    it.each(["tomorrow", "+1h", "now"])("refuses stop=%j, saying what to send", async (stop) => {
      const res = await history(user, known, "cpu", { start: "-1h", stop });
      expectErrorCode(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.message).toBe(`stop: "${stop}" is not now(), a negative duration such as -1h, or an RFC 3339 time (e.g. 2026-11-23T10:00:00Z)`);
    });

    it("refuses a start longer than the schema allows, naming the parameter", async () => {
      const res = await history(user, known, "cpu", { start: `-${"1".repeat(70)}h` });
      expectErrorCode(res, 400, "VALIDATION_FAILED");
      expect(JSON.stringify(res.body.error)).toContain("start");
    });
  });

  describe("interval", () => {
    /** 2,000 samples one second apart, ending a second before now: more than one series may show. */
    const DENSE_FROM = NOW - 2000 * SECOND;
    let dense: number;

    beforeAll(async () => {
      const agent = await createAgent(user, "dense");
      dense = agent.id;
      const samples = Array.from({ length: 2000 }, (_, i) => ({ seq: i, timestamp: DENSE_FROM + i * SECOND, cpu: { usage_percent: i % 100 } }));
      await ingest(ctx, agent.token, samples);
      await ctx.hub.history.flushAndRollup();
    });

    const usage = async (query: Record<string, string>) => {
      const res = await history(user, dense, "cpu", query);
      expect(res.status).toBe(200);
      const [series] = res.body.series as Json[];
      return { tier: res.body.tier as string, interval: res.body.interval as string, points: series!.points as Json[] };
    };

    it("is automatic when not given: the finest nice step that keeps a series under 1,500 points", async () => {
      const auto = await usage({ start: "-1h" });
      expect(auto).toMatchObject({ tier: "raw", interval: "5s" });
      expect(auto.points).toHaveLength(400);
      // Samples i..i+4 (values i % 100) in each 5 s bucket.
      expect(auto.points[0]).toEqual({ t: DENSE_FROM, v: 2, min: 0, max: 4 });
    });

    it("is kept when it fits: 10s over a raw hour", async () => {
      const res = await usage({ start: "-1h", interval: "10s" });
      expect(res.interval).toBe("10s");
      expect(res.points).toHaveLength(200);
      expect(res.points[1]).toEqual({ t: DENSE_FROM + 10 * SECOND, v: 14.5, min: 10, max: 19 });
    });

    it("is raised so that a series has at most 1,500 points (1s over an hour → 3s, not 2,000 points)", async () => {
      const res = await usage({ start: "-1h", interval: "1s" });
      expect(res.interval).toBe("3s");
      expect(res.points.length).toBeLessThanOrEqual(1500);
      expect(res.points).toHaveLength(667);
      expect(res.points.every((p) => p.t % (3 * SECOND) === 0)).toBe(true);
    });

    it.each([
      ["-1441m", "1s", "1m", "1m"],
      ["-25h", "1s", "1m", "2m"],
      ["-25h", "90s", "1m", "2m"],
      ["-25h", "5m", "1m", "5m"],
      ["-8d", "1m", "1h", "1h"],
      ["-30d", "10s", "1h", "1h"],
      ["-365d", "1h", "1h", "6h"],
      ["-1h", "1d", "raw", "1d"],
    ])("start=%s interval=%s reads %s at %s (never finer than the tier, a multiple of it)", async (start, interval, tier, used) => {
      const res = await history(user, dense, "cpu", { start, interval });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ tier, interval: used });
    });

    it.each(["0s", "abc", "5x", "-1m", "1.5h", "400d", "0", ""])("refuses interval=%j", async (interval) => {
      const res = await history(user, dense, "cpu", { start: "-1h", interval });
      expectErrorCode(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.message).toBe(`interval: "${interval}" is not a duration between 1s and 365d such as 10s, 5m, 1h or 1d`);
    });
  });

  describe("mountpoint and interface filters", () => {
    const MOUNTPOINTS = ["/", "/run/media/x/My Disk", "/snap/core/1.2", "C:\\", "/media/Données", "/mnt/a+b&c=d", "/weird|bar"];
    let disks: number;
    const DISK_TIME = NOW - 2 * MINUTE;

    beforeAll(async () => {
      const agent = await createAgent(user, "disks");
      disks = agent.id;
      const sample = (seq: number, timestamp: number) => ({
        seq,
        timestamp,
        disks: MOUNTPOINTS.map((mountpoint, i) => ({ mountpoint, used_percent: 10 + i, used: (10 + i) * GB, free: (90 - i) * GB, total: 100 * GB })),
        disk_io: { read_bytes: seq * 1000, write_bytes: 0, read_ops: seq, write_ops: 0 },
        network: {
          interfaces: ["eth0", "wlan0", "br-1a2b.100"].map((name, i) => ({ name, bytes_sent: (seq + 1) * 100 * (i + 1), bytes_recv: (seq + 1) * 10 * (i + 1), errin: i })),
        },
      });
      await ingest(ctx, agent.token, [sample(0, DISK_TIME), sample(1, DISK_TIME + 30 * SECOND)]);
      await ctx.hub.history.flushAndRollup();
    });

    it.each(MOUNTPOINTS.map((m, i) => [m, i] as const))("mountpoint=%j returns exactly that disk's series, from raw and from 1m", async (mountpoint, i) => {
      const expected = {
        [`used_percent{mountpoint=${mountpoint}}`]: { kind: "gauge", points: [{ t: DISK_TIME, v: 10 + i, min: 10 + i, max: 10 + i }] },
        [`used{mountpoint=${mountpoint}}`]: { kind: "gauge", points: [{ t: DISK_TIME, v: (10 + i) * GB, min: (10 + i) * GB, max: (10 + i) * GB }] },
        [`free{mountpoint=${mountpoint}}`]: { kind: "gauge", points: [{ t: DISK_TIME, v: (90 - i) * GB, min: (90 - i) * GB, max: (90 - i) * GB }] },
        [`total{mountpoint=${mountpoint}}`]: { kind: "gauge", points: [{ t: DISK_TIME, v: 100 * GB, min: 100 * GB, max: 100 * GB }] },
      };
      // URLSearchParams encodes the path (spaces, `+`, `&`, `=`, `\`, `|`, non-ASCII).
      const raw = await history(user, disks, "disk", { start: "-1h", interval: "1m", mountpoint });
      expect(raw.body).toMatchObject({ tier: "raw", interval: "1m" });
      expect(keyed(raw.body.series)).toEqual(expected);
      expect(raw.body.series.every((s: Json) => s.labels.mountpoint === mountpoint)).toBe(true);
      const minute = await history(user, disks, "disk", { start: "-1441m", mountpoint });
      expect(minute.body).toMatchObject({ tier: "1m", interval: "1m" });
      expect(keyed(minute.body.series)).toEqual(expected);
    });

    it("accepts a mountpoint encoded with %20 as well as +", async () => {
      const res = await user.get(`/api/v1/agents/${disks}/history/disk?start=-1h&mountpoint=${encodeURIComponent("/run/media/x/My Disk")}`);
      expect(res.body.series.map((s: Json) => s.labels)).toEqual(Array(4).fill({ mountpoint: "/run/media/x/My Disk" }));
    });

    it("without a mountpoint returns every disk and the I/O totals", async () => {
      const res = await history(user, disks, "disk", { start: "-1h" });
      const labels = new Set(res.body.series.map((s: Json) => s.labels?.mountpoint ?? "(total)"));
      expect(labels).toEqual(new Set([...MOUNTPOINTS, "(total)"]));
      expect(res.body.series).toHaveLength(MOUNTPOINTS.length * 4 + 4);
    });

    it.each(["/nope", "/run/media/x", "/snap/core/1", "c:\\", "C:", "/weird"])("an unknown mountpoint (%j) returns an empty series list", async (mountpoint) => {
      const res = await history(user, disks, "disk", { start: "-1h", mountpoint });
      expect(res.status).toBe(200);
      expect(res.body.series).toEqual([]);
    });

    it("interface= returns that interface's series only (no totals), and nothing for an unknown one", async () => {
      for (const [name, i] of [["eth0", 0], ["br-1a2b.100", 2]] as const) {
        const res = await history(user, disks, "network", { start: "-1h", interface: name });
        expect(keyed(res.body.series)).toEqual({
          [`bytes_sent{interface=${name}}`]: { kind: "counter", points: [point(DISK_TIME, 100 * (i + 1)), point(DISK_TIME + 30 * SECOND, 200 * (i + 1))] },
          [`bytes_recv{interface=${name}}`]: { kind: "counter", points: [point(DISK_TIME, 10 * (i + 1)), point(DISK_TIME + 30 * SECOND, 20 * (i + 1))] },
          [`errin{interface=${name}}`]: { kind: "counter", points: [point(DISK_TIME, i), point(DISK_TIME + 30 * SECOND, i)] },
          [`bytes_sent_per_s{interface=${name}}`]: { kind: "gauge", points: [point(DISK_TIME + 30 * SECOND, Number(((100 * (i + 1)) / 30).toFixed(2)))] },
          [`bytes_recv_per_s{interface=${name}}`]: { kind: "gauge", points: [point(DISK_TIME + 30 * SECOND, Number(((10 * (i + 1)) / 30).toFixed(2)))] },
        });
      }
      expect((await history(user, disks, "network", { start: "-1h", interface: "eth1" })).body.series).toEqual([]);
    });
  });

  describe("summary", () => {
    const EMPTY = { avg: null, min: null, max: null, last: null, count: 0 };

    it("gives avg/min/max/last/count of cpu, memory and the / disk over the last 24 h by default", async () => {
      const res = await user.get(`/api/v1/agents/${known}/history/summary`);
      expect(res.status).toBe(200);
      expect(tidy(res.body)).toEqual({
        agent_id: known,
        tier: "raw",
        start: NOW - DAY,
        stop: NOW,
        cpu: { avg: 33.75, min: 10, max: 60, last: 45, count: 4 },
        memory: { avg: 55, min: 40, max: 70, last: 70, count: 4 },
        disk: { avg: 51.5, min: 50, max: 53, last: 53, count: 4, mountpoint: "/" },
      });
    });

    it("mountpoint= selects another disk", async () => {
      const res = await user.get(`/api/v1/agents/${known}/history/summary?mountpoint=%2Fhome`);
      expect(res.body.disk).toEqual({ avg: 20, min: 20, max: 20, last: 20, count: 4, mountpoint: "/home" });
      const spaced = await user.get(`/api/v1/agents/${known}/history/summary?mountpoint=${encodeURIComponent("/run/media/x/My Disk")}`);
      expect(spaced.body.disk).toEqual({ ...EMPTY, mountpoint: "/run/media/x/My Disk" });
    });

    it.each([
      [["/boot", "/home", "/"], "/"],
      [["D:\\", "A:\\", "C:\\"], "C:\\"],
      [["/srv", "/data", "/data2"], "/data"],
    ])("without a mountpoint, of %j it summarizes %j", async (mountpoints, chosen) => {
      const agent = await createAgent(user, `mounts-${chosen}`);
      await ingest(ctx, agent.token, [
        { seq: 0, timestamp: NOW - MINUTE, disks: mountpoints.map((mountpoint, i) => ({ mountpoint, used_percent: 10 * (i + 1) })) },
      ]);
      const res = await user.get(`/api/v1/agents/${agent.id}/history/summary`);
      const value = 10 * (mountpoints.indexOf(chosen) + 1);
      expect(res.body.disk).toEqual({ avg: value, min: value, max: value, last: value, count: 1, mountpoint: chosen });
      expect(res.body.cpu).toEqual(EMPTY);
    });

    it("an empty range gives nulls and a count of 0", async () => {
      const res = await user.get(`/api/v1/agents/${known}/history/summary?start=-2h&stop=-1h`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ agent_id: known, tier: "raw", start: NOW - 2 * HOUR, stop: NOW - HOUR, cpu: EMPTY, memory: EMPTY, disk: { ...EMPTY, mountpoint: null } });
      const silent = await createAgent(user, "silent");
      const none = await user.get(`/api/v1/agents/${silent.id}/history/summary?start=-30d`);
      expect(none.body).toMatchObject({ tier: "1h", cpu: EMPTY, memory: EMPTY, disk: { ...EMPTY, mountpoint: null } });
    });

    it("refuses bad ranges like the metric endpoints", async () => {
      expectErrorCode(await user.get(`/api/v1/agents/${known}/history/summary?start=-400d`), 400, "VALIDATION_FAILED");
      expectErrorCode(await user.get(`/api/v1/agents/${known}/history/summary?start=soon`), 400, "VALIDATION_FAILED");
    });
  });

  describe("ownership and auth", () => {
    it("answers another user's agent exactly like a missing one (404)", async () => {
      const missing = 987_654;
      for (const path of ["history/cpu", "history/summary", "history/disk?mountpoint=%2F"]) {
        const theirs = await other.get(`/api/v1/agents/${known}/${path}`);
        const absent = await other.get(`/api/v1/agents/${missing}/${path}`);
        expect(theirs.status).toBe(404);
        expect(theirs.body).toEqual(catalogError("AGENT_NOT_FOUND"));
        expect(absent.status).toBe(404);
        expect(absent.body).toEqual(theirs.body);
      }
    });

    it("requires a signed-in user", async () => {
      expectErrorCode(await ctx.http.get(`/api/v1/agents/${known}/history/cpu`), 401, "UNAUTHENTICATED");
      expectErrorCode(await ctx.http.get(`/api/v1/agents/${known}/history/summary`), 401, "UNAUTHENTICATED");
      expectErrorCode(await user.get(`/api/v1/agents/${known}/history/cpu`, { token: "not-a-token" }), 401, "UNAUTHENTICATED");
    });

    it("refuses an unknown metric and a non-numeric agent id (400)", async () => {
      expectErrorCode(await user.get(`/api/v1/agents/${known}/history/gpu`), 400, "VALIDATION_FAILED");
      expectErrorCode(await user.get(`/api/v1/agents/${known}/history/CPU`), 400, "VALIDATION_FAILED");
      expectErrorCode(await user.get(`/api/v1/agents/abc/history/cpu`), 400, "VALIDATION_FAILED");
      expectErrorCode(await user.get(`/api/v1/agents/abc/history/summary`), 400, "VALIDATION_FAILED");
      expectErrorCode(await user.get(`/api/v1/agents/0/history/cpu`), 400, "VALIDATION_FAILED");
    });
  });
});
