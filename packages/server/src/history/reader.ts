/**
 * Reads one agent's stored series from a tier over a time range: raw points as count-1 buckets, or
 * the stored rollup buckets, keyed by series and in time order, decoding only the wanted columns.
 * With `intervalMs`, the buckets come already aggregated to that width (what `rollupBuckets` would
 * make of them), built while decoding, so a long range never holds one object per point.
 */
import { decodeChunk } from "./chunk-codec.js";
import { baseKeyOf, bucketColumnsOf } from "./bucket-rows.js";
import type { HistoryStore } from "./ports.js";
import { BucketAccumulator, type Bucket } from "./rollup.js";
import { windowStart, type Tier } from "./tiers.js";
import type { TimeRange } from "./time-range.js";

export type SeriesBuckets = Map<string, Bucket[]>;

interface BucketSink {
  add(start: number, avg: number, min: number, max: number, count: number): void;
  buckets(): Bucket[];
}

/** Keeps every bucket as read. */
class BucketList implements BucketSink {
  private readonly list: Bucket[] = [];
  add(start: number, avg: number, min: number, max: number, count: number): void {
    this.list.push({ start, avg, min, max, count });
  }
  buckets(): Bucket[] {
    return this.list;
  }
}

export async function readSeries(
  store: HistoryStore,
  agentId: number,
  tier: Tier,
  range: TimeRange,
  wantedKey: (key: string) => boolean,
  intervalMs?: number,
): Promise<SeriesBuckets> {
  // Every chunk asks about the same few dozen keys: each is parsed and decided once per read.
  const decided = new Map<string, boolean>();
  const wanted = (key: string): boolean => {
    let yes = decided.get(key);
    if (yes === undefined) decided.set(key, (yes = wantedKey(key)));
    return yes;
  };
  // A bucket that started before `start` still overlaps the range: rollup tiers include it.
  const from = tier.name === "raw" ? range.start : Math.floor(range.start / tier.resolutionMs) * tier.resolutionMs;
  const stop = range.stop;
  const chunks = await store.readChunks(agentId, tier.name, windowStart(from, tier.chunkMs), windowStart(stop, tier.chunkMs));
  const sinks = new Map<string, BucketSink>();
  const sinkOf = (key: string): BucketSink => {
    let sink = sinks.get(key);
    if (sink === undefined) sinks.set(key, (sink = intervalMs === undefined ? new BucketList() : new BucketAccumulator(intervalMs)));
    return sink;
  };
  for (const chunk of chunks) {
    if (tier.name === "raw") {
      const { times, columns } = decodeChunk(chunk.bytes, wanted);
      if (intervalMs !== undefined) {
        aggregateRawColumns(times, columns, from, stop, intervalMs, sinkOf);
        continue;
      }
      for (const { key, values } of columns) {
        let sink: BucketSink | undefined;
        for (let row = 0; row < values.length; row++) {
          const v = values[row];
          const t = times[row]!;
          if (v === undefined || t < from || t > stop) continue;
          (sink ??= sinkOf(key)).add(t, v, v, v, 1);
        }
      }
    } else {
      const { times, columns } = decodeChunk(chunk.bytes, (column) => wanted(baseKeyOf(column)));
      for (const { key, avg, min, max, count } of bucketColumnsOf(columns)) {
        let sink: BucketSink | undefined;
        for (let row = 0; row < times.length; row++) {
          const start = times[row]!;
          const a = avg[row];
          const n = min[row];
          const x = max[row];
          const c = count[row];
          if (a === undefined || n === undefined || x === undefined || c === undefined || c <= 0 || start < from || start > stop) continue;
          (sink ??= sinkOf(key)).add(start, a, n, x, c);
        }
      }
    }
  }
  const series: SeriesBuckets = new Map();
  for (const [key, sink] of sinks) series.set(key, sink.buckets());
  return series;
}

/**
 * The hot path of long raw reads: rows are in time order, so each column's points are summed in
 * local variables and handed to the sink once per interval bucket instead of once per point.
 */
function aggregateRawColumns(
  times: readonly number[],
  columns: ReadonlyArray<{ key: string; values: readonly (number | undefined)[] }>,
  from: number,
  stop: number,
  intervalMs: number,
  sinkOf: (key: string) => BucketSink,
): void {
  // Bucket of each row, or NaN outside the range: worked out once per chunk, not once per column.
  const bucketOfRow = times.map((t) => (t < from || t > stop ? NaN : Math.floor(t / intervalMs) * intervalMs));
  for (const { key, values } of columns) {
    let sink: BucketSink | undefined;
    let bucket = NaN;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let count = 0;
    for (let row = 0; row < values.length; row++) {
      const v = values[row];
      const at = bucketOfRow[row]!;
      if (v === undefined || Number.isNaN(at)) continue;
      if (at !== bucket) {
        if (count > 0) (sink ??= sinkOf(key)).add(bucket, sum / count, min, max, count);
        bucket = at;
        sum = 0;
        min = Infinity;
        max = -Infinity;
        count = 0;
      }
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      count++;
    }
    if (count > 0) (sink ??= sinkOf(key)).add(bucket, sum / count, min, max, count);
  }
}
