/**
 * The compressed chunk format of the raw history tier (Gorilla-style): timestamps as
 * delta-of-delta in variable-width buckets, values as the XOR with the previous value's bits,
 * storing only the meaningful bits. Pure: any sequence of (integer ms, float64) points round-trips
 * exactly, including -0, NaN payloads and infinities.
 */
import { BitReader, BitWriter } from "./bits.js";

export interface Point {
  /** Epoch milliseconds, a safe integer. */
  t: number;
  v: number;
}

const FORMAT_VERSION = 1;
const MASK64 = (1n << 64n) - 1n;
const scratch = new DataView(new ArrayBuffer(8));

function bitsOf(value: number): bigint {
  scratch.setFloat64(0, value);
  return scratch.getBigUint64(0);
}

function valueOf(bits: bigint): number {
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}

const zigzag = (n: bigint): bigint => (n >= 0n ? n << 1n : ((-n) << 1n) - 1n) & MASK64;
const unzigzag = (z: bigint): bigint => ((z & 1n) === 0n ? z >> 1n : -((z + 1n) >> 1n));

function leadingZeros(x: bigint): number {
  const high = Number(x >> 32n);
  return high !== 0 ? Math.clz32(high) : 32 + Math.clz32(Number(x & 0xffffffffn));
}

function trailingZeros(x: bigint): number {
  let count = 0;
  while ((x & 1n) === 0n && count < 64) {
    x >>= 1n;
    count++;
  }
  return count;
}

/** Delta-of-delta buckets: prefix bits, then a zigzag value of this many bits. */
const DOD_BUCKETS = [
  { prefix: 0b10, prefixBits: 2, valueBits: 7 },
  { prefix: 0b110, prefixBits: 3, valueBits: 9 },
  { prefix: 0b1110, prefixBits: 4, valueBits: 12 },
  { prefix: 0b1111, prefixBits: 4, valueBits: 64 },
] as const;

export function encodeChunk(points: readonly Point[]): Uint8Array {
  const out = new BitWriter();
  out.write(FORMAT_VERSION, 8);
  out.write(points.length, 32);
  if (points.length === 0) return out.finish();

  const first = points[0]!;
  assertTimestamp(first.t, 0);
  out.writeBig(zigzag(BigInt(first.t)), 64);
  out.writeBig(bitsOf(first.v), 64);

  // Deltas in BigInt: the gap between two safe integers can exceed 2^53.
  let previousT = BigInt(first.t);
  let previousDelta = 0n;
  let previousBits = bitsOf(first.v);
  let windowLeading = -1;
  let windowTrailing = 0;

  for (let i = 1; i < points.length; i++) {
    const { t, v } = points[i]!;
    assertTimestamp(t, i);
    const delta = BigInt(t) - previousT;
    const dod = zigzag(delta - previousDelta);
    if (dod === 0n) out.writeBit(0);
    else {
      const bucket = DOD_BUCKETS.find((b) => dod < 1n << BigInt(b.valueBits) || b.valueBits === 64)!;
      out.write(bucket.prefix, bucket.prefixBits);
      out.writeBig(dod, bucket.valueBits);
    }
    previousT = BigInt(t);
    previousDelta = delta;

    const bits = bitsOf(v);
    const xor = bits ^ previousBits;
    previousBits = bits;
    if (xor === 0n) {
      out.writeBit(0);
      continue;
    }
    out.writeBit(1);
    const leading = Math.min(leadingZeros(xor), 31);
    const trailing = trailingZeros(xor);
    if (windowLeading >= 0 && leading >= windowLeading && trailing >= windowTrailing) {
      out.writeBit(0);
      out.writeBig(xor >> BigInt(windowTrailing), 64 - windowLeading - windowTrailing);
    } else {
      const meaningful = 64 - leading - trailing;
      out.writeBit(1);
      out.write(leading, 5);
      out.write(meaningful - 1, 6);
      out.writeBig(xor >> BigInt(trailing), meaningful);
      windowLeading = leading;
      windowTrailing = trailing;
    }
  }
  return out.finish();
}

export function decodeChunk(bytes: Uint8Array): Point[] {
  const input = new BitReader(bytes);
  const version = input.read(8);
  if (version !== FORMAT_VERSION) throw new Error(`unknown chunk format version ${version}`);
  const count = input.read(32);
  const points: Point[] = [];
  if (count === 0) return points;

  // BigInt time: a delta between two safe integers can exceed 2^53 even when both ends do not.
  let t = unzigzag(input.readBig(64));
  let bits = input.readBig(64);
  points.push({ t: Number(t), v: valueOf(bits) });
  let delta = 0n;
  let windowLeading = 0;
  let windowTrailing = 0;

  for (let i = 1; i < count; i++) {
    let dod = 0n;
    if (input.readBit() === 1) {
      let ones = 1;
      while (ones < 4 && input.readBit() === 1) ones++;
      dod = unzigzag(input.readBig(DOD_BUCKETS[ones - 1]!.valueBits));
    }
    delta += dod;
    t += delta;

    if (input.readBit() === 1) {
      if (input.readBit() === 1) {
        windowLeading = input.read(5);
        const meaningful = input.read(6) + 1;
        windowTrailing = 64 - windowLeading - meaningful;
      }
      const meaningfulBits = input.readBig(64 - windowLeading - windowTrailing);
      bits ^= meaningfulBits << BigInt(windowTrailing);
    }
    points.push({ t: Number(t), v: valueOf(bits) });
  }
  return points;
}

function assertTimestamp(t: number, index: number): void {
  if (!Number.isSafeInteger(t)) throw new RangeError(`point ${index}: timestamp ${t} is not an integer number of milliseconds`);
}
