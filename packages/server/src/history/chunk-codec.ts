/** The compressed, columnar chunk format of the raw history tier: many series sharing one time column, each column decodable on its own. */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { BitReader, BitWriter } from "./bits.js";
import { decodeTimes, decodeValueColumn, encodeTimes, encodeValueColumn } from "./column-codec.js";

/** One sample of one series: epoch milliseconds and its value. */
export interface Point {
  t: number;
  v: number;
}

/** One column of a chunk: a series key and one value per row; `undefined` = the series was absent in that row. */
export interface ChunkColumn {
  key: string;
  values: (number | undefined)[];
}

/** Rows share one time column (epoch ms, strictly increasing safe integers). */
export interface ChunkData {
  times: number[];
  columns: ChunkColumn[];
}

/*
 * Layout (all varints are unsigned LEB128):
 *   version byte
 *   varint row count, varint column count
 *   key block: flags byte (KEYS_DEFLATED, KEYS_AS_UTF16), varint byte length, then the block, which
 *     holds per key a varint length (UTF-8 bytes, or UTF-16 code units) and the key itself
 *   varint byte length of the time column, then of each value column in key order
 *   the time column, then each value column, each starting on a byte boundary
 */
const FORMAT_VERSION = 2;
const KEYS_DEFLATED = 1;
/** Set only when some key holds a lone surrogate, which UTF-8 cannot carry. */
const KEYS_AS_UTF16 = 2;
const SMALLEST_KEY_BLOCK_WORTH_DEFLATING = 48;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export function encodeChunk(data: ChunkData): Uint8Array {
  assertValidChunk(data);
  const rowCount = data.times.length;
  const body = new BitWriter(64 + rowCount * (2 + 2 * data.columns.length));
  const sectionLengths: number[] = [];
  let sectionStart = 0;
  const closeSection = () => {
    body.alignToByte();
    const end = body.bitLength / 8;
    sectionLengths.push(end - sectionStart);
    sectionStart = end;
  };

  encodeTimes(body, data.times);
  closeSection();
  for (const column of data.columns) {
    encodeColumnNamingIt(body, column);
    closeSection();
  }
  return joinHeaderAndBody(writeHeader(rowCount, data.columns, sectionLengths), body.finish());
}

/** Decodes the time column and only the columns whose key `wanted` accepts (all when omitted). Skips other columns without decoding them. */
export function decodeChunk(bytes: Uint8Array, wanted?: (key: string) => boolean): ChunkData {
  const header = new ByteCursor(bytes);
  const { rowCount, keys } = readKeys(header);
  const timeLength = header.varint();
  const columnLengths = keys.map(() => header.varint());
  const bodyStart = header.offset;
  const bodyLength = columnLengths.reduce((sum, length) => sum + length, timeLength);
  if (bodyStart + bodyLength > bytes.length) throw new RangeError("chunk ended early");
  // Every row after the first costs at least one bit of the time column.
  if (rowCount > 1 + timeLength * 8) throw new RangeError(`corrupt chunk: ${rowCount} rows in a ${timeLength}-byte time column`);

  const input = new BitReader(bytes);
  input.seek(bodyStart, bodyStart + timeLength);
  const times = decodeTimes(input, rowCount);
  const columns: ChunkColumn[] = [];
  let offset = bodyStart + timeLength;
  keys.forEach((key, index) => {
    const end = offset + columnLengths[index]!;
    if (wanted === undefined || wanted(key)) {
      input.seek(offset, end);
      columns.push({ key, values: decodeValueColumn(input, rowCount) });
    }
    offset = end;
  });
  return { times, columns };
}

/** The column keys stored in a chunk, without decoding any values. */
export function chunkKeys(bytes: Uint8Array): string[] {
  return [...readKeys(new ByteCursor(bytes)).keys];
}

function assertValidChunk({ times, columns }: ChunkData): void {
  for (let row = 0; row < times.length; row++) {
    const time = times[row]!;
    if (!Number.isSafeInteger(time)) throw new RangeError(`row ${row}: time ${String(time)} is not a safe integer number of milliseconds`);
    if (row > 0 && !(time > times[row - 1]!)) throw new RangeError(`row ${row}: time ${time} is not after the time of row ${row - 1} (${times[row - 1]})`);
  }
  const seen = new Set<string>();
  for (const { key, values } of columns) {
    if (typeof key !== "string") throw new RangeError(`column key ${String(key)} is not a string`);
    if (values.length !== times.length) throw new RangeError(`column ${JSON.stringify(key)} has ${values.length} values for ${times.length} rows`);
    if (seen.has(key)) throw new RangeError(`column ${JSON.stringify(key)} appears twice`);
    seen.add(key);
  }
}

function encodeColumnNamingIt(body: BitWriter, { key, values }: ChunkColumn): void {
  try {
    encodeValueColumn(body, values);
  } catch (error) {
    if (error instanceof RangeError) throw new RangeError(`column ${JSON.stringify(key)}, ${error.message}`);
    throw error;
  }
}

