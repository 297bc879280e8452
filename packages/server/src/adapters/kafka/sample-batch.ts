/** Turns the records of one fetch into the batch a sample handler gets, setting malformed records aside (they still count as read). */
import type { Logger } from "../../core/logger.js";
import { decodeSample } from "./codec.js";
import { advancePosition, type DeliveryBatch } from "./ordered-delivery.js";
import type { RawRecord } from "./topic-reader.js";

export interface MalformedRecord {
  partition: number;
  offset: bigint;
  reason: string;
}

export function sampleBatch(records: RawRecord[]): { batch: DeliveryBatch; malformed: MalformedRecord[] } {
  const batch: DeliveryBatch = { envelopes: [], positions: new Map() };
  const malformed: MalformedRecord[] = [];
  for (const record of records) {
    const decoded = decodeSample(record.value);
    if (decoded.ok) batch.envelopes.push(decoded.value);
    else malformed.push({ partition: record.partition, offset: record.offset, reason: decoded.reason });
    advancePosition(batch.positions, record.partition, record.offset + 1n);
  }
  return { batch, malformed };
}

/** Skipped, never retried: a record that cannot be read now cannot be read later either, and must not stall its partition. */
export function logMalformed(logger: Logger, topic: string, malformed: MalformedRecord[]): void {
  for (const record of malformed) {
    logger.warn({ topic, partition: record.partition, offset: String(record.offset), reason: record.reason }, "skipping a malformed Kafka record");
  }
}
