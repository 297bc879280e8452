/**
 * Reads one agent's stored series from a tier over a time range: raw points as count-1 buckets, or
 * the stored rollup buckets, keyed by series and in time order, decoding only the wanted columns.
 */
import { decodeChunk } from "./chunk-codec.js";
import { baseKeyOf, bucketsOfRow } from "./bucket-rows.js";
import { rowsFromChunk } from "./chunk-rows.js";
import type { HistoryStore } from "./ports.js";
import type { Bucket } from "./rollup.js";
import { windowStart, type Tier } from "./tiers.js";
import type { TimeRange } from "./time-range.js";

export type SeriesBuckets = Map<string, Bucket[]>;

export async function readSeries(
  store: HistoryStore,
  agentId: number,
  tier: Tier,
  range: TimeRange,
  wanted: (key: string) => boolean,
): Promise<SeriesBuckets> {
  // A bucket that started before `start` still overlaps the range: rollup tiers include it.
  const from = tier.name === "raw" ? range.start : Math.floor(range.start / tier.resolutionMs) * tier.resolutionMs;
  const chunks = await store.readChunks(agentId, tier.name, windowStart(from, tier.chunkMs), windowStart(range.stop, tier.chunkMs));
  const series: SeriesBuckets = new Map();
  const add = (key: string, bucket: Bucket) => {
    const list = series.get(key) ?? [];
    series.set(key, list);
    list.push(bucket);
  };
  for (const chunk of chunks) {
    if (tier.name === "raw") {
      const data = decodeChunk(chunk.bytes, wanted);
      for (const column of data.columns) {
        column.values.forEach((v, i) => {
          const t = data.times[i]!;
          if (v !== undefined && t >= from && t <= range.stop) add(column.key, { start: t, avg: v, min: v, max: v, count: 1 });
        });
      }
    } else {
      for (const [start, row] of rowsFromChunk(decodeChunk(chunk.bytes, (column) => wanted(baseKeyOf(column))))) {
        if (start < from || start > range.stop) continue;
        for (const [key, bucket] of bucketsOfRow(row, start)) add(key, bucket);
      }
    }
  }
  return series;
}
