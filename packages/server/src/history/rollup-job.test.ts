/** The rollup job on a real SQLite store: 1m and 1h buckets from hand-computed fixtures, late data, idempotence, expired finer data and the flush job's timing. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Sample } from "@statusmonitor/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type SqliteDatabase } from "../adapters/sqlite/database.js";
import { SqliteHistoryStore } from "../adapters/sqlite/history-store.js";
import { ManualClock } from "../core/clock.js";
import { createLogger } from "../core/logger.js";
import { HistoryCheckpoints } from "./checkpoints.js";
import { JOURNAL_CURSOR, ROLLUP_BATCH_MS, ROLLUP_CURSOR, flushAndRollup, pruneHistory, recoverRollups, type HistoryParts } from "./jobs.js";
import type { ChunkRecord } from "./ports.js";
import { readSeries } from "./reader.js";
import { RollupJob } from "./rollup-job.js";
import type { Bucket } from "./rollup.js";
import { resolveTiers, tierNamed } from "./tiers.js";
import { HistoryWriter } from "./writer.js";

const logger = createLogger({ level: "silent" });
const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** 2026-03-10T10:00:00Z and the minutes after it. */
const H = Date.UTC(2026, 2, 10, 10, 0, 0);
const M0 = H;
const M1 = H + MINUTE;
const M2 = H + 2 * MINUTE;

const tiers = resolveTiers();
const minuteTier = tierNamed(tiers, "1m");
const hourTier = tierNamed(tiers, "1h");
const rawTier = tierNamed(tiers, "raw");

