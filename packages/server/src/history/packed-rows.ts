/**
 * The writer's compact in-memory rows: the values of a sample in a Float64Array beside a key list
 * shared by every row of the same shape (8 bytes a value instead of a ~4 KiB dictionary object per
 * row), and their conversion to the codec's columns.
 */
import { encodeChunk, type ChunkData } from "./chunk-codec.js";
import type { EncodedRows, Rows } from "./chunk-rows.js";
import type { SeriesValues } from "./series.js";

export interface PackedRow {
  /** Shared by consecutive rows with the same series, so it costs nothing per row. */
  keys: readonly string[];
  values: Float64Array;
}

/** Rows of one window: time (epoch ms) → packed values. */
export type PackedRows = Map<number, PackedRow>;

/** Packs values, reusing `shape` (the previous row's key list) when the series are the same. */
export function packRow(values: SeriesValues, shape: readonly string[] | undefined): PackedRow {
  const keys = Object.keys(values);
  const same = shape !== undefined && shape.length === keys.length && keys.every((key, i) => key === shape[i]);
  const shared = same ? shape : keys;
  const packed = new Float64Array(shared.length);
  for (let i = 0; i < shared.length; i++) packed[i] = values[shared[i]!]!;
  return { keys: shared, values: packed };
}

export function packRows(rows: Rows): PackedRows {
  const packed: PackedRows = new Map();
  let shape: readonly string[] | undefined;
  for (const [t, values] of rows) {
    const row = packRow(values, shape);
    shape = row.keys;
    packed.set(t, row);
  }
  return packed;
}

export function chunkFromPackedRows(rows: PackedRows): ChunkData {
  const times = [...rows.keys()].sort((a, b) => a - b);
  const ordered = times.map((t) => rows.get(t)!);
  const indexOfShape = new Map<readonly string[], Map<string, number>>();
  for (const { keys } of ordered) {
    if (!indexOfShape.has(keys)) indexOfShape.set(keys, new Map(keys.map((key, i) => [key, i])));
  }
  const allKeys = new Set<string>();
  for (const shape of indexOfShape.keys()) for (const key of shape) allKeys.add(key);
  const columns = [...allKeys].sort().map((key) => ({
    key,
    values: ordered.map((row) => {
      const i = indexOfShape.get(row.keys)!.get(key);
      return i === undefined ? undefined : row.values[i];
    }),
  }));
  return { times, columns };
}

export function encodePackedRows(rows: PackedRows): EncodedRows {
  let valueCount = 0;
  for (const row of rows.values()) valueCount += row.keys.length;
  return { bytes: encodeChunk(chunkFromPackedRows(rows)), rowCount: rows.size, valueCount };
}
