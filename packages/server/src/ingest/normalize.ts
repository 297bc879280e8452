/** Turns either agent format (original payload or our batch sample) into the normalized Sample. */
import { MAX_COUNTER, type BatchSample, type NetworkCounters, type OriginalPayload, type Sample } from "@statusmonitor/protocol";

/** Drops keys whose value is undefined, and the object itself when nothing is left. */
function compact<T extends object>(value: T): T | undefined {
  // A plain loop: this runs several times per ingested sample, and Object.entries allocated each time.
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const key in value) {
    if (value[key] === undefined) continue;
    out[key] = value[key];
    empty = false;
  }
  return empty ? undefined : (out as T);
}

/** psutil reports 0 for "unknown" min/max frequency on some platforms. */
const positiveOrAbsent = (value: number | undefined) => (value !== undefined && value > 0 ? value : undefined);

export function fromOriginal(agentId: number, payload: OriginalPayload): Sample {
  const { cpu, memory, disk, network } = payload;
  const io = disk?.io;
  return {
    agent_id: agentId,
    timestamp: Math.round(payload.timestamp * 1000),
    cpu:
      cpu &&
      compact({
        usage_percent: cpu.usage_percent,
        per_core_usage: cpu.per_core_usage,
        freq_mhz: compact({
          current: positiveOrAbsent(cpu.freq?.current ?? cpu.frequency_mhz),
          min: positiveOrAbsent(cpu.freq?.min),
          max: positiveOrAbsent(cpu.freq?.max),
        }),
        load_avg: cpu.load_avg?.length === 3 ? cpu.load_avg : undefined,
        count: cpu.count ?? undefined,
        count_logical: cpu.count_logical,
      }),
    memory:
      memory &&
      compact({
        total: memory.total,
        available: memory.available,
        used:
          memory.used ??
          (memory.total !== undefined && memory.available !== undefined
            ? Math.max(0, memory.total - memory.available)
            : undefined),
        used_percent: memory.used_percent,
      }),
    disks: disk?.partitions?.map(
      (p) =>
        compact({
          device: p.device,
          mountpoint: p.mountpoint,
          fstype: p.fstype,
          total: p.total,
          used: p.used,
          free: p.free,
          used_percent: p.percent,
        })!,
    ),
    disk_io:
      io &&
      compact({ read_bytes: io.read_bytes, write_bytes: io.write_bytes, read_ops: io.read_count, write_ops: io.write_count }),
    network: network && compact(network),
  };
}

const COUNTER_KEYS = ["bytes_sent", "bytes_recv", "packets_sent", "packets_recv", "errin", "errout", "dropin", "dropout"] as const;

/**
 * Sums per-interface counters; a counter is in the total only if every interface reports it and
 * the sum is still exact (at most 2^53).
 */
export function totalOf(interfaces: NetworkCounters[]): NetworkCounters {
  const total: NetworkCounters = {};
  for (const key of COUNTER_KEYS) {
    if (interfaces.length > 0 && interfaces.every((i) => i[key] !== undefined)) {
      const sum = interfaces.reduce((acc, i) => acc + i[key]!, 0);
      if (sum <= MAX_COUNTER) total[key] = sum;
    }
  }
  return total;
}

export function fromBatch(agentId: number, s: BatchSample): Sample {
  const interfaces = s.network?.interfaces;
  return compact({
    agent_id: agentId,
    timestamp: s.timestamp,
    seq: s.seq,
    cpu: s.cpu && compact(s.cpu),
    memory: s.memory && compact(s.memory),
    disks: s.disks,
    disk_io: s.disk_io && compact(s.disk_io),
    network: interfaces && { ...totalOf(interfaces), interfaces },
    temperatures: s.temperatures,
    uptime_s: s.uptime_s,
  })!;
}
