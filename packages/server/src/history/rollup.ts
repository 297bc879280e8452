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
  const byStart = new Map<number, Bucket>();
  let last: Bucket | undefined;
  for (const item of items) {
    if (item.count <= 0 || !Number.isFinite(item.avg)) continue;
    const start = bucketStart(item.start, resolutionMs);
    // Items mostly come in time order, so most fall in the bucket the previous one did.
    const current = last !== undefined && last.start === start ? last : byStart.get(start);
    if (current === undefined) {
      last = { start, avg: item.avg, min: item.min, max: item.max, count: item.count };
      byStart.set(start, last);
    } else {
      mergeInto(current, item);
      last = current;
    }
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

/** `mergeBuckets` in place (same arithmetic, same results) for the bucket being built, without an object per item. */
function mergeInto(target: Bucket, item: Bucket): void {
  const count = target.count + item.count;
  target.avg = (target.avg * target.count + item.avg * item.count) / count;
  target.min = Math.min(target.min, item.min);
  target.max = Math.max(target.max, item.max);
  target.count = count;
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
