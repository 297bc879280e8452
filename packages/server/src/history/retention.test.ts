/** Retention on a real SQLite store: each tier pruned exactly at its boundary, in batches, with custom retentions, and a file that stops growing. */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TierName } from "@statusmonitor/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATABASE_FILE, openDatabase, type SqliteDatabase } from "../adapters/sqlite/database.js";
import { SqliteHistoryStore } from "../adapters/sqlite/history-store.js";
import { ManualClock } from "../core/clock.js";
import { createLogger } from "../core/logger.js";
import { HistoryCheckpoints } from "./checkpoints.js";
import { pruneHistory, type HistoryParts } from "./jobs.js";
import type { ChunkRecord, HistoryStore } from "./ports.js";
import { RollupJob } from "./rollup-job.js";
import { resolveTiers, windowStart, type Tier } from "./tiers.js";
import { HistoryWriter } from "./writer.js";

const logger = createLogger({ level: "silent" });
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** 2026-01-01T00:00:00Z: a window start in every tier. */
const D = Date.UTC(2026, 0, 1);

/** The store, recording each prune call and each reclaim, so the batching can be checked. */
class RecordingStore implements HistoryStore {
  readonly prunes: Array<{ tier: TierName; maxChunks: number; removed: number }> = [];
  reclaims = 0;
  constructor(private readonly inner: HistoryStore) {}
  putChunks(chunks: ChunkRecord[]) {
    return this.inner.putChunks(chunks);
  }
  readChunks(agentId: number, tier: TierName, fromWindow: number, toWindow: number) {
    return this.inner.readChunks(agentId, tier, fromWindow, toWindow);
  }
  agentsWithChunksSince(tier: TierName, fromWindow: number) {
    return this.inner.agentsWithChunksSince(tier, fromWindow);
  }
  async prune(tier: TierName, windowBefore: number, maxChunks: number) {
    const removed = await this.inner.prune(tier, windowBefore, maxChunks);
    this.prunes.push({ tier, maxChunks, removed });
    return removed;
  }
  async reclaimSpace() {
    this.reclaims += 1;
    await this.inner.reclaimSpace();
  }
  getCursor(name: string) {
    return this.inner.getCursor(name);
  }
  setCursor(name: string, value: number) {
    return this.inner.setCursor(name, value);
  }
  usage() {
    return this.inner.usage();
  }
}

