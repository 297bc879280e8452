/**
 * Reads one agent's stored series from a tier over a time range: raw points as count-1 buckets, or
 * the stored rollup buckets, keyed by series and in time order, decoding only the wanted columns.
 */
import { decodeChunk } from "./chunk-codec.js";
import { baseKeyOf, bucketsOfColumns } from "./bucket-rows.js";
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
  const listOf = (key: string) => {
    let list = series.get(key);
    if (list === undefined) series.set(key, (list = []));
    return list;
  };
  for (const chunk of chunks) {
    if (tier.name === "raw") {
      const { times, columns } = decodeChunk(chunk.bytes, wanted);
      for (const { key, values } of columns) {
        let list: Bucket[] | undefined;
        for (let row = 0; row < values.length; row++) {
          const v = values[row];
          const t = times[row]!;
          if (v === undefined || t < from || t > range.stop) continue;
          (list ??= listOf(key)).push({ start: t, avg: v, min: v, max: v, count: 1 });
        }
      }
    } else {
      const inRange = (start: number) => start >= from && start <= range.stop;
      for (const [key, buckets] of bucketsOfColumns(decodeChunk(chunk.bytes, (column) => wanted(baseKeyOf(column))), inRange)) {
        listOf(key).push(...buckets);
      }
    }
  }
  return series;
}
