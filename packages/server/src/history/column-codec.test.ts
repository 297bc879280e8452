/** Seeded tests of the bit writer/reader and of single columns: random bit fields, time columns and value columns round-trip exactly. */
import { describe, expect, it } from "vitest";
import { seededRandom } from "../test-support/seeded-random.js";
import { bitLength, BitReader, BitWriter, unzigzag, zigzag } from "./bits.js";
import { decodeTimes, decodeValueColumn, encodeTimes, encodeValueColumn, ValueMode } from "./column-codec.js";

const random = seededRandom;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const scratch = new DataView(new ArrayBuffer(8));
const fromBits = (high: number, low: number) => (scratch.setUint32(0, high), scratch.setUint32(4, low), scratch.getFloat64(0));
const bitsOf = (value: number) => (scratch.setFloat64(0, value), `${scratch.getUint32(0).toString(16)}:${scratch.getUint32(4).toString(16)}`);

function roundTripTimes(times: number[]): number[] {
  const out = new BitWriter(4);
  encodeTimes(out, times);
  const input = new BitReader(out.finish());
  return decodeTimes(input, times.length);
}

function roundTripColumn(values: (number | undefined)[]): { decoded: (number | undefined)[]; bytes: number } {
  const out = new BitWriter(4);
  encodeValueColumn(out, values);
  const bytes = out.finish();
  return { decoded: decodeValueColumn(new BitReader(bytes), values.length), bytes: bytes.length };
}

function expectSameValues(decoded: (number | undefined)[], values: (number | undefined)[]) {
  expect(decoded.length).toBe(values.length);
  values.forEach((value, row) => {
    if (value === undefined) expect(decoded[row], `row ${row}`).toBeUndefined();
    else expect(bitsOf(decoded[row]!), `row ${row}: ${value}`).toBe(bitsOf(value));
  });
}

describe("bit writer and reader", () => {
  it("round-trip random fields of 0 to 53 bits (50 seeds)", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const next = random(seed);
      const fields = Array.from({ length: 500 }, () => {
        const width = Math.floor(next() * 54);
        const value = Math.floor(next() * 2 ** width);
        return { width, value };
      });
      const out = new BitWriter(1);
      for (const { width, value } of fields) out.writeWide(value, width);
      const totalBits = fields.reduce((sum, field) => sum + field.width, 0);
      expect(out.bitLength).toBe(totalBits);
      const bytes = out.finish();
      expect(bytes.length).toBe(Math.ceil(totalBits / 8));
      const input = new BitReader(bytes);
      const read = fields.map(({ width }) => input.readWide(width));
      expect(read, `seed ${seed}`).toEqual(fields.map((field) => field.value));
    }
  });

  it("writes int32 patterns and all-ones words exactly", () => {
    const out = new BitWriter();
    out.write(-1, 32);
    out.write(0x80000000, 32);
    out.write(5, 3);
    out.write(0xffffffff, 32);
    out.write(-1, 7);
    const input = new BitReader(out.finish());
    expect([input.read(32), input.read(32), input.read(3), input.read(32), input.read(7)]).toEqual([0xffffffff, 0x80000000, 5, 0xffffffff, 127]);
  });

  it("pads to a byte boundary and refuses to read past the end", () => {
    const out = new BitWriter();
    out.write(1, 1);
    out.alignToByte();
    expect(out.bitLength).toBe(8);
    out.write(0b101, 3);
    const input = new BitReader(out.finish());
    expect(input.read(8)).toBe(0x80);
    expect(input.read(3)).toBe(0b101);
    expect(input.read(5)).toBe(0);
    expect(() => input.read(1)).toThrow(/ended early/);
  });

  it("zigzags safe integers to small non-negative ones and back", () => {
    const samples = [0, 1, -1, 2, -2, 63, -64, 2 ** 31, -(2 ** 31), 2 ** 50, -(2 ** 50), 2 ** 51 - 1];
    expect(samples.map(zigzag).slice(0, 5)).toEqual([0, 2, 1, 4, 3]);
    for (const n of samples) expect(unzigzag(zigzag(n))).toBe(n);
    expect([0, 1, 2, 255, 256, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1].map(bitLength)).toEqual([0, 1, 2, 8, 9, 32, 33, 53]);
  });
});

