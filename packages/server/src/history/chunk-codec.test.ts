/** Seeded property tests of the chunk codec: generated chunks round-trip bit for bit, column selection, key listing, errors and size bounds. */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../test-support/seeded-random.js";
import { chunkKeys, decodeChunk, encodeChunk, type ChunkColumn, type ChunkData } from "./chunk-codec.js";

const random = seededRandom;

type Next = () => number;
type Value = number | undefined;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const scratch = new DataView(new ArrayBuffer(8));
const fromBits = (high: number, low: number) => (scratch.setUint32(0, high), scratch.setUint32(4, low), scratch.getFloat64(0));

const SPECIAL_VALUES = [0, -0, 1, -1, NaN, fromBits(0x7ff80000, 1), fromBits(0x7ff00000, 1), fromBits(0xfff12345, 0x6789), Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** -1022, 0.1, 99.9, 1e300, 2 ** 48, 2 ** 53];
const WEIRD_KEYS = ["", " ", "cpu.core.3.usage", "disk.used_percent|/mnt/My Disk", "C:\\", "C:\\Program Files\\x", "tab\there", "new\nline", "nul\0byte", "ünïcödé", "温度", "🚀 rocket", "lone \ud800 high", "lone \udc00 low", "a\"quote", "net.if.eth0.bytes_recv_per_s"];

