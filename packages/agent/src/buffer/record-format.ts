/**
 * The buffer's on-disk record, `[u32 length][u32 crc32][payload]` (little-endian), where the payload
 * is one tag byte and one sample deflated with a preset dictionary; plus the scan that finds the
 * good records in a segment and steps over damage.
 */
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import type { BatchSample } from "@statusmonitor/protocol";
import { MAX_DECOMPRESSED_BODY_BYTES } from "@statusmonitor/protocol/limits";
import { SAMPLE_DICTIONARY_V1 } from "./sample-dictionary.js";

export const RECORD_HEADER_BYTES = 8;
/** A length above this is damage, not data: one sample is a few hundred bytes, and the hub reads at most this much. */
export const MAX_RECORD_BYTES = MAX_DECOMPRESSED_BODY_BYTES;
/** Payload tag: JSON deflated (raw) with SAMPLE_DICTIONARY_V1. A new encoding gets a new tag; old records stay readable. */
const TAG_DEFLATE_V1 = 0x01;

/** One sample as a complete record, header included. */
export function encodeRecord(sample: BatchSample): Buffer {
  const body = deflateRawSync(Buffer.from(JSON.stringify(sample), "utf8"), { dictionary: SAMPLE_DICTIONARY_V1 });
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + 1 + body.length);
  record[RECORD_HEADER_BYTES] = TAG_DEFLATE_V1;
  body.copy(record, RECORD_HEADER_BYTES + 1);
  const payload = record.subarray(RECORD_HEADER_BYTES);
  record.writeUInt32LE(payload.length, 0);
  record.writeUInt32LE(crc32(payload), 4);
  return record;
}

/** The payload length of the record starting at `offset` if its header, bounds, tag and checksum hold; -1 otherwise. */
export function recordLengthAt(bytes: Buffer, offset: number): number {
  if (offset + RECORD_HEADER_BYTES + 2 > bytes.length) return -1;
  const length = bytes.readUInt32LE(offset);
  if (length < 2 || length > MAX_RECORD_BYTES) return -1;
  const start = offset + RECORD_HEADER_BYTES;
  if (start + length > bytes.length || bytes[start] !== TAG_DEFLATE_V1) return -1;
  return crc32(bytes.subarray(start, start + length)) === bytes.readUInt32LE(offset + 4) ? length : -1;
}

/** The sample in a checked payload, or undefined when it does not inflate or parse into a sample. */
export function decodePayload(payload: Buffer): BatchSample | undefined {
  if (payload[0] !== TAG_DEFLATE_V1) return undefined;
  try {
    const json = inflateRawSync(payload.subarray(1), { dictionary: SAMPLE_DICTIONARY_V1, maxOutputLength: MAX_RECORD_BYTES });
    const value: unknown = JSON.parse(json.toString("utf8"));
    return looksLikeSample(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

// The hub validates every field; the buffer only refuses what cannot be a sample at all.
function looksLikeSample(value: unknown): value is BatchSample {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { seq, timestamp } = value as Record<string, unknown>;
  return Number.isFinite(seq) && Number.isFinite(timestamp);
}

export interface SegmentScan {
  /** Start of each good record, ascending, and its payload length. */
  offsets: number[];
  lengths: number[];
  /** Start of each damaged stretch (one count per stretch: where one ends cannot be told record by record). */
  bad: number[];
  /** True when the bytes end with a good record (or there are none): appending after them is safe. */
  cleanTail: boolean;
}

/** Finds the good records of a segment; after damage, resumes at the next offset where a record checks out. */
export function scanSegment(bytes: Buffer): SegmentScan {
  const scan: SegmentScan = { offsets: [], lengths: [], bad: [], cleanTail: true };
  let offset = 0;
  while (offset < bytes.length) {
    const length = recordLengthAt(bytes, offset);
    if (length >= 0) {
      scan.offsets.push(offset);
      scan.lengths.push(length);
      offset += RECORD_HEADER_BYTES + length;
      continue;
    }
    // The length itself may be what is damaged, so the next record is searched for byte by byte
    // rather than trusted; a false match needs a plausible length, the tag and a 32-bit CRC to agree.
    scan.bad.push(offset);
    offset += 1;
    while (offset < bytes.length && recordLengthAt(bytes, offset) < 0) offset += 1;
    if (offset >= bytes.length) scan.cleanTail = false;
  }
  return scan;
}
