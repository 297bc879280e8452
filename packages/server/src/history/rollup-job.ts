/**
 * Computes the 1m buckets of minutes whose raw data changed (when a minute closes, and again when
 * late samples land in it) from the raw tier, then the 1h bucket of each touched hour from its 1m
 * buckets. Recomputing from the finer tier makes it idempotent; a bucket whose finer data has
 * already expired only gains the series it lacked, so late data can never erase what was there.
 */
import type { Clock } from "../core/clock.js";
import { decodeChunk } from "./chunk-codec.js";
import { encodeRows, rowsFromChunk, type Rows } from "./chunk-rows.js";
import { aggregateBucketRows, aggregateColumns, fillMissing, rowOfBuckets } from "./bucket-rows.js";
import type { ChunkRecord, HistoryStore } from "./ports.js";
import type { Bucket } from "./rollup.js";
import type { SeriesValues } from "./series.js";
import { tierNamed, windowStart, type Tier } from "./tiers.js";

const MINUTE_MS = 60_000;

export class RollupJob {
  private readonly raw: Tier;
  private readonly minute: Tier;
  private readonly hour: Tier;

  constructor(
    private readonly store: HistoryStore,
    tiers: readonly Tier[],
    private readonly clock: Clock,
  ) {
    this.raw = tierNamed(tiers, "raw");
    this.minute = tierNamed(tiers, "1m");
    this.hour = tierNamed(tiers, "1h");
    // One 1m chunk is exactly one 1h bucket: the hour's rollup reads a single chunk.
    if (this.minute.chunkMs !== this.hour.resolutionMs || this.raw.chunkMs % MINUTE_MS !== 0) {
      throw new Error("history tiers: a 1m chunk must span one 1h bucket and raw chunks whole minutes");
    }
  }

  /** Recomputes the given minutes (starts, any order) of one agent and the hours they fall in. */
  async rollup(agentId: number, minutes: readonly number[]): Promise<void> {
    const byHour = new Map<number, number[]>();
    for (const m of minutes) {
      const hour = windowStart(m, this.minute.chunkMs);
      const list = byHour.get(hour) ?? [];
      byHour.set(hour, list);
      list.push(m);
    }
    const now = this.clock.now();
    const records: ChunkRecord[] = [];
    const hourRows = new Map<number, Map<number, SeriesValues>>();
    for (const [hour, hourMinutes] of byHour) {
      const minuteRows = await this.recomputeMinutes(agentId, hour, hourMinutes, now);
      records.push({ agentId, tier: "1m", windowStart: hour, ...encodeRows(minuteRows) });
      const day = windowStart(hour, this.hour.chunkMs);
      const hours = hourRows.get(day) ?? new Map<number, SeriesValues>();
      hourRows.set(day, hours);
      hours.set(hour, rowOfBuckets(aggregateBucketRows(minuteRows.values(), hour)));
    }
    for (const [day, hours] of hourRows) {
      const rows = await this.readRows(agentId, this.hour, day);
      for (const [hour, row] of hours) {
        const expired = hour + this.hour.resolutionMs <= now - this.minute.retentionMs;
        setRow(rows, hour, expired ? fillMissing(rows.get(hour), row) : row);
      }
      records.push({ agentId, tier: "1h", windowStart: day, ...encodeRows(rows) });
    }
    await this.store.putChunks(records);
  }

  private async recomputeMinutes(agentId: number, hour: number, minutes: number[], now: number): Promise<Rows> {
    const first = Math.min(...minutes);
    const last = Math.max(...minutes);
    const rawChunks = await this.store.readChunks(agentId, "raw", windowStart(first, this.raw.chunkMs), windowStart(last, this.raw.chunkMs));
    const byMinute = new Map<number, Map<string, Bucket>>();
    for (const m of minutes) byMinute.set(m, new Map());
    for (const chunk of rawChunks) aggregateColumns(decodeChunk(chunk.bytes), MINUTE_MS, byMinute);
    const rows = await this.readRows(agentId, this.minute, hour);
    for (const [m, buckets] of byMinute) {
      const computed = rowOfBuckets(buckets);
      const expired = m + MINUTE_MS <= now - this.raw.retentionMs;
      setRow(rows, m, expired ? fillMissing(rows.get(m), computed) : computed);
    }
    return rows;
  }

  private async readRows(agentId: number, tier: Tier, start: number): Promise<Rows> {
    const [chunk] = await this.store.readChunks(agentId, tier.name, start, start);
    return chunk ? rowsFromChunk(decodeChunk(chunk.bytes)) : new Map();
  }
}

/** Sets a bucket row, or removes it when it holds no series. */
function setRow(rows: Rows, start: number, row: SeriesValues): void {
  if (Object.keys(row).length === 0) rows.delete(start);
  else rows.set(start, row);
}
