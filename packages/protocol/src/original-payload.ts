/**
 * The two payload variants sent by the original project's Python agents (headless and Tk GUI),
 * accepted unchanged on POST /ingest. Unknown keys are dropped; only `timestamp` is required.
 */
import { z } from "zod";
import { MAX_CORES, MAX_DISKS } from "./limits.js";
import { counter, nonNegative, percent } from "./primitives.js";
import { diskUsage } from "./sample.js";

/** Epoch seconds with a fraction, as `time.time()` produces. */
const epochSeconds = z.number().min(0).max(8.64e12);

/** psutil's partition: the normalized disk entry with `percent` where we say `used_percent`. */
const originalPartition = diskUsage.omit({ used_percent: true }).extend({ percent: percent.optional() });

/** psutil's cpu_freq() as a dict: `{}` when the platform cannot tell. */
const originalFreq = z.object({
  current: nonNegative.optional(),
  min: nonNegative.optional(),
  max: nonNegative.optional(),
});

const originalCpuCommon = {
  usage_percent: percent.optional(),
  per_core_usage: z.array(percent).max(MAX_CORES).optional(),
  freq: originalFreq.optional(),
};
const originalNetworkCommon = {
  bytes_sent: counter.optional(),
  bytes_recv: counter.optional(),
  packets_sent: counter.optional(),
  packets_recv: counter.optional(),
};
const originalNetworkErrors = {
  errin: counter.optional(),
  errout: counter.optional(),
  dropin: counter.optional(),
  dropout: counter.optional(),
};
/** psutil's disk_io_counters(): `{}` when unavailable. */
const originalDiskIo = z.object({
  read_count: counter.optional(),
  write_count: counter.optional(),
  read_bytes: counter.optional(),
  write_bytes: counter.optional(),
  read_time: counter.optional(),
  write_time: counter.optional(),
  read_merged_count: counter.optional(),
  write_merged_count: counter.optional(),
  busy_time: counter.optional(),
});
const loadAvg = z.union([z.tuple([nonNegative, nonNegative, nonNegative]), z.tuple([])]);

/** The headless agent (`agent_service/main.py`): 1 s blocking CPU sample, disk I/O, error counters. */
export const originalHeadlessPayload = z.object({
  timestamp: epochSeconds,
  cpu: z.object({ ...originalCpuCommon, load_avg: loadAvg.optional() }).optional(),
  memory: z
    .object({ total: counter.optional(), available: counter.optional(), used_percent: percent.optional() })
    .optional(),
  disk: z
    .object({ partitions: z.array(originalPartition).max(MAX_DISKS).optional(), io: originalDiskIo.optional() })
    .optional(),
  network: z.object({ ...originalNetworkCommon, ...originalNetworkErrors }).optional(),
});

/** The GUI agent (`agent_service/gui_agent.py`): core counts and `memory.used`, no load or disk I/O. */
export const originalGuiPayload = z.object({
  timestamp: epochSeconds,
  cpu: z
    .object({
      ...originalCpuCommon,
      frequency_mhz: nonNegative.optional(),
      count: z.number().int().min(0).max(MAX_CORES).nullable().optional(),
      count_logical: z.number().int().min(0).max(MAX_CORES).optional(),
    })
    .optional(),
  memory: z
    .object({
      total: counter.optional(),
      available: counter.optional(),
      used: counter.optional(),
      used_percent: percent.optional(),
    })
    .optional(),
  disk: z.object({ partitions: z.array(originalPartition).max(MAX_DISKS).optional() }).optional(),
  network: z.object(originalNetworkCommon).optional(),
});

/** What POST /ingest accepts from an original agent: the union of both variants' fields. */
export const originalPayload = z.object({
  timestamp: epochSeconds,
  cpu: originalHeadlessPayload.shape.cpu.unwrap().extend(originalGuiPayload.shape.cpu.unwrap().shape).optional(),
  memory: originalGuiPayload.shape.memory,
  disk: originalHeadlessPayload.shape.disk,
  network: originalHeadlessPayload.shape.network,
});

export type OriginalHeadlessPayload = z.infer<typeof originalHeadlessPayload>;
export type OriginalGuiPayload = z.infer<typeof originalGuiPayload>;
export type OriginalPayload = z.infer<typeof originalPayload>;
