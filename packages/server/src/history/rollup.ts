/**
 * Rollup aggregation for the 1m and 1h tiers: points or finer buckets become buckets of avg, min,
 * max and count. Pure; averages are always count-weighted, so rolling up rollups (1m → 1h) or
 * merging a late point into a closed bucket gives exactly what aggregating the raw points would.
 */
import type { Point } from "./chunk-codec.js";

export interface Bucket {
  /** Start of the bucket, epoch ms, a multiple of the resolution. */
  start: number;
  avg: number;
  min: number;
  max: number;
  count: number;
}

export interface Summary {
  avg: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

export const bucketStart = (t: number, resolutionMs: number): number => Math.floor(t / resolutionMs) * resolutionMs;

/** Combines two aggregates of the same bucket. */
export function mergeBuckets(a: Bucket, b: Bucket): Bucket {
  const count = a.count + b.count;
  return {
    start: a.start,
    avg: (a.avg * a.count + b.avg * b.count) / count,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    count,
  };
}

/** Aggregates finer buckets (a point is a bucket of count 1) into buckets of `resolutionMs`, sorted by start. */
export function rollupBuckets(items: readonly Bucket[], resolutionMs: number): Bucket[] {
  const accumulator = new BucketAccumulator(resolutionMs);
  for (const item of items) accumulator.add(item.start, item.avg, item.min, item.max, item.count);
  return accumulator.buckets();
}

/** `mergeBuckets` in place (the same arithmetic, so the same results), without an object per merge. */
export function mergeInto(bucket: Bucket, avg: number, min: number, max: number, count: number): void {
  const total = bucket.count + count;
  bucket.avg = (bucket.avg * bucket.count + avg * count) / total;
  bucket.min = Math.min(bucket.min, min);
  bucket.max = Math.max(bucket.max, max);
  bucket.count = total;
}

/**
 * Builds buckets of `resolutionMs` from finer buckets given one at a time, in any order (fastest in
 * time order): what `rollupBuckets` returns for the same items, without an object per item, so a
 * reader can aggregate a long range while decoding it.
 */
export class BucketAccumulator {
  private readonly byStart = new Map<number, Bucket>();
  private last: Bucket | undefined;

  constructor(private readonly resolutionMs: number) {}

  add(start: number, avg: number, min: number, max: number, count: number): void {
    if (count <= 0 || !Number.isFinite(avg)) return;
    const at = bucketStart(start, this.resolutionMs);
    const last = this.last;
    const current = last !== undefined && last.start === at ? last : this.byStart.get(at);
    if (current === undefined) {
      this.last = { start: at, avg, min, max, count };
      this.byStart.set(at, this.last);
      return;
    }
    mergeInto(current, avg, min, max, count);
    this.last = current;
  }

  buckets(): Bucket[] {
    return [...this.byStart.values()].sort((a, b) => a.start - b.start);
  }
}

/** Aggregates raw points; non-finite values (never stored by ingest) are skipped, not averaged. */
export function rollupPoints(points: readonly Point[], resolutionMs: number): Bucket[] {
  return rollupBuckets(
    points.map((p) => ({ start: p.t, avg: p.v, min: p.v, max: p.v, count: 1 })),
    resolutionMs,
  );
}

/** avg/min/max/count over any mix of buckets (and points as count-1 buckets), count-weighted. */
export function summarize(items: readonly Bucket[]): Summary {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const item of items) {
    if (item.count <= 0 || !Number.isFinite(item.avg)) continue;
    count += item.count;
    sum += item.avg * item.count;
    min = Math.min(min, item.min);
    max = Math.max(max, item.max);
  }
  return count === 0 ? { avg: null, min: null, max: null, count: 0 } : { avg: sum / count, min, max, count };
}