describe("rollup job", () => {
  let dataDir: string;
  let db: SqliteDatabase;
  let store: SqliteHistoryStore;
  let clock: ManualClock;
  let writer: HistoryWriter;
  let rollups: RollupJob;
  let parts: HistoryParts;
  let agent: number;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-rollup-"));
    db = openDatabase({ dataDir, synchronous: "normal", logger });
    db.prepare("INSERT INTO users (id, username, password_hash, role, created_at) VALUES (1, 'owner', 'x', 'user', 0)").run();
    agent = Number(
      db.prepare("INSERT INTO agents (user_id, name, token_hash, token_issued_at, token_expires_at, created_at) VALUES (1, 'a', 'h', 0, 1, 0)").run().lastInsertRowid,
    );
    store = new SqliteHistoryStore(db);
    clock = new ManualClock(H + 2 * HOUR);
    writer = new HistoryWriter(store, tiers, logger);
    rollups = new RollupJob(store, tiers, clock);
    parts = { store, writer, rollups, tiers, checkpoints: new HistoryCheckpoints() };
  });
  afterEach(() => {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const sample = (timestamp: number, fields: { cpu?: number; memUsed?: number; load1?: number; load5?: number }): Sample => ({
    agent_id: agent,
    timestamp,
    ...(fields.cpu !== undefined && { cpu: { usage_percent: fields.cpu, ...(fields.load1 !== undefined && { load_avg: [fields.load1, fields.load5 ?? 0, 0] as [number, number, number] }) } }),
    ...(fields.memUsed !== undefined && { memory: { used: fields.memUsed } }),
  });
  const write = async (samples: Sample[], receivedAt?: number) => {
    writer.accept(samples.map((s) => ({ agent_id: agent, sample: s, ...(receivedAt !== undefined && { received_at: receivedAt }) })));
    await writer.flush();
  };
  const series = async (tier: typeof minuteTier, key: string, start = H - DAY, stop = H + DAY): Promise<Bucket[]> =>
    (await readSeries(store, agent, tier, { start, stop }, (k) => k === key)).get(key) ?? [];
  const chunksOf = async (tier: "1m" | "1h") =>
    (await store.readChunks(agent, tier, 0, Number.MAX_SAFE_INTEGER)).map((c: ChunkRecord) => ({ ...c, bytes: [...c.bytes] }));

  /** Minute M0: cpu 10, 20, 30, 45 and mem.used 1000, 2001, 3000; minute M1: cpu 1.5, 2.5, 6.01; one point of M2. */
  const FIXTURE: Sample[] = [];
  beforeEach(() => {
    FIXTURE.splice(
      0,
      FIXTURE.length,
      sample(M0, { cpu: 10, memUsed: 1000 }),
      sample(M0 + 15 * SECOND, { cpu: 20 }),
      sample(M0 + 30 * SECOND, { cpu: 30, memUsed: 2001 }),
      sample(M0 + 45 * SECOND, { cpu: 45, memUsed: 3000 }),
      sample(M1, { cpu: 1.5 }),
      sample(M1 + 20 * SECOND, { cpu: 2.5 }),
      sample(M1 + 59_999, { cpu: 6.01 }),
      sample(M2, { cpu: 99 }),
    );
  });
  const M0_CPU = { start: M0, avg: 26.25, min: 10, max: 45, count: 4 };
  /** 10.01 / 3 = 3.33666…, kept with one decimal more than the series' two. */
  const M1_CPU = { start: M1, avg: 3.337, min: 1.5, max: 6.01, count: 3 };
  /** 6001 / 3 = 2000.333…, kept with one decimal (bytes keep none). */
  const M0_MEM = { start: M0, avg: 2000.3, min: 1000, max: 3000, count: 3 };

  describe("buckets", () => {
    it("makes each 1m bucket the avg/min/max/count of the minute's raw points", async () => {
      await write(FIXTURE);
      const closed = writer.takeClosedMinutes(M2);
      expect(closed).toEqual(new Map([[agent, [M0, M1]]]));
      await rollups.rollup(agent, closed.get(agent)!);

      expect(await series(minuteTier, "cpu.usage")).toEqual([M0_CPU, M1_CPU]);
      expect(await series(minuteTier, "mem.used")).toEqual([M0_MEM]);
      expect((await series(rawTier, "cpu.usage")).map((b) => b.avg)).toEqual([10, 20, 30, 45, 1.5, 2.5, 6.01, 99]);
      expect((await chunksOf("1m")).map((c) => [c.windowStart, c.rowCount])).toEqual([[H, 2]]);
    });

    it("makes the 1h bucket the count-weighted aggregate of its minutes", async () => {
      await write(FIXTURE);
      await rollups.rollup(agent, [M0, M1]);

      // (26.25 × 4 + 3.337 × 3) / 7 = 16.43014…, not the 14.79 an average of averages would give.
      expect(await series(hourTier, "cpu.usage")).toEqual([{ start: H, avg: 16.43, min: 1.5, max: 45, count: 7 }]);
      expect(await series(hourTier, "mem.used")).toEqual([{ ...M0_MEM, start: H }]);
      expect((await chunksOf("1h")).map((c) => [c.windowStart, c.rowCount])).toEqual([[Date.UTC(2026, 2, 10), 1]]);

      // The minute left open joins the hour when it is rolled up.
      await rollups.rollup(agent, [M2]);
      expect(await series(minuteTier, "cpu.usage")).toEqual([M0_CPU, M1_CPU, { start: M2, avg: 99, min: 99, max: 99, count: 1 }]);
      // (105 + 10.011 + 99) / 8 = 26.751375
      expect(await series(hourTier, "cpu.usage")).toEqual([{ start: H, avg: 26.751, min: 1.5, max: 99, count: 8 }]);
    });

    it("puts minutes on both sides of midnight into their own hour and day chunks", async () => {
      const midnight = Date.UTC(2026, 2, 11);
      await write([sample(midnight - MINUTE, { cpu: 10 }), sample(midnight - 30 * SECOND, { cpu: 20 }), sample(midnight, { cpu: 40 })]);
      await rollups.rollup(agent, [midnight, midnight - MINUTE]);

      expect((await chunksOf("1m")).map((c) => c.windowStart)).toEqual([midnight - HOUR, midnight]);
      expect((await chunksOf("1h")).map((c) => c.windowStart)).toEqual([midnight - DAY, midnight]);
      expect(await series(hourTier, "cpu.usage", midnight - 2 * HOUR, midnight + HOUR)).toEqual([
        { start: midnight - HOUR, avg: 15, min: 10, max: 20, count: 2 },
        { start: midnight, avg: 40, min: 40, max: 40, count: 1 },
      ]);
    });

    it("reads rollup buckets that overlap the range, including one that started before it", async () => {
      await write(FIXTURE);
      await rollups.rollup(agent, [M0, M1, M2]);
      const starts = async (start: number, stop: number) => (await series(minuteTier, "cpu.usage", start, stop)).map((b) => b.start);
      expect(await starts(M0 + 30 * SECOND, M1)).toEqual([M0, M1]);
      expect(await starts(M1, M1)).toEqual([M1]);
      expect(await starts(M0, M1 - 1)).toEqual([M0]);
      expect(await starts(M1 - 1, M2 - 1)).toEqual([M0, M1]);
      expect(await starts(M2 + 1, M2 + MINUTE)).toEqual([M2]);
      expect(await starts(M2 + MINUTE, H + HOUR)).toEqual([]);
      expect((await series(hourTier, "cpu.usage", H + HOUR - 1, H + HOUR)).map((b) => b.start)).toEqual([H]);
      expect(await series(hourTier, "cpu.usage", H + HOUR, H + 2 * HOUR)).toEqual([]);
    });
  });

  describe("late data", () => {
    it("updates an already rolled-up minute and its hour when back-filled samples land in it", async () => {
      await write(FIXTURE);
      await rollups.rollup(agent, writer.takeClosedMinutes(M2).get(agent)!);

      await write([sample(M0 + 50 * SECOND, { cpu: 95 })]);
      const closed = writer.takeClosedMinutes(M2);
      expect(closed).toEqual(new Map([[agent, [M0]]]));
      await rollups.rollup(agent, closed.get(agent)!);

      // (10 + 20 + 30 + 45 + 95) / 5 = 40
      expect(await series(minuteTier, "cpu.usage")).toEqual([{ start: M0, avg: 40, min: 10, max: 95, count: 5 }, M1_CPU]);
      expect(await series(minuteTier, "mem.used")).toEqual([M0_MEM]);
      // (40 × 5 + 3.337 × 3) / 8 = 26.251375
      expect(await series(hourTier, "cpu.usage")).toEqual([{ start: H, avg: 26.251, min: 1.5, max: 95, count: 8 }]);
    });

    it("is idempotent: rolling up the same minutes again, together or one by one, writes the same chunks", async () => {
      await write(FIXTURE);
      await rollups.rollup(agent, [M0, M1]);
      const minuteChunks = await chunksOf("1m");
      const hourChunks = await chunksOf("1h");

      await rollups.rollup(agent, [M1, M0, M1]);
      expect(await chunksOf("1m")).toEqual(minuteChunks);
      expect(await chunksOf("1h")).toEqual(hourChunks);
      await rollups.rollup(agent, [M0]);
      await rollups.rollup(agent, [M1]);
      expect(await chunksOf("1m")).toEqual(minuteChunks);
      expect(await chunksOf("1h")).toEqual(hourChunks);
      // Re-appending the raw samples and rolling up again changes nothing either.
      await write(FIXTURE.slice(0, 7));
      await rollups.rollup(agent, writer.takeClosedMinutes(M2).get(agent)!);
      expect(await chunksOf("1m")).toEqual(minuteChunks);
      expect(await chunksOf("1h")).toEqual(hourChunks);
    });

    it("only adds missing series to a minute whose raw data has expired and been pruned", async () => {
      await write(FIXTURE.slice(0, 4));
      await rollups.rollup(agent, writer.takeClosedMinutes(clock.now()).get(agent)!);

      clock.set(H + 25 * HOUR);
      expect(await pruneHistory(parts, clock)).toBe(1);
      expect(await store.readChunks(agent, "raw", H, H)).toEqual([]);

      // The agent comes back after the outage: a current sample, then the back-fill of the past.
      await write([sample(clock.now(), { cpu: 1 })]);
      await write([sample(M0 + 5 * SECOND, { cpu: 99, load1: 1.5 })]);
      expect((await series(rawTier, "cpu.usage", H, H + HOUR)).map((b) => b.avg)).toEqual([99]);
      await rollups.rollup(agent, writer.takeClosedMinutes(clock.now()).get(agent)!);

      expect(await series(minuteTier, "cpu.usage")).toEqual([M0_CPU]);
      expect(await series(minuteTier, "mem.used")).toEqual([M0_MEM]);
      expect(await series(minuteTier, "load.load1")).toEqual([{ start: M0, avg: 1.5, min: 1.5, max: 1.5, count: 1 }]);
      // The hour is still within 1m retention, so it is recomputed from the minute rows.
      expect(await series(hourTier, "cpu.usage")).toEqual([{ ...M0_CPU, start: H }]);
      expect(await series(hourTier, "load.load1")).toEqual([{ start: H, avg: 1.5, min: 1.5, max: 1.5, count: 1 }]);
    });

    it("only adds missing series to an hour whose minutes have expired and been pruned", async () => {
      await write(FIXTURE.slice(0, 7));
      await rollups.rollup(agent, writer.takeClosedMinutes(clock.now()).get(agent)!);
      const hourCpu = { start: H, avg: 16.43, min: 1.5, max: 45, count: 7 };
      expect(await series(hourTier, "cpu.usage")).toEqual([hourCpu]);

      clock.set(H + 8 * DAY + HOUR);
      expect(await pruneHistory(parts, clock)).toBe(2);
      expect(await store.readChunks(agent, "1m", H, H)).toEqual([]);

      await write([sample(clock.now(), { cpu: 1 })]);
      await write([sample(M1 + 5 * SECOND, { cpu: 50, load1: 0.25, load5: 0.75 })]);
      await rollups.rollup(agent, writer.takeClosedMinutes(clock.now()).get(agent)!);

      expect(await series(hourTier, "cpu.usage")).toEqual([hourCpu]);
      expect(await series(hourTier, "load.load5")).toEqual([{ start: H, avg: 0.75, min: 0.75, max: 0.75, count: 1 }]);
      // The pruned minute comes back holding only what was back-filled.
      expect(await series(minuteTier, "cpu.usage")).toEqual([{ start: M1, avg: 50, min: 50, max: 50, count: 1 }]);
    });
  });

  describe("flushAndRollup", () => {
    it("rolls up only minutes closed at least 5 s ago, keeps the open one for later and saves the journal cursor", async () => {
      writer.accept([
        { agent_id: agent, sample: sample(M0 + 10 * SECOND, { cpu: 10 }), received_at: M0 + 10_100 },
        { agent_id: agent, sample: sample(M0 + 50 * SECOND, { cpu: 20 }), received_at: M0 + 50_100 },
        { agent_id: agent, sample: sample(M1 + 2 * SECOND, { cpu: 30 }), received_at: M1 + 2_100 },
      ]);

      clock.set(M1 + 4_999);
      await flushAndRollup(parts, clock, logger);
      expect((await series(rawTier, "cpu.usage")).map((b) => b.avg)).toEqual([10, 20, 30]);
      expect(writer.pendingRows).toBe(0);
      expect(await series(minuteTier, "cpu.usage")).toEqual([]);
      expect(await store.getCursor(JOURNAL_CURSOR)).toBe(M1 + 2_100);

      clock.set(M1 + 5_000);
      await flushAndRollup(parts, clock, logger);
      expect(await series(minuteTier, "cpu.usage")).toEqual([{ start: M0, avg: 15, min: 10, max: 20, count: 2 }]);
      expect(await series(hourTier, "cpu.usage")).toEqual([{ start: H, avg: 15, min: 10, max: 20, count: 2 }]);

      clock.set(M2 + 4_999);
      await flushAndRollup(parts, clock, logger);
      expect(await series(minuteTier, "cpu.usage")).toHaveLength(1);

      writer.accept([{ agent_id: agent, sample: sample(M1 + 40 * SECOND, { cpu: 60 }), received_at: M2 + 4_999 }]);
      clock.set(M2 + 5_000);
      await flushAndRollup(parts, clock, logger);
      expect(await series(minuteTier, "cpu.usage")).toEqual([
        { start: M0, avg: 15, min: 10, max: 20, count: 2 },
        { start: M1, avg: 45, min: 30, max: 60, count: 2 },
      ]);
      expect(await series(hourTier, "cpu.usage")).toEqual([{ start: H, avg: 30, min: 10, max: 60, count: 4 }]);
      expect(await store.getCursor(JOURNAL_CURSOR)).toBe(M2 + 4_999);
      expect(writer.takeClosedMinutes(Number.MAX_SAFE_INTEGER)).toEqual(new Map());
    });

    it("batched (the timer's runs): waits until the oldest closed minute has waited ROLLUP_BATCH_MS, then takes them all", async () => {
      writer.accept([0, 1, 2].map((m) => ({ agent_id: agent, sample: sample(M0 + m * MINUTE + 30 * SECOND, { cpu: 10 * (m + 1) }) })));
      // M0 closed at M1; with the 5 s grace it is due from M1 + 5 s, and batched from 4 min later.
      clock.set(M1 + 5_000 + ROLLUP_BATCH_MS - 1);
      await flushAndRollup(parts, clock, logger, { batched: true });
      expect(await series(minuteTier, "cpu.usage")).toEqual([]);
      clock.set(M1 + 5_000 + ROLLUP_BATCH_MS);
      await flushAndRollup(parts, clock, logger, { batched: true });
      expect((await series(minuteTier, "cpu.usage")).map((b) => [b.start, b.avg])).toEqual([
        [M0, 10],
        [M1, 20],
        [M0 + 2 * MINUTE, 30],
      ]);
    });

    it("after a crash, recomputes the rollups that were still waiting in the batch, from the saved rollup cursor", async () => {
      writer.accept([0, 1].map((m) => ({ agent_id: agent, sample: sample(M0 + m * MINUTE + 30 * SECOND, { cpu: 10 * (m + 1) }) })));
      // Written, but the batched rollup of M0 and M1 is not due yet: the cursor keeps M0.
      clock.set(M2 + 5_000);
      await flushAndRollup(parts, clock, logger, { batched: true });
      expect(await series(minuteTier, "cpu.usage")).toEqual([]);
      expect(await store.getCursor(ROLLUP_CURSOR)).toBe(M0);

      // The process dies: a new writer knows nothing of the waiting minutes until it recovers them.
      const restarted: HistoryParts = { ...parts, writer: new HistoryWriter(store, tiers, logger), checkpoints: new HistoryCheckpoints() };
      expect(await recoverRollups(restarted, clock, logger)).toBe(1);
      await flushAndRollup(restarted, clock, logger);
      expect((await series(minuteTier, "cpu.usage")).map((b) => [b.start, b.avg])).toEqual([
        [M0, 10],
        [M1, 20],
      ]);
      // Everything closed is rolled up now; the cursor moved to the open minute.
      expect(await store.getCursor(ROLLUP_CURSOR)).toBe(M2);
    });

    it("recovers nothing on a first start (no rollup cursor yet)", async () => {
      await write(FIXTURE);
      expect(await recoverRollups(parts, clock, logger)).toBe(0);
    });

    it("saves no cursor while nothing came from the journal or the bus with a receive time", async () => {
      writer.accept([{ agent_id: agent, sample: sample(M0, { cpu: 10 }) }]);
      clock.set(M2);
      await flushAndRollup(parts, clock, logger);
      expect(await series(minuteTier, "cpu.usage")).toEqual([{ start: M0, avg: 10, min: 10, max: 10, count: 1 }]);
      expect(await store.getCursor(JOURNAL_CURSOR)).toBeUndefined();
    });
  });
});
