/** Fast bit writer and reader (most significant bit first, up to 32 bits per call) and the integer helpers of the chunk codec. */

const TWO_POW_32 = 4294967296;

/** Maps a safe integer to a non-negative one (0, -1, 1, -2 … → 0, 1, 2, 3 …) so small magnitudes need few bits. */
export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** The number of significant bits of a non-negative integer below 2^53 (0 for 0). */
export function bitLength(z: number): number {
  return z < TWO_POW_32 ? 32 - Math.clz32(z) : 64 - Math.clz32(z / TWO_POW_32);
}

/** Appends bits to a growing byte array through a 32-bit accumulator that is flushed a whole word at a time. */
export class BitWriter {
  private bytes: Uint8Array;
  private flushedBytes = 0;
  /** The last `pendingBits` bits written, right-aligned; always below 2^pendingBits. */
  private pending = 0;
  private pendingBits = 0;

  constructor(expectedBytes = 256) {
    this.bytes = new Uint8Array(Math.max(16, expectedBytes));
  }

  get bitLength(): number {
    return this.flushedBytes * 8 + this.pendingBits;
  }

  /** Appends the low `count` bits of `value` (0 ≤ count ≤ 32; an unsigned or int32 value). */
  write(value: number, count: number): void {
    const free = 32 - this.pendingBits;
    if (count < free) {
      this.pending = (this.pending << count) | (value & ((1 << count) - 1));
      this.pendingBits += count;
      return;
    }
    const rest = count - free;
    // When the accumulator is empty, free is 32 and `pending << 32` is `pending`, which is 0.
    this.flushWord((this.pending << free) | ((value >>> rest) & (-1 >>> (32 - free))));
    this.pending = value & ((1 << rest) - 1);
    this.pendingBits = rest;
  }

  /** Appends the low `count` bits of a non-negative integer below 2^53 (count ≤ 53). */
  writeWide(value: number, count: number): void {
    if (count <= 32) {
      this.write(value, count);
      return;
    }
    this.write(Math.floor(value / TWO_POW_32), count - 32);
    this.write(value >>> 0, 32);
  }

  /** Pads with zero bits up to the next byte boundary. */
  alignToByte(): void {
    const padding = (8 - (this.pendingBits & 7)) & 7;
    if (padding > 0) this.write(0, padding);
  }

  /** Pads to a byte boundary and returns the bytes written (a view, valid until the next write). */
  finish(): Uint8Array {
    this.alignToByte();
    this.ensureCapacity(4);
    while (this.pendingBits > 0) {
      this.pendingBits -= 8;
      this.bytes[this.flushedBytes++] = this.pending >>> this.pendingBits;
    }
    this.pending = 0;
    return this.bytes.subarray(0, this.flushedBytes);
  }

  private flushWord(word: number): void {
    this.ensureCapacity(4);
    const bytes = this.bytes;
    const at = this.flushedBytes;
    bytes[at] = word >>> 24;
    bytes[at + 1] = word >>> 16;
    bytes[at + 2] = word >>> 8;
    bytes[at + 3] = word;
    this.flushedBytes = at + 4;
  }

  private ensureCapacity(extraBytes: number): void {
    if (this.flushedBytes + extraBytes <= this.bytes.length) return;
    const grown = new Uint8Array(this.bytes.length * 2 + extraBytes);
    grown.set(this.bytes.subarray(0, this.flushedBytes));
    this.bytes = grown;
  }
}

/** Reads bits written by BitWriter; works on a zero-padded copy so a read never needs a per-byte bounds check. */
export class BitReader {
  private readonly bytes: Uint8Array;
  private position = 0;
  private limit: number;

  constructor(source: Uint8Array) {
    // Reads past the end (the last word of a chunk) see `undefined`, which the bit operations treat as
    // zeros, so the source is read in place rather than copied with padding.
    this.bytes = source;
    this.limit = source.length * 8;
  }

  /** Confines reading to the bytes [startByte, endByte) of the source. */
  seek(startByte: number, endByte: number): void {
    this.position = startByte * 8;
    this.limit = endByte * 8;
  }

  /** The next `count` bits (1 ≤ count ≤ 32) as an unsigned number, without consuming them; zeros past the end. */
  peek(count: number): number {
    const bytes = this.bytes;
    const at = this.position >>> 3;
    const shift = this.position & 7;
    const word = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const head = (word << shift) >>> (32 - count);
    if (shift + count <= 32) return head;
    return (head | (bytes[at + 4]! >>> (40 - shift - count))) >>> 0;
  }

  /** Consumes `count` bits (0 ≤ count ≤ 32) and returns them as an unsigned number. */
  read(count: number): number {
    if (count === 0) return 0;
    this.ensureAvailable(count);
    const value = this.peek(count);
    this.position += count;
    return value;
  }

  /** Consumes `count` bits (≤ 53) as a non-negative integer. */
  readWide(count: number): number {
    if (count <= 32) return this.read(count);
    const high = this.read(count - 32);
    return high * TWO_POW_32 + this.read(32);
  }

  skip(count: number): void {
    this.ensureAvailable(count);
    this.position += count;
  }

  private ensureAvailable(count: number): void {
    if (this.position + count > this.limit) throw new RangeError("chunk ended early");
  }
}
