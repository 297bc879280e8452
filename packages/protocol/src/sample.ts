/**
 * The normalized sample: the one shape every consumer (live stream, history, alerts, dashboard)
 * sees, whichever agent produced it. Anything a platform cannot measure is absent, never zero.
 */
import { z } from "zod";
import { MAX_CORES, MAX_DISKS, MAX_INTERFACES, MAX_TEMPERATURES } from "./limits.js";
import { counter, epochMs, nonNegative, percent, positiveId, shortText } from "./primitives.js";

export const cpuStats = z.object({
  usage_percent: percent.optional(),
  per_core_usage: z.array(percent).max(MAX_CORES).optional(),
  /** Current frequency per logical core, MHz. */
  per_core_freq_mhz: z.array(nonNegative).max(MAX_CORES).optional(),
  freq_mhz: z
    .object({ current: nonNegative.optional(), min: nonNegative.optional(), max: nonNegative.optional() })
    .optional(),
  load_avg: z.tuple([nonNegative, nonNegative, nonNegative]).optional(),
  user_percent: percent.optional(),
  system_percent: percent.optional(),
  iowait_percent: percent.optional(),
  steal_percent: percent.optional(),
  /** Physical cores. */
  count: z.number().int().min(0).max(MAX_CORES).optional(),
  count_logical: z.number().int().min(0).max(MAX_CORES).optional(),
});

export const memoryStats = z.object({
  total: counter.optional(),
  available: counter.optional(),
  used: counter.optional(),
  used_percent: percent.optional(),
  swap_total: counter.optional(),
  swap_used: counter.optional(),
});

export const diskUsage = z.object({
  device: shortText(1024).optional(),
  mountpoint: shortText(4096),
  fstype: shortText(64).optional(),
  total: counter.optional(),
  used: counter.optional(),
  free: counter.optional(),
  used_percent: percent.optional(),
});

/** Cumulative disk I/O counters since boot; the hub derives the per-second rates. */
export const diskIoCounters = z.object({
  read_bytes: counter.optional(),
  write_bytes: counter.optional(),
  read_ops: counter.optional(),
  write_ops: counter.optional(),
});
export const diskIoStats = diskIoCounters.extend({
  read_bytes_per_s: nonNegative.optional(),
  write_bytes_per_s: nonNegative.optional(),
  read_ops_per_s: nonNegative.optional(),
  write_ops_per_s: nonNegative.optional(),
});

/** Cumulative network counters since boot (one interface, or the total of all but loopback). */
export const networkCounters = z.object({
  bytes_sent: counter.optional(),
  bytes_recv: counter.optional(),
  packets_sent: counter.optional(),
  packets_recv: counter.optional(),
  errin: counter.optional(),
  errout: counter.optional(),
  dropin: counter.optional(),
  dropout: counter.optional(),
});
/** Per-second rates the hub derives from two consecutive counter readings. */
export const networkRates = z.object({
  bytes_sent_per_s: nonNegative.optional(),
  bytes_recv_per_s: nonNegative.optional(),
  packets_sent_per_s: nonNegative.optional(),
  packets_recv_per_s: nonNegative.optional(),
});
export const interfaceStats = networkCounters.extend(networkRates.shape).extend({ name: shortText(64) });
export const networkStats = networkCounters.extend(networkRates.shape).extend({
  interfaces: z.array(interfaceStats).max(MAX_INTERFACES).optional(),
});

export const temperature = z.object({ label: shortText(128), celsius: z.number().min(-273.15).max(1000) });

export const sample = z.object({
  agent_id: positiveId,
  /** When the agent took the sample, epoch milliseconds. */
  timestamp: epochMs,
  /** The agent's sequence number, when the agent sends one. */
  seq: z.number().int().min(0).optional(),
  cpu: cpuStats.optional(),
  memory: memoryStats.optional(),
  disks: z.array(diskUsage).max(MAX_DISKS).optional(),
  disk_io: diskIoStats.optional(),
  network: networkStats.optional(),
  temperatures: z.array(temperature).max(MAX_TEMPERATURES).optional(),
  uptime_s: nonNegative.optional(),
});

export type CpuStats = z.infer<typeof cpuStats>;
export type MemoryStats = z.infer<typeof memoryStats>;
export type DiskUsage = z.infer<typeof diskUsage>;
export type DiskIoStats = z.infer<typeof diskIoStats>;
export type NetworkCounters = z.infer<typeof networkCounters>;
export type NetworkStats = z.infer<typeof networkStats>;
export type InterfaceStats = z.infer<typeof interfaceStats>;
export type Sample = z.infer<typeof sample>;
