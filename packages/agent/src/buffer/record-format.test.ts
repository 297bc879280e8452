/** The buffer's record format: framing, the frozen dictionary, and the scan that steps over damage. */
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { BatchSample } from "@statusmonitor/protocol";
import { decodePayload, encodeRecord, RECORD_HEADER_BYTES, recordLengthAt, scanSegment } from "./record-format.js";
import { SAMPLE_DICTIONARY_V1 } from "./sample-dictionary.js";

const sample = (seq: number): BatchSample => ({ seq, timestamp: 1_767_225_600_000 + seq * 1000, cpu: { usage_percent: 12.5 }, uptime_s: 100 + seq });
const records = (count: number) => Array.from({ length: count }, (_, i) => encodeRecord(sample(i)));
const decodedSeqs = (bytes: Buffer) => {
  const scan = scanSegment(bytes);
  return scan.offsets.map((offset, i) => decodePayload(bytes.subarray(offset + RECORD_HEADER_BYTES, offset + RECORD_HEADER_BYTES + scan.lengths[i]!))?.seq);
};

describe("record format", () => {
  it("frames a sample as length, CRC-32 and a tagged payload that decodes back", () => {
    const record = encodeRecord(sample(7));
    const length = record.readUInt32LE(0);
    expect(record.length).toBe(RECORD_HEADER_BYTES + length);
    expect(record.readUInt32LE(4)).toBe(crc32(record.subarray(RECORD_HEADER_BYTES)));
    expect(recordLengthAt(record, 0)).toBe(length);
    expect(decodePayload(record.subarray(RECORD_HEADER_BYTES))).toEqual(sample(7));
  });

  it("keeps the dictionary byte for byte: records already on disk depend on it", () => {
    expect([SAMPLE_DICTIONARY_V1.length, crc32(SAMPLE_DICTIONARY_V1)]).toEqual([1169, 0x9ff9322c]);
  });

  it("refuses payloads that are not samples", () => {
    expect(decodePayload(Buffer.from([0x01, 0xff, 0x00, 0x13]))).toBeUndefined();
    expect(decodePayload(Buffer.from('{"seq":1}'))).toBeUndefined();
    const notASample = encodeRecord({ hello: "world" } as unknown as BatchSample);
    expect(decodePayload(notASample.subarray(RECORD_HEADER_BYTES))).toBeUndefined();
  });
});

describe("scanSegment", () => {
  const clean = Buffer.concat(records(5));
  const offsetOf = (index: number) => records(5).slice(0, index).reduce((sum, r) => sum + r.length, 0);
  const damaged = (change: (bytes: Buffer) => Buffer | void) => {
    const bytes = Buffer.from(clean);
    return change(bytes) ?? bytes;
  };

  const cases: { name: string; bytes: Buffer; seqs: number[]; bad: number; cleanTail: boolean }[] = [
    { name: "an empty segment", bytes: Buffer.alloc(0), seqs: [], bad: 0, cleanTail: true },
    { name: "clean records", bytes: clean, seqs: [0, 1, 2, 3, 4], bad: 0, cleanTail: true },
    { name: "a flipped payload byte", bytes: damaged((b) => void (b[offsetOf(2) + 20]! ^= 0x10)), seqs: [0, 1, 3, 4], bad: 1, cleanTail: true },
    { name: "a flipped length byte", bytes: damaged((b) => void (b[offsetOf(2)]! ^= 0x40)), seqs: [0, 1, 3, 4], bad: 1, cleanTail: true },
    { name: "a flipped CRC byte", bytes: damaged((b) => void (b[offsetOf(1) + 5]! ^= 0x01)), seqs: [0, 2, 3, 4], bad: 1, cleanTail: true },
    { name: "a torn last record", bytes: clean.subarray(0, clean.length - 3), seqs: [0, 1, 2, 3], bad: 1, cleanTail: false },
    { name: "a torn header", bytes: clean.subarray(0, offsetOf(4) + 5), seqs: [0, 1, 2, 3], bad: 1, cleanTail: false },
    { name: "zeros after the records", bytes: Buffer.concat([clean, Buffer.alloc(4096)]), seqs: [0, 1, 2, 3, 4], bad: 1, cleanTail: false },
    { name: "garbage before the records", bytes: Buffer.concat([Buffer.from("garbage!".repeat(50)), clean]), seqs: [0, 1, 2, 3, 4], bad: 1, cleanTail: true },
    { name: "two damaged stretches", bytes: damaged((b) => void ((b[offsetOf(0) + 12]! ^= 1), (b[offsetOf(3) + 12]! ^= 1))), seqs: [1, 2, 4], bad: 2, cleanTail: true },
  ];
  it.each(cases)("$name", ({ bytes, seqs, bad, cleanTail }) => {
    const scan = scanSegment(bytes);
    expect(decodedSeqs(bytes)).toEqual(seqs);
    expect(scan.bad).toHaveLength(bad);
    expect(scan.cleanTail).toBe(cleanTail);
  });

  it("gets through a megabyte of random bytes without finding a record in it", () => {
    const noise = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2_654_435_761) >>> 24;
    const scan = scanSegment(Buffer.concat([noise, clean]));
    expect(scan.offsets).toHaveLength(5);
    expect(scan.bad).toEqual([0]);
  });
});
