/** The writer's packed rows encode exactly like plain rows, share key lists between rows of one shape, and keep mixed shapes apart. */
import { describe, expect, it } from "vitest";
import { chunkFromRows, type Rows } from "./chunk-rows.js";
import type { SeriesValues } from "./series.js";
import { chunkFromPackedRows, encodePackedRows, packRow, packRows } from "./packed-rows.js";

const rows: Rows = new Map<number, SeriesValues>([
  [3000, { "cpu.usage": 12.5, "mem.used": 100 }],
  [1000, { "cpu.usage": 10.25, "mem.used": 90 }],
  [2000, { "cpu.usage": 11, "mem.used": 95, "disk.used_percent|/mnt/My Disk": 40.5 }],
  [4000, { "mem.used": 101 }],
]);

describe("packed rows", () => {
  it("give the same columns as the plain rows, sorted by time, absent cells absent", () => {
    expect(chunkFromPackedRows(packRows(rows))).toEqual(chunkFromRows(rows));
    expect(chunkFromPackedRows(packRows(rows)).columns.find((c) => c.key === "disk.used_percent|/mnt/My Disk")!.values).toEqual([undefined, 40.5, undefined, undefined]);
  });

  it("count stored values and rows", () => {
    expect(encodePackedRows(packRows(rows))).toMatchObject({ rowCount: 4, valueCount: 8 });
  });

  it("share the key list of the previous row when the series are the same, and not otherwise", () => {
    const first = packRow({ a: 1, b: 2 }, undefined);
    const second = packRow({ a: 3, b: 4 }, first.keys);
    const third = packRow({ a: 5, c: 6 }, second.keys);
    expect(second.keys).toBe(first.keys);
    expect(third.keys).not.toBe(first.keys);
    expect([...third.values]).toEqual([5, 6]);
  });
});
