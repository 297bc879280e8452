/** The record codec: what goes on the topics reads back the same, and every kind of malformed record is rejected with a reason. */
import { describe, expect, it } from "vitest";
import type { ControlEvent, SampleEnvelope } from "../../core/bus.js";
import { decodeControl, decodeSample, encodeControl, encodeSample, ENVELOPE_VERSION } from "./codec.js";

const envelope: SampleEnvelope = {
  agent_id: 42,
  user_id: 7,
  received_at: 1_773_136_800_123,
  backfill: true,
  sample: { agent_id: 42, timestamp: 1_773_136_800_000, seq: 9, cpu: { usage_percent: 12.5 }, memory: { total: 8e9, used: 2e9 } },
};

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe("sample records", () => {
  it("read back as the envelope that was written, keyed by agent", () => {
    const record = encodeSample(envelope);
    expect(record.key.toString()).toBe("42");
    expect(JSON.parse(record.value.toString()).v).toBe(ENVELOPE_VERSION);
    expect(decodeSample(record.value)).toEqual({ ok: true, value: envelope });
  });

  it.each([
    { name: "no value", value: undefined, reason: "empty value" },
    { name: "an empty value", value: Buffer.alloc(0), reason: "empty value" },
    { name: "bytes that are not JSON", value: Buffer.from("{not json"), reason: /^not JSON/ },
    { name: "another envelope version", value: json({ ...envelope, v: 99 }), reason: /^v:/ },
    { name: "no version", value: json(envelope), reason: /^v:/ },
    { name: "no user", value: json({ v: 1, agent_id: 42, received_at: 1, backfill: false, sample: envelope.sample }), reason: /^user_id:/ },
    { name: "an invalid sample", value: json({ ...envelope, v: 1, sample: { agent_id: 42, timestamp: -5 } }), reason: /^sample\.timestamp:/ },
    { name: "a JSON array", value: json([1, 2]), reason: /^\(root\):/ },
  ])("are rejected with a reason when they hold $name", ({ value, reason }) => {
    const decoded = decodeSample(value);
    expect(decoded.ok).toBe(false);
    expect(decoded.ok ? "" : decoded.reason).toMatch(reason);
  });
});

describe("control records", () => {
  const events: ControlEvent[] = [
    { type: "agent_deleted", agent_id: 1, user_id: 2 },
    { type: "agent_token_changed", agent_id: 1, token_hash: "abc" },
    { type: "session_ended", session_id: "s-1", user_id: 2 },
    { type: "user_deleted", user_id: 2 },
    { type: "alert_rules_changed", user_id: 2 },
  ];

  it.each(events)("read back $type as written", (event) => {
    expect(decodeControl(encodeControl(event).value)).toEqual({ ok: true, value: event });
  });

  it.each([
    { name: "an unknown type", value: json({ v: 1, event: { type: "reboot" } }) },
    { name: "a missing field", value: json({ v: 1, event: { type: "agent_deleted", agent_id: 1 } }) },
    { name: "another version", value: json({ v: 2, event: events[0] }) },
    { name: "bytes that are not JSON", value: Buffer.from("\u0000\u0001") },
  ])("are rejected when they hold $name", ({ value }) => {
    expect(decodeControl(value).ok).toBe(false);
  });
});
