/** Property and table tests of the chunk codec: every generated sequence round-trips bit for bit. */
import { describe, expect, it } from "vitest";
import { decodeChunk, encodeChunk, type Point } from "./chunk-codec.js";

/** A small seeded generator (mulberry32), so a failure names the seed that reproduces it. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const scratch = new DataView(new ArrayBuffer(8));
const bitsOf = (v: number) => (scratch.setFloat64(0, v), scratch.getBigUint64(0));
const fromBits = (bits: bigint) => (scratch.setBigUint64(0, bits), scratch.getFloat64(0));

const SPECIAL_VALUES = [0, -0, 1, -1, NaN, fromBits(0x7ff8000000000001n), Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** -1074, 0.1, 99.9, 1e300];

type Generator = (next: () => number, length: number) => Point[];

const generators: Record<string, Generator> = {
  "per-second samples with jitter and 1-decimal percentages": (next, n) => {
    let t = 1_795_000_000_000;
    return Array.from({ length: n }, () => {
      t += 1000 + Math.round((next() - 0.5) * 40);
      return { t, v: Math.round(next() * 1000) / 10 };
    });
  },
  "constant value at a fixed interval": (_next, n) => Array.from({ length: n }, (_, i) => ({ t: 1_700_000_000_000 + i * 5000, v: 42 })),
  "growing byte counters with outages": (next, n) => {
    let t = 1_600_000_000_000;
    let v = 1e12;
    return Array.from({ length: n }, () => {
      t += next() < 0.05 ? Math.round(next() * 86_400_000) : 1000;
      v += Math.round(next() * 1e7);
      return { t, v };
    });
  },
  "arbitrary timestamps and bit patterns": (next, n) =>
    Array.from({ length: n }, () => {
      const t = Math.round((next() - 0.5) * 2 * Number.MAX_SAFE_INTEGER);
      const bits = (BigInt(Math.floor(next() * 2 ** 32)) << 32n) | BigInt(Math.floor(next() * 2 ** 32));
      return { t, v: fromBits(bits) };
    }),
  "special values": (next, n) =>
    Array.from({ length: n }, (_, i) => ({ t: i * 1000, v: SPECIAL_VALUES[Math.floor(next() * SPECIAL_VALUES.length)]! })),
};

function expectExactRoundTrip(points: Point[]) {
  const decoded = decodeChunk(encodeChunk(points));
  expect(decoded.length).toBe(points.length);
  decoded.forEach((p, i) => {
    expect(p.t, `t of point ${i}`).toBe(points[i]!.t);
    expect(bitsOf(p.v), `bits of value ${i}`).toBe(bitsOf(points[i]!.v));
  });
}

describe("chunk codec", () => {
  for (const [name, generate] of Object.entries(generators)) {
    it(`round-trips ${name} (50 seeds, lengths 0-300)`, () => {
      for (let seed = 1; seed <= 50; seed++) {
        const next = random(seed);
        const points = generate(next, Math.floor(next() * 301));
        try {
          expectExactRoundTrip(points);
        } catch (err) {
          throw new Error(`seed ${seed}: ${(err as Error).message}`);
        }
      }
    });
  }

  it.each([
    ["no points", []],
    ["one point", [{ t: 5, v: 1.5 }]],
    ["the same timestamp twice", [{ t: 1000, v: 1 }, { t: 1000, v: 2 }]],
    ["time going backwards", [{ t: 5000, v: 1 }, { t: 1000, v: 1 }, { t: 9000, v: 1 }]],
    ["the largest safe timestamps", [{ t: Number.MAX_SAFE_INTEGER, v: 0 }, { t: -Number.MAX_SAFE_INTEGER, v: -0 }]],
  ] as [string, Point[]][])("round-trips %s", (_name, points) => expectExactRoundTrip(points));

  it("stores a steady series in a fraction of a byte per point", () => {
    const points = generators["constant value at a fixed interval"]!(random(1), 3600);
    expect(encodeChunk(points).length / points.length).toBeLessThan(0.3);
  });

  it("refuses fractional timestamps instead of rounding them", () => {
    expect(() => encodeChunk([{ t: 1.5, v: 0 }])).toThrow(/not an integer/);
  });

  it("refuses a truncated chunk", () => {
    const bytes = encodeChunk(generators["per-second samples with jitter and 1-decimal percentages"]!(random(7), 100));
    expect(() => decodeChunk(bytes.slice(0, bytes.length / 2))).toThrow(/ended early/);
  });
});