describe("time column", () => {
  it.each([
    ["a single timestamp", [1_795_000_000_000]],
    ["negative zero first", [-0, 1, 2]],
    ["negative zero after a negative time", [-5, -0, 3]],
    ["the whole safe range in one step", [-MAX_SAFE, MAX_SAFE]],
    ["a gap beyond 2^53 that is odd", [-MAX_SAFE, MAX_SAFE - 1, MAX_SAFE]],
    ["gaps of exactly MAX_SAFE_INTEGER", [-MAX_SAFE, 0, MAX_SAFE]],
    ["a delta-of-delta too large for 32 bits", [0, 1, 2 ** 40, 2 ** 40 + 1, 2 ** 40 + 2]],
    ["every bucket boundary", [0, 1000, 2063, 3063, 4318, 5318, 7365, 8365, 8365 + 2 ** 31, 2 ** 32, 2 ** 32 + 1]],
  ])("round-trips %s", (_name, times) => {
    const decoded = roundTripTimes(times);
    expect(decoded.length).toBe(times.length);
    times.forEach((time, row) => expect(Object.is(decoded[row], time), `row ${row}: ${decoded[row]} vs ${time}`).toBe(true));
  });

  it("costs about one bit per row at a fixed interval and about ten with ±20 ms jitter", () => {
    const fixed = Array.from({ length: 1000 }, (_, i) => 1_795_000_000_000 + i * 1000);
    const next = random(9);
    let t = 1_795_000_000_000;
    const jittered = Array.from({ length: 1000 }, () => (t += 1000 + Math.round((next() - 0.5) * 40)));
    const bitsPerRow = (times: number[]) => {
      const out = new BitWriter();
      encodeTimes(out, times);
      return out.bitLength / times.length;
    };
    expect(bitsPerRow(fixed)).toBeLessThan(1.1);
    expect(bitsPerRow(jittered)).toBeLessThan(11);
  });
});

describe("value column", () => {
  it.each([
    ["an absent column", [undefined, undefined, undefined]],
    ["one present value among absent rows", [undefined, 3.5, undefined]],
    ["a constant column", [7, 7, 7, 7]],
    ["constant negative zeros", [-0, -0, -0]],
    ["zeros of both signs", [0, -0, 0, -0]],
    ["NaNs with different payloads", [NaN, fromBits(0x7ff80000, 1), fromBits(0x7ff00000, 1), fromBits(0xfff12345, 0x6789)]],
    ["infinities among integers", [1, Infinity, 2, -Infinity, 3]],
    ["decimals that are not exact in binary", [0.1, 0.2, 0.1 + 0.2, 0.3, 1.0001, 99.99]],
    ["more than four decimals", [0.12345, 0.5, 1]],
    ["scaled integers at the 2^48 limit", [2 ** 48, -(2 ** 48), 0, 2 ** 48 - 1]],
    ["integers past the 2^48 limit", [2 ** 48 + 1, 2 ** 53, 1e300, -(2 ** 52)]],
    ["subnormals and extremes", [Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** -1074, -(2 ** -1022)]],
    ["a 33-row sparse column", Array.from({ length: 33 }, (_, i) => (i % 3 === 0 ? undefined : i / 4))],
  ] as [string, (number | undefined)[]][])("round-trips %s", (_name, values) => {
    expectSameValues(roundTripColumn(values).decoded, values);
  });

  it("round-trips random walks of every scale and decimal count (50 seeds)", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const next = random(seed);
      const decimals = Math.floor(next() * 6);
      const step = 10 ** Math.floor(next() * 12 - 4);
      let value = (next() - 0.5) * step * 100;
      const values = Array.from({ length: 1 + Math.floor(next() * 300) }, () => {
        value += (next() - 0.5) * step;
        return next() < 0.1 ? undefined : Math.round(value * 10 ** decimals) / 10 ** decimals;
      });
      try {
        expectSameValues(roundTripColumn(values).decoded, values);
      } catch (err) {
        throw new Error(`seed ${seed}: ${(err as Error).message}`);
      }
    }
  });

  it("names the row of a value that is not a number", () => {
    expect(() => roundTripColumn([1, "2" as unknown as number])).toThrow(/row 1: value 2 is not a number/);
  });

  it("chooses the mode that suits the data", () => {
    const next = random(5);
    let cpu = 50;
    const modeOf = (values: number[]) => {
      const out = new BitWriter();
      encodeValueColumn(out, values);
      const input = new BitReader(out.finish());
      expect(input.read(2), "present in every row").toBe(0);
      return input.read(2);
    };
    const rows = Array.from({ length: 300 }, (_, i) => i);
    expect(modeOf(rows.map(() => 42.5))).toBe(ValueMode.constant);
    expect(modeOf(rows.map(() => Math.round((cpu = Math.min(100, Math.max(0, cpu + (next() - 0.5) * 6))) * 100) / 100))).toBe(ValueMode.delta);
    expect(modeOf(rows.map(() => Math.round(500_000 + next() * 100_000)))).toBe(ValueMode.delta);
    expect(modeOf(rows.map((i) => 1e12 + i * 125_000 + Math.round(next() * 10)))).toBe(ValueMode.deltaOfDelta);
    expect(modeOf(rows.map(() => next() * 100))).toBe(ValueMode.xor);
  });

  it("stores a counter with a steady increment in about one bit per value", () => {
    const values = Array.from({ length: 300 }, (_, i) => 1e12 + i * 125_000);
    expect(roundTripColumn(values).bytes / values.length).toBeLessThan(0.2);
  });
});