function writeHeader(rowCount: number, columns: readonly ChunkColumn[], sectionLengths: readonly number[]): Uint8Array {
  const header = new ByteSink();
  header.byte(FORMAT_VERSION);
  header.varint(rowCount);
  header.varint(columns.length);
  const { flags, block } = encodeKeyBlock(columns.map((column) => column.key));
  header.byte(flags);
  header.varint(block.length);
  header.append(block);
  for (const length of sectionLengths) header.varint(length);
  return header.result();
}

function joinHeaderAndBody(header: Uint8Array, body: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(header.length + body.length);
  chunk.set(header);
  chunk.set(body, header.length);
  return chunk;
}

function readKeys(header: ByteCursor): { rowCount: number; keys: readonly string[] } {
  const version = header.byte();
  if (version !== FORMAT_VERSION) throw new Error(`unknown chunk format version ${version}`);
  const rowCount = header.varint();
  const columnCount = header.varint();
  const flags = header.byte();
  const block = header.bytes(header.varint());
  return { rowCount, keys: decodeKeyBlock(flags, block, columnCount) };
}

// Key block ----------------------------------------------------------------------------------

function encodeKeyBlock(keys: readonly string[]): { flags: number; block: Uint8Array } {
  const asUtf16 = keys.some(hasLoneSurrogate);
  const block = new ByteSink();
  for (const key of keys) {
    if (asUtf16) writeUtf16Key(block, key);
    else {
      const encoded = utf8Encoder.encode(key);
      block.varint(encoded.length);
      block.append(encoded);
    }
  }
  const raw = block.result();
  const textFlag = asUtf16 ? KEYS_AS_UTF16 : 0;
  if (raw.length >= SMALLEST_KEY_BLOCK_WORTH_DEFLATING) {
    const deflated = deflateRawSync(raw);
    if (deflated.length < raw.length) return { flags: textFlag | KEYS_DEFLATED, block: deflated };
  }
  return { flags: textFlag, block: raw };
}

/**
 * Decoded key blocks by their stored bytes: an agent's chunks nearly all carry the same series, so a
 * long query inflates its key block once instead of once per chunk. Bounded; emptied when full.
 */
const decodedKeyBlocks = new Map<string, readonly string[]>();
const KEY_BLOCK_CACHE_SIZE = 2_000;

function decodeKeyBlock(flags: number, block: Uint8Array, count: number): readonly string[] {
  const cacheKey = `${flags}:${count}:${Buffer.from(block.buffer, block.byteOffset, block.byteLength).toString("latin1")}`;
  const cached = decodedKeyBlocks.get(cacheKey);
  if (cached) return cached;
  const keys = new ByteCursor(flags & KEYS_DEFLATED ? inflateRawSync(block) : block);
  const asUtf16 = (flags & KEYS_AS_UTF16) !== 0;
  const decoded = Array.from({ length: count }, () => (asUtf16 ? readUtf16Key(keys) : utf8Decoder.decode(keys.bytes(keys.varint()))));
  if (decodedKeyBlocks.size >= KEY_BLOCK_CACHE_SIZE) decodedKeyBlocks.clear();
  decodedKeyBlocks.set(cacheKey, decoded);
  return decoded;
}

function hasLoneSurrogate(key: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(key);
}

function writeUtf16Key(block: ByteSink, key: string): void {
  block.varint(key.length);
  for (let i = 0; i < key.length; i++) {
    const unit = key.charCodeAt(i);
    block.byte(unit & 0xff);
    block.byte(unit >>> 8);
  }
}

function readUtf16Key(keys: ByteCursor): string {
  const bytes = keys.bytes(keys.varint() * 2);
  let key = "";
  for (let i = 0; i < bytes.length; i += 2) key += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  return key;
}

// Bytes --------------------------------------------------------------------------------------

/** A growing byte buffer for the header. */
class ByteSink {
  private buffer = new Uint8Array(128);
  private length = 0;

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /** Appends a non-negative safe integer as unsigned LEB128. */
  varint(value: number): void {
    while (value >= 0x80) {
      this.byte((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    this.byte(value);
  }

  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  result(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

/** Reads bytes and varints from the front of a chunk, refusing to run past its end. */
class ByteCursor {
  offset = 0;
  constructor(private readonly source: Uint8Array) {}

  byte(): number {
    if (this.offset >= this.source.length) throw new RangeError("chunk ended early");
    return this.source[this.offset++]!;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
      if (scale > Number.MAX_SAFE_INTEGER) throw new RangeError("corrupt chunk: varint too long");
    }
  }

  bytes(count: number): Uint8Array {
    if (this.offset + count > this.source.length) throw new RangeError("chunk ended early");
    const slice = this.source.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }
}