describe("history retention", () => {
  let dataDir: string;
  let db: SqliteDatabase;
  let store: RecordingStore;
  let clock: ManualClock;
  let agents: number[];

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-retention-"));
    db = openDatabase({ dataDir, synchronous: "normal", logger });
    db.prepare("INSERT INTO users (id, username, password_hash, role, created_at) VALUES (1, 'owner', 'x', 'user', 0)").run();
    const insert = db.prepare("INSERT INTO agents (user_id, name, token_hash, token_issued_at, token_expires_at, created_at) VALUES (1, ?, ?, 0, 1, 0)");
    agents = [1, 2, 3, 4, 5].map((i) => Number(insert.run(`agent ${i}`, `hash ${i}`).lastInsertRowid));
    store = new RecordingStore(new SqliteHistoryStore(db));
    clock = new ManualClock(D);
  });
  afterEach(() => {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const partsWith = (tiers: readonly Tier[]): HistoryParts => ({
    store,
    tiers,
    writer: new HistoryWriter(store, tiers, logger),
    rollups: new RollupJob(store, tiers, clock),
    checkpoints: new HistoryCheckpoints(),
  });
  const chunk = (agentId: number, tier: TierName, start: number, size = 16): ChunkRecord => ({
    agentId,
    tier,
    windowStart: start,
    rowCount: 1,
    valueCount: 1,
    bytes: new Uint8Array(size).fill(start % 251),
  });
  const starts = async (tier: TierName, agentId = agents[0]!) =>
    (await store.readChunks(agentId, tier, 0, Number.MAX_SAFE_INTEGER)).map((c) => c.windowStart);

  describe("default tiers", () => {
    const tiers = resolveTiers();

    it("keeps 24 h of raw, 7 d of 1m and 365 d of 1h", () => {
      expect(tiers.map((t) => [t.name, t.retentionMs, t.chunkMs])).toEqual([
        ["raw", 24 * HOUR, 5 * MINUTE],
        ["1m", 7 * DAY, HOUR],
        ["1h", 365 * DAY, DAY],
      ]);
    });

    it.each([
      { tier: "raw" as const, retention: 24 * HOUR, chunkMs: 5 * MINUTE },
      { tier: "1m" as const, retention: 7 * DAY, chunkMs: HOUR },
      { tier: "1h" as const, retention: 365 * DAY, chunkMs: DAY },
    ])("removes a $tier chunk once its whole window is older than the retention, and not a millisecond before", async ({ tier, retention, chunkMs }) => {
      const parts = partsWith(tiers);
      // The moment the window [D, D + chunkMs) is entirely older than the retention.
      const due = D + chunkMs + retention;
      // Chunks of the other tiers, young by their own retention all along, must all survive.
      const others = tiers.filter((t) => t.name !== tier).map((t) => chunk(agents[0]!, t.name, windowStart(due + chunkMs - 1, t.chunkMs)));
      await store.putChunks([chunk(agents[0]!, tier, D), chunk(agents[0]!, tier, D + chunkMs), chunk(agents[1]!, tier, D), ...others]);

      clock.set(due - 1);
      expect(await pruneHistory(parts, clock)).toBe(0);
      expect(await starts(tier)).toEqual([D, D + chunkMs]);

      clock.set(due);
      expect(await pruneHistory(parts, clock)).toBe(2);
      expect(await starts(tier)).toEqual([D + chunkMs]);
      expect(await starts(tier, agents[1])).toEqual([]);
      for (const other of others) expect(await starts(other.tier)).toEqual([other.windowStart]);

      clock.set(due + chunkMs - 1);
      expect(await pruneHistory(parts, clock)).toBe(0);
      clock.set(due + chunkMs);
      expect(await pruneHistory(parts, clock)).toBe(1);
      expect(await starts(tier)).toEqual([]);
    });

    it("prunes in batches of 500 and then gives the space back", async () => {
      const parts = partsWith(tiers);
      const old = Array.from({ length: 617 }, (_, i) => D + i * 5 * MINUTE);
      await store.putChunks(agents.slice(0, 2).flatMap((agentId) => old.map((w) => chunk(agentId, "raw", w, 512))));
      clock.set(old[old.length - 1]! + 5 * MINUTE + 24 * HOUR);
      // Young enough to stay: the window that has just begun.
      await store.putChunks([chunk(agents[0]!, "raw", windowStart(clock.now(), 5 * MINUTE))]);

      expect(await pruneHistory(parts, clock)).toBe(1234);
      expect(store.prunes).toEqual([
        { tier: "raw", maxChunks: 500, removed: 500 },
        { tier: "raw", maxChunks: 500, removed: 500 },
        { tier: "raw", maxChunks: 500, removed: 234 },
        { tier: "1m", maxChunks: 500, removed: 0 },
        { tier: "1h", maxChunks: 500, removed: 0 },
      ]);
      expect(store.reclaims).toBe(1);
      expect(await starts("raw")).toEqual([windowStart(clock.now(), 5 * MINUTE)]);
      expect(await starts("raw", agents[1])).toEqual([]);

      // Nothing more to remove: no batch beyond the first per tier, and nothing to reclaim.
      store.prunes.length = 0;
      expect(await pruneHistory(parts, clock)).toBe(0);
      expect(store.prunes.map((p) => p.removed)).toEqual([0, 0, 0]);
      expect(store.reclaims).toBe(1);
    });

    it("stops at a batch that comes back exactly full and empty after it", async () => {
      const parts = partsWith(tiers);
      await store.putChunks(Array.from({ length: 500 }, (_, i) => chunk(agents[i % 5]!, "1m", D + Math.floor(i / 5) * HOUR)));
      clock.set(D + 200 * HOUR + 7 * DAY);
      expect(await pruneHistory(parts, clock)).toBe(500);
      expect(store.prunes.filter((p) => p.tier === "1m").map((p) => p.removed)).toEqual([500, 0]);
    });
  });

  it("does not let the writer write an expired window back when a back-fill lands in it", async () => {
    const parts = partsWith(resolveTiers());
    const sample = (timestamp: number, usage: number) => ({ agent_id: agents[0]!, sample: { agent_id: agents[0]!, timestamp, cpu: { usage_percent: usage } } });
    // The agent's last live window, kept in the writer's memory after the flush.
    parts.writer.accept([sample(D + 1_000, 10), sample(D + 2_000, 20)]);
    await parts.writer.flush();
    // The agent stays quiet for longer than the raw retention: the chunk is pruned.
    clock.set(D + 5 * MINUTE + 24 * HOUR);
    expect(await pruneHistory(parts, clock)).toBe(1);
    // Its buffer sends one old sample into that same window.
    parts.writer.accept([sample(D + 3_000, 50)]);
    await parts.writer.flush();
    const [rewritten] = await store.readChunks(agents[0]!, "raw", D, D);
    expect(rewritten?.rowCount).toBe(1);
  });

  it("honours custom retentions from resolveTiers", async () => {
    const tiers = resolveTiers({ raw: 2 * HOUR, "1m": 3 * DAY });
    expect(tiers.map((t) => [t.name, t.retentionMs])).toEqual([
      ["raw", 2 * HOUR],
      ["1m", 3 * DAY],
      ["1h", 365 * DAY],
    ]);
    const now = D + 4 * HOUR;
    const raw = Array.from({ length: 48 }, (_, i) => D + i * 5 * MINUTE); // D … D + 3h55m
    const minute = Array.from({ length: 124 }, (_, i) => D - 5 * DAY + i * HOUR); // D − 5 d … D + 3 h
    const hour = Array.from({ length: 401 }, (_, i) => D - 400 * DAY + i * DAY); // D − 400 d … D
    await store.putChunks([
      ...raw.map((w) => chunk(agents[0]!, "raw", w)),
      ...minute.map((w) => chunk(agents[0]!, "1m", w)),
      ...hour.map((w) => chunk(agents[0]!, "1h", w)),
    ]);

    clock.set(now);
    // A window is kept while it ends after now − retention: raw after D + 2 h, 1m after D + 4 h − 3 d,
    // 1h after D + 4 h − 365 d (so the day starting at D − 365 d, which ends at D − 364 d, stays).
    expect(await pruneHistory(partsWith(tiers), clock)).toBe(24 + 52 + 35);
    expect(await starts("raw")).toEqual(raw.filter((w) => w >= D + 2 * HOUR));
    expect((await starts("raw")).length).toBe(24);
    expect(await starts("1m")).toEqual(minute.filter((w) => w >= D - 3 * DAY + 4 * HOUR));
    expect((await starts("1m")).length).toBe(72);
    expect(await starts("1h")).toEqual(hour.filter((w) => w >= D - 365 * DAY));
    expect((await starts("1h")).length).toBe(366);
  });

  it("keeps the database file from growing without bound while days of chunks come and go", async () => {
    // Short retentions, so the data kept reaches its steady state within the simulated days.
    const tiers = resolveTiers({ raw: 6 * HOUR, "1m": DAY, "1h": 2 * DAY });
    const parts = partsWith(tiers);
    const fileSize = () => {
      const file = path.join(dataDir, DATABASE_FILE);
      let size = statSync(file).size;
      try {
        size += statSync(`${file}-wal`).size;
      } catch {
        // The WAL file may not exist yet.
      }
      return size;
    };
    // Chunk sizes vary (a Park–Miller sequence), so freed space is not always a perfect fit.
    let seed = 7;
    const nextSize = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return 1200 + (seed % 1600);
    };

    const DAYS = 24;
    /** By then every tier holds all it keeps; the largest size seen so far is the reference. */
    const STEADY_AFTER_DAYS = 4;
    let writtenAfterSteady = 0;
    let steadySize = 0;
    let largestLater = 0;
    for (let hour = 0; hour < DAYS * 24; hour++) {
      const start = D + hour * HOUR;
      const chunks: ChunkRecord[] = [];
      for (const agentId of agents) {
        for (let i = 0; i < 12; i++) chunks.push(chunk(agentId, "raw", start + i * 5 * MINUTE, nextSize()));
        chunks.push(chunk(agentId, "1m", start, 2 * nextSize()));
        // The day's 1h chunk is rewritten every hour and grows through the day.
        chunks.push(chunk(agentId, "1h", windowStart(start, DAY), 200 * ((hour % 24) + 1)));
      }
      await store.putChunks(chunks);
      const bytes = chunks.reduce((sum, c) => sum + c.bytes.byteLength, 0);
      clock.set(start + HOUR);
      await pruneHistory(parts, clock);
      if (hour < STEADY_AFTER_DAYS * 24) steadySize = Math.max(steadySize, fileSize());
      else {
        largestLater = Math.max(largestLater, fileSize());
        writtenAfterSteady += bytes;
      }
    }

    const kept = (await store.usage()).reduce((sum, u) => sum + u.bytes, 0);
    // What is kept is the steady state: 6 h of raw, a day of 1m and the 1h chunks of the last days, per agent.
    expect(await starts("raw")).toEqual(Array.from({ length: 72 }, (_, i) => D + DAYS * DAY - 6 * HOUR + i * 5 * MINUTE));
    expect((await starts("1m")).length).toBe(24);
    expect(await starts("1h")).toEqual([D + (DAYS - 2) * DAY, D + (DAYS - 1) * DAY]);
    // Twenty more days wrote far more than the file holds, yet it grew by at most 10 %: freed pages are
    // reused, and reclaiming hands the rest back (nothing is left on the free list).
    expect(writtenAfterSteady).toBeGreaterThan(10 * steadySize);
    expect(largestLater).toBeLessThanOrEqual(steadySize * 1.1);
    expect(db.pragma("freelist_count", { simple: true })).toBe(0);
    expect(statSync(path.join(dataDir, DATABASE_FILE)).size).toBeLessThan(2.5 * kept);
  }, 10_000);
});
