/** Converts between rows keyed by time (what the writer and rollups work with) and the codec's columns. */
import { encodeChunk, type ChunkData } from "./chunk-codec.js";
import type { SeriesValues } from "./series.js";

/** Rows of one chunk window: time (epoch ms) → the values present at that time. */
export type Rows = Map<number, SeriesValues>;

export function rowsFromChunk(data: ChunkData): Rows {
  const rows: Rows = new Map();
  data.times.forEach((t, i) => {
    const values: SeriesValues = {};
    for (const column of data.columns) {
      const v = column.values[i];
      if (v !== undefined) values[column.key] = v;
    }
    rows.set(t, values);
  });
  return rows;
}

export function chunkFromRows(rows: Rows): ChunkData {
  const times = [...rows.keys()].sort((a, b) => a - b);
  const keys = new Set<string>();
  for (const values of rows.values()) for (const key in values) keys.add(key);
  const ordered = times.map((t) => rows.get(t)!);
  return {
    times,
    columns: [...keys].sort().map((key) => ({ key, values: ordered.map((values) => values[key]) })),
  };
}

export interface EncodedRows {
  bytes: Uint8Array;
  rowCount: number;
  valueCount: number;
}

export function encodeRows(rows: Rows): EncodedRows {
  let valueCount = 0;
  for (const values of rows.values()) valueCount += Object.keys(values).length;
  return { bytes: encodeChunk(chunkFromRows(rows)), rowCount: rows.size, valueCount };
}
