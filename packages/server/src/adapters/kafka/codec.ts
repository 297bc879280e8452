/**
 * The bytes on the Kafka topics: samples keyed by agent id and control events, as versioned JSON
 * envelopes, checked against the protocol schemas on the way in so a malformed record is rejected
 * with a reason instead of reaching a handler.
 */
import { z } from "zod";
import { epochMs, positiveId, sample } from "@statusmonitor/protocol";
import type { ControlEvent, SampleEnvelope } from "../../core/bus.js";
import { formatPath } from "../../core/validation.js";

/** Bumped when the envelope changes shape; readers reject versions they do not know. */
export const ENVELOPE_VERSION = 1;

const sampleRecord = z.object({
  v: z.literal(ENVELOPE_VERSION),
  agent_id: positiveId,
  user_id: positiveId,
  received_at: epochMs,
  backfill: z.boolean(),
  sample,
});

const controlEvent: z.ZodType<ControlEvent> = z.discriminatedUnion("type", [
  z.object({ type: z.literal("agent_deleted"), agent_id: positiveId, user_id: positiveId }),
  z.object({ type: z.literal("agent_token_changed"), agent_id: positiveId, token_hash: z.string().min(1) }),
  z.object({ type: z.literal("session_ended"), session_id: z.string().min(1), user_id: positiveId }),
  z.object({ type: z.literal("user_deleted"), user_id: positiveId }),
  z.object({ type: z.literal("alert_rules_changed"), user_id: positiveId }),
]);

const controlRecord = z.object({ v: z.literal(ENVELOPE_VERSION), event: controlEvent });

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface EncodedRecord {
  key: Buffer;
  value: Buffer;
}

/** Keyed by agent, so one agent's samples land on one partition, in order. */
export function encodeSample(envelope: SampleEnvelope): EncodedRecord {
  return {
    key: Buffer.from(String(envelope.agent_id)),
    value: Buffer.from(JSON.stringify({ v: ENVELOPE_VERSION, ...envelope })),
  };
}

export function decodeSample(value: Buffer | undefined): Decoded<SampleEnvelope> {
  return decode(value, sampleRecord, ({ v: _version, ...envelope }) => envelope);
}

export function encodeControl(event: ControlEvent): EncodedRecord {
  return { key: Buffer.from(event.type), value: Buffer.from(JSON.stringify({ v: ENVELOPE_VERSION, event })) };
}

export function decodeControl(value: Buffer | undefined): Decoded<ControlEvent> {
  return decode(value, controlRecord, (record) => record.event);
}

function decode<S extends z.ZodType, T>(value: Buffer | undefined, schema: S, unwrap: (record: z.output<S>) => T): Decoded<T> {
  if (!value || value.length === 0) return { ok: false, reason: "empty value" };
  let json: unknown;
  try {
    json = JSON.parse(value.toString("utf8"));
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return { ok: false, reason: `${formatPath(issue.path)}: ${issue.message}` };
  }
  return { ok: true, value: unwrap(result.data) };
}