const pick = <T>(next: Next, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

function jitteredTimes(next: Next, rows: number): number[] {
  let time = 1_795_000_000_000 + Math.floor(next() * 1e9);
  return Array.from({ length: rows }, () => (time += 1000 + Math.round((next() - 0.5) * 40)));
}

function percentageWalk(next: Next, rows: number, decimals: number): number[] {
  const step = pick(next, [0.1, 1, 3, 6, 20]);
  let value = next() * 100;
  return Array.from({ length: rows }, () => {
    value = Math.min(100, Math.max(0, value + (next() - 0.5) * step));
    return round(value, decimals);
  });
}

function randomFloat(next: Next): number {
  return next() < 0.3 ? pick(next, SPECIAL_VALUES) : fromBits(Math.floor(next() * 2 ** 32), Math.floor(next() * 2 ** 32));
}

/** Distinct sorted safe integers drawn from the whole safe range. */
function scatteredTimes(next: Next, rows: number): number[] {
  const drawn = Array.from({ length: rows }, () => Math.round((next() - 0.5) * 2 * MAX_SAFE));
  return [...new Set(drawn)].sort((a, b) => a - b);
}

/** Per-second times with occasional gaps large enough to cross most of the safe range. */
function timesWithHugeGaps(next: Next, rows: number): number[] {
  let time = -MAX_SAFE + Math.floor(next() * 1000);
  return Array.from({ length: rows }, (_, row) => {
    const headroom = MAX_SAFE - time - (rows - row) * 2000;
    time += next() < 0.05 && headroom > 0 ? 1 + Math.floor(next() * headroom) : 1000;
    return time;
  });
}

function growingCounter(next: Next, rows: number): number[] {
  let value = pick(next, [0, 1e9, 1e12, 2 ** 47, 2 ** 52]);
  const rate = pick(next, [0, 1, 125_000, 1e7, 3.5]);
  return Array.from({ length: rows }, () => {
    if (next() < 0.02) value = 0;
    value += Math.round(rate * (next() < 0.5 ? 1 : 0.5 + next()));
    return value;
  });
}

function withPresence(next: Next, values: number[], presentShare: number): Value[] {
  return values.map((value) => (next() < presentShare ? value : undefined));
}

function keyed(values: Value[][]): ChunkColumn[] {
  return values.map((column, index) => ({ key: `series.${index}`, values: column }));
}

type Generator = (next: Next, rows: number) => ChunkData;

const generators: Record<string, Generator> = {
  "jittered per-second times with 1- and 2-decimal percentages": (next, rows) => ({
    times: jitteredTimes(next, rows),
    columns: keyed(Array.from({ length: 1 + Math.floor(next() * 8) }, (_, i) => percentageWalk(next, rows, 1 + (i % 2)))),
  }),
  "constant columns": (next, rows) => ({
    times: next() < 0.5 ? Array.from({ length: rows }, (_, row) => 1_700_000_000_000 + row * 5000) : jitteredTimes(next, rows),
    columns: keyed(Array.from({ length: 1 + Math.floor(next() * 6) }, () => new Array<number>(rows).fill(pick(next, [42, 0, 17179869184, ...SPECIAL_VALUES])))),
  }),
  "growing counters with resets and huge gaps": (next, rows) => ({
    times: timesWithHugeGaps(next, rows),
    columns: keyed(Array.from({ length: 1 + Math.floor(next() * 6) }, () => growingCounter(next, rows))),
  }),
  "arbitrary float bits including special values": (next, rows) => {
    const times = scatteredTimes(next, rows);
    return { times, columns: keyed(Array.from({ length: 1 + Math.floor(next() * 6) }, () => times.map(() => randomFloat(next)))) };
  },
  "sparse columns with random presence": (next, rows) => {
    const times = jitteredTimes(next, rows);
    const columnOf = (): number[] => pick(next, [() => percentageWalk(next, rows, 2), () => growingCounter(next, rows), () => times.map(() => randomFloat(next))])();
    return { times, columns: keyed(Array.from({ length: 1 + Math.floor(next() * 8) }, () => withPresence(next, columnOf(), pick(next, [0, 0.01, 0.5, 0.9, 0.99])))) };
  },
  "random keys including weird strings": (next, rows) => {
    const keys = new Set<string>();
    const count = Math.floor(next() * 60);
    while (keys.size < count) keys.add(next() < 0.5 ? pick(next, WEIRD_KEYS) : randomKey(next));
    const times = jitteredTimes(next, rows % 20);
    return { times, columns: [...keys].map((key) => ({ key, values: percentageWalk(next, times.length, 2) })) };
  },
  "zero rows or zero columns": (next, rows) =>
    next() < 0.5
      ? { times: [], columns: Array.from({ length: Math.floor(next() * 5) }, (_, i) => ({ key: `empty.${i}`, values: [] })) }
      : { times: jitteredTimes(next, rows), columns: [] },
};

/** A string of random UTF-16 code units, lone surrogates included. */
function randomKey(next: Next): string {
  return String.fromCharCode(...Array.from({ length: Math.floor(next() * 12) }, () => (next() < 0.7 ? 32 + Math.floor(next() * 95) : Math.floor(next() * 0x10000))));
}

function sameBits(a: number, b: number): boolean {
  scratch.setFloat64(0, a);
  const high = scratch.getUint32(0);
  const low = scratch.getUint32(4);
  scratch.setFloat64(0, b);
  return high === scratch.getUint32(0) && low === scratch.getUint32(4);
}

/** The first difference between two chunks (exact: float bits, -0, and undefined for absent rows), or undefined. */
function firstDifference(expected: ChunkData, actual: ChunkData): string | undefined {
  if (actual.times.length !== expected.times.length) return `${actual.times.length} times instead of ${expected.times.length}`;
  const row = expected.times.findIndex((time, i) => !Object.is(actual.times[i], time));
  if (row >= 0) return `time of row ${row}: ${actual.times[row]} instead of ${expected.times[row]}`;
  if (actual.columns.length !== expected.columns.length) return `${actual.columns.length} columns instead of ${expected.columns.length}`;
  for (let c = 0; c < expected.columns.length; c++) {
    const { key, values } = expected.columns[c]!;
    const decoded = actual.columns[c]!;
    if (decoded.key !== key) return `column ${c}: key ${JSON.stringify(decoded.key)} instead of ${JSON.stringify(key)}`;
    if (decoded.values.length !== values.length) return `column ${key}: ${decoded.values.length} values`;
    for (let r = 0; r < values.length; r++) {
      const want = values[r];
      const got = decoded.values[r];
      const same = want === undefined ? got === undefined : got !== undefined && Object.is(got, want) && sameBits(got, want);
      if (!same) return `column ${JSON.stringify(key)} row ${r}: ${got} instead of ${want}`;
    }
  }
  return undefined;
}

function expectExactRoundTrip(data: ChunkData): void {
  expect(firstDifference(data, decodeChunk(encodeChunk(data)))).toBeUndefined();
}

function forEachSeed(generate: Generator, check: (data: ChunkData, next: Next) => void): void {
  for (let seed = 1; seed <= 50; seed++) {
    const next = random(seed);
    const data = generate(next, Math.floor(next() * 301));
    try {
      check(data, next);
    } catch (err) {
      throw new Error(`seed ${seed}: ${(err as Error).message}`);
    }
  }
}

/** Bytes one column adds to a chunk, per row. */
function bytesPerValue(times: number[], values: Value[]): number {
  const without = encodeChunk({ times, columns: [] }).length;
  return (encodeChunk({ times, columns: [{ key: "k", values }] }).length - without) / times.length;
}

describe("chunk codec", () => {
  for (const [name, generate] of Object.entries(generators)) {
    it(`round-trips ${name} (50 seeds, 0-300 rows)`, () => forEachSeed(generate, expectExactRoundTrip));
  }

  it("decodes only the wanted columns, with the same values (50 seeds)", () => {
    forEachSeed(generators["sparse columns with random presence"]!, (data, next) => {
      const wanted = new Set(data.columns.filter(() => next() < 0.4).map((column) => column.key));
      const asked: string[] = [];
      const decoded = decodeChunk(encodeChunk(data), (key) => (asked.push(key), wanted.has(key)));
      expect(asked).toEqual(data.columns.map((column) => column.key));
      expect(firstDifference({ times: data.times, columns: data.columns.filter((column) => wanted.has(column.key)) }, decoded)).toBeUndefined();
    });
  });

  it("lists the keys of a chunk in order, weird ones included", () => {
    forEachSeed(generators["random keys including weird strings"]!, (data) => {
      expect(chunkKeys(encodeChunk(data))).toEqual(data.columns.map((column) => column.key));
    });
    expect(chunkKeys(encodeChunk({ times: [1], columns: [] }))).toEqual([]);
  });

  it("decodes chunks that share a key block (decoded once, cached) each with its own keys, and hands out copies", () => {
    const keys = Array.from({ length: 40 }, (_, i) => `net.bytes_recv_per_s|veth${i}`);
    const chunk = (value: number) => encodeChunk({ times: [1, 2], columns: keys.map((key) => ({ key, values: [value, value + 1] })) });
    const listed = chunkKeys(chunk(1));
    listed.reverse();
    expect(chunkKeys(chunk(2))).toEqual(keys);
    expect(decodeChunk(chunk(3)).columns.map((c) => [c.key, c.values])).toEqual(keys.map((key) => [key, [3, 4]]));
    const other = keys.map((key) => key.replace("veth", "tap"));
    expect(chunkKeys(encodeChunk({ times: [1], columns: other.map((key) => ({ key, values: [0] })) }))).toEqual(other);
  });

  it("round-trips times across the whole safe range", () => {
    for (const times of [[-MAX_SAFE, MAX_SAFE], [-MAX_SAFE, MAX_SAFE - 2, MAX_SAFE - 1, MAX_SAFE], [-MAX_SAFE, 0, MAX_SAFE], [-0, 1], [0, MAX_SAFE]]) {
      expectExactRoundTrip({ times, columns: [{ key: "v", values: times.map((_, i) => i / 10) }] });
    }
  });

  it.each([
    ["a repeated time", { times: [1000, 1000], columns: [] }, /row 1: time 1000 is not after/],
    ["time going backwards", { times: [1000, 5000, 3000], columns: [] }, /row 2: time 3000 is not after/],
    ["a fractional time", { times: [1000, 1500.5], columns: [] }, /row 1: time 1500.5 is not a safe integer/],
    ["an unsafe time", { times: [2 ** 53], columns: [] }, /row 0: time 9007199254740992 is not a safe integer/],
    ["a NaN time", { times: [0, NaN], columns: [] }, /row 1: time NaN/],
    ["too few values", { times: [1, 2, 3], columns: [{ key: "cpu", values: [1, 2] }] }, /column "cpu" has 2 values for 3 rows/],
    ["too many values", { times: [], columns: [{ key: "cpu", values: [1] }] }, /column "cpu" has 1 values for 0 rows/],
    ["a duplicate key", { times: [1], columns: [{ key: "cpu", values: [1] }, { key: "mem", values: [2] }, { key: "cpu", values: [3] }] }, /column "cpu" appears twice/],
    ["a value that is not a number", { times: [1, 2], columns: [{ key: "cpu", values: [1, null as unknown as number] }] }, /column "cpu", row 1: value null is not a number/],
  ] as [string, ChunkData, RegExp][])("refuses %s with a RangeError", (_name, data, message) => {
    expect(() => encodeChunk(data)).toThrow(RangeError);
    expect(() => encodeChunk(data)).toThrow(message);
  });

  it("refuses a truncated chunk and an unknown version", () => {
    const bytes = encodeChunk(generators["jittered per-second times with 1- and 2-decimal percentages"]!(random(7), 100));
    for (const length of [0, 1, 3, Math.floor(bytes.length / 2), bytes.length - 1]) {
      expect(() => decodeChunk(bytes.slice(0, length))).toThrow(/ended early/);
    }
    const unknownVersion = bytes.slice();
    unknownVersion[0] = 99;
    expect(() => decodeChunk(unknownVersion)).toThrow(/unknown chunk format version 99/);
  });

  it("stores steady series in a fraction of a byte per value and noisy percentages in under 1.4", () => {
    const next = random(11);
    const times = jitteredTimes(next, 300);
    let cpu = 50;
    const cpuPercent = times.map(() => round((cpu = Math.min(100, Math.max(0, cpu + (next() - 0.5) * 6))), 2));
    expect(bytesPerValue(times, times.map(() => 16_777_216))).toBeLessThan(0.05);
    expect(bytesPerValue(times, times.map((_, i) => 1e12 + i * 125_000))).toBeLessThan(0.2);
    expect(bytesPerValue(times, cpuPercent)).toBeLessThan(1.4);
    expect(bytesPerValue(times, cpuPercent.map((value) => round(value, 1)))).toBeLessThan(1);
  });

  it("compresses a realistic key list", () => {
    const keys = Array.from({ length: 16 }, (_, i) => `cpu.core.${i}.usage`).concat(Array.from({ length: 4 }, (_, i) => [`net.if.eth${i}.bytes_recv_per_s`, `net.if.eth${i}.bytes_sent_per_s`]).flat(), ["disk.used_percent|/mnt/My Disk", "disk.used_percent|/"]);
    const rawKeyBytes = keys.reduce((sum, key) => sum + key.length + 1, 0);
    expect(encodeChunk({ times: [], columns: keys.map((key) => ({ key, values: [] })) }).length).toBeLessThan(rawKeyBytes / 2);
  });
});
