/** Our agent's ingest format: host facts once per request plus a batch of timestamped samples. */
import { z } from "zod";
import { MAX_DISKS, MAX_INTERFACES, MAX_SAMPLES_PER_BATCH } from "./limits.js";
import { epochMs, shortText } from "./primitives.js";
import { cpuStats, diskIoCounters, diskUsage, memoryStats, networkCounters, sample } from "./sample.js";

export const agentFacts = z.object({
  hostname: shortText(255),
  os: shortText(128),
  arch: shortText(32),
  /** The agent's own version. */
  version: shortText(64),
  /** When the machine booted, epoch milliseconds. */
  boot_time: epochMs.optional(),
  kernel: shortText(128).optional(),
});

export const batchSample = z.object({
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Epoch milliseconds. */
  timestamp: epochMs,
  cpu: cpuStats.optional(),
  memory: memoryStats.optional(),
  disks: z.array(diskUsage).max(MAX_DISKS).optional(),
  /** Cumulative since boot; the hub turns them into rates. */
  disk_io: diskIoCounters.optional(),
  /** Cumulative per-interface counters (loopback excluded); the hub adds totals and rates. */
  network: z
    .object({ interfaces: z.array(networkCounters.extend({ name: shortText(64) })).max(MAX_INTERFACES) })
    .optional(),
  temperatures: sample.shape.temperatures,
  uptime_s: sample.shape.uptime_s,
});

export const batchPayload = z.object({
  agent: agentFacts,
  samples: z.array(batchSample).min(1).max(MAX_SAMPLES_PER_BATCH),
});

/** Answer to a batch: how many samples were new, and the newest timestamp stored durably. */
export const batchAck = z.object({
  status: z.literal("received"),
  stored: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  /** Newest sample timestamp (epoch ms) the hub holds durably for this agent, or null. */
  newest_timestamp: epochMs.nullable(),
});
/** Answer to an original-format payload, byte-compatible with the original hub. */
export const originalAck = z.object({ status: z.literal("received") });

export type AgentFacts = z.infer<typeof agentFacts>;
export type BatchSample = z.infer<typeof batchSample>;
export type BatchPayload = z.infer<typeof batchPayload>;
export type BatchAck = z.infer<typeof batchAck>;
