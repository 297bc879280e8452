/**
 * Rollup rows: the avg/min/max/count of every series in one bucket, stored as four codec columns per
 * series (`a:`, `n:`, `x:`, `c:` + the series key), and the aggregation of finer rows into them.
 */
import type { ChunkColumn, ChunkData } from "./chunk-codec.js";
import { bucketStart, mergeInto, type Bucket } from "./rollup.js";
import { decimalsOf, roundTo, type SeriesValues } from "./series.js";

const AVG = "a:";
const MIN = "n:";
const MAX = "x:";
const COUNT = "c:";

/** The stored key of the base series a rollup column belongs to. */
export const baseKeyOf = (column: string): string => column.slice(2);

/** Aggregates raw rows (each value a point) into one bucket per series. */
export function aggregatePoints(rows: Iterable<SeriesValues>, start: number): Map<string, Bucket> {
  const buckets = new Map<string, Bucket>();
  for (const row of rows) {
    for (const key in row) {
      const v = row[key]!;
      const current = buckets.get(key);
      if (current) mergeInto(current, v, v, v, 1);
      else buckets.set(key, { start, avg: v, min: v, max: v, count: 1 });
    }
  }
  return buckets;
}

/**
 * Aggregates decoded raw columns into the buckets of `into` (bucket start → series → bucket), for
 * rows whose bucket of `resolutionMs` is a key of `into`; others are skipped. Column by column, so
 * a rollup builds no row objects; each series' points merge in time order, which gives exactly
 * what `aggregatePoints` gives for the same rows.
 */
export function aggregateColumns(data: ChunkData, resolutionMs: number, into: ReadonlyMap<number, Map<string, Bucket>>): void {
  const starts = data.times.map((t) => bucketStart(t, resolutionMs));
  const targets = starts.map((start) => into.get(start));
  for (const { key, values } of data.columns) {
    let target: Map<string, Bucket> | undefined;
    let bucket: Bucket | undefined;
    for (let row = 0; row < values.length; row++) {
      const v = values[row];
      const rowTarget = targets[row];
      if (v === undefined || rowTarget === undefined) continue;
      if (rowTarget !== target) {
        target = rowTarget;
        bucket = target.get(key);
      }
      if (bucket) mergeInto(bucket, v, v, v, 1);
      else target.set(key, (bucket = { start: starts[row]!, avg: v, min: v, max: v, count: 1 }));
    }
  }
}


/** Aggregates finer rollup rows into one coarser bucket per series (count-weighted). */
export function aggregateBucketRows(rows: Iterable<SeriesValues>, start: number): Map<string, Bucket> {
  const buckets = new Map<string, Bucket>();
  // What `bucketsOfRow` does for each row, with each column's names worked out once per call, not once per row.
  const namesOf = new Map<string, BucketColumnNames | null>();
  for (const row of rows) {
    for (const column in row) {
      let names = namesOf.get(column);
      if (names === undefined) namesOf.set(column, (names = column.startsWith(AVG) ? columnNames(baseKeyOf(column)) : null));
      if (names === null) continue;
      const count = row[names.count];
      const min = row[names.min];
      const max = row[names.max];
      if (count === undefined || min === undefined || max === undefined || count <= 0) continue;
      const avg = row[column]!;
      const current = buckets.get(names.key);
      if (current === undefined) {
        buckets.set(names.key, { start, avg, min, max, count });
        continue;
      }
      mergeInto(current, avg, min, max, count);
    }
  }
  return buckets;
}

interface BucketColumnNames {
  key: string;
  min: string;
  max: string;
  count: string;
}

const columnNames = (key: string): BucketColumnNames => ({ key, min: MIN + key, max: MAX + key, count: COUNT + key });

/** One stored rollup row from buckets; the average keeps one decimal more than the series. */
export function rowOfBuckets(buckets: Map<string, Bucket>): SeriesValues {
  const row: SeriesValues = {};
  for (const [key, b] of buckets) {
    row[AVG + key] = roundTo(b.avg, decimalsOf(key) + 1);
    row[MIN + key] = b.min;
    row[MAX + key] = b.max;
    row[COUNT + key] = b.count;
  }
  return row;
}

export function bucketsOfRow(row: SeriesValues, start: number): Map<string, Bucket> {
  const buckets = new Map<string, Bucket>();
  for (const column in row) {
    if (!column.startsWith(AVG)) continue;
    const key = baseKeyOf(column);
    const count = row[COUNT + key];
    const min = row[MIN + key];
    const max = row[MAX + key];
    if (count === undefined || min === undefined || max === undefined || count <= 0) continue;
    buckets.set(key, { start, avg: row[column]!, min, max, count });
  }
  return buckets;
}

/** The four stored columns of one series in a decoded rollup chunk, one entry per row. */
export interface BucketColumns {
  key: string;
  avg: readonly (number | undefined)[];
  min: readonly (number | undefined)[];
  max: readonly (number | undefined)[];
  count: readonly (number | undefined)[];
}

/**
 * Groups decoded rollup columns by series, so a reader can walk many rows without building row
 * objects; a row holds a bucket of a series where all four are present and count > 0 (as in `bucketsOfRow`).
 */
export function bucketColumnsOf(columns: readonly ChunkColumn[]): BucketColumns[] {
  const valuesOf = new Map(columns.map((column) => [column.key, column.values]));
  const grouped: BucketColumns[] = [];
  for (const column of columns) {
    if (!column.key.startsWith(AVG)) continue;
    const key = baseKeyOf(column.key);
    const count = valuesOf.get(COUNT + key);
    const min = valuesOf.get(MIN + key);
    const max = valuesOf.get(MAX + key);
    if (count && min && max) grouped.push({ key, avg: column.values, min, max, count });
  }
  return grouped;
}

/** Keeps `existing` and adds only the series it lacks (for buckets whose finer data has expired). */
export function fillMissing(existing: SeriesValues | undefined, computed: SeriesValues): SeriesValues {
  if (!existing) return computed;
  const merged: SeriesValues = { ...existing };
  for (const column in computed) {
    if (!(AVG + baseKeyOf(column) in existing)) merged[column] = computed[column]!;
  }
  return merged;
}
