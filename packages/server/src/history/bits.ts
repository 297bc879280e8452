/** A growable bit writer and its reader, most significant bit first, for the chunk codec. */

export class BitWriter {
  private bytes = new Uint8Array(64);
  private bitLength = 0;

  /** Appends the low `count` bits of `value` (count ≤ 32). */
  write(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) this.writeBit((value >>> i) & 1);
  }

  /** Appends the low `count` bits of a bigint (count ≤ 64). */
  writeBig(value: bigint, count: number): void {
    if (count > 32) {
      this.write(Number((value >> 32n) & 0xffffffffn), count - 32);
      this.write(Number(value & 0xffffffffn), 32);
    } else {
      this.write(Number(value & 0xffffffffn), count);
    }
  }

  writeBit(bit: number): void {
    const byteIndex = this.bitLength >>> 3;
    if (byteIndex >= this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    if (bit) this.bytes[byteIndex]! |= 0x80 >>> (this.bitLength & 7);
    this.bitLength++;
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, (this.bitLength + 7) >>> 3);
  }
}

export class BitReader {
  private position = 0;
  constructor(private readonly bytes: Uint8Array) {}

  readBit(): number {
    const byteIndex = this.position >>> 3;
    if (byteIndex >= this.bytes.length) throw new RangeError("chunk ended early");
    const bit = (this.bytes[byteIndex]! >>> (7 - (this.position & 7))) & 1;
    this.position++;
    return bit;
  }

  /** Reads `count` bits (≤ 32) as an unsigned number. */
  read(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) value = value * 2 + this.readBit();
    return value;
  }

  readBig(count: number): bigint {
    if (count > 32) {
      const high = BigInt(this.read(count - 32));
      return (high << 32n) | BigInt(this.read(32));
    }
    return BigInt(this.read(count));
  }
}
