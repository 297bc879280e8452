/** Per-second rates from two readings of cumulative counters, with counter resets handled. */
import { MAX_MEASUREMENT, type DiskIoStats, type NetworkStats, type Sample } from "@statusmonitor/protocol";

/**
 * The rate between two readings, or undefined when it cannot be known: a reading is missing, time
 * did not advance, the counter went backwards (the machine rebooted or the counter wrapped), or the
 * rate is beyond any real device (a glitch). A rate is never invented for a step whose start is unknown.
 */
export function counterRate(previous: number | undefined, current: number | undefined, seconds: number): number | undefined {
  if (previous === undefined || current === undefined || !(seconds > 0) || current < previous) return undefined;
  const rate = (current - previous) / seconds;
  return rate <= MAX_MEASUREMENT ? rate : undefined;
}

function networkRates<T extends Omit<NetworkStats, "interfaces">>(current: T, previous: T | undefined, seconds: number): T {
  return withDefined(current, {
    bytes_sent_per_s: counterRate(previous?.bytes_sent, current.bytes_sent, seconds),
    bytes_recv_per_s: counterRate(previous?.bytes_recv, current.bytes_recv, seconds),
    packets_sent_per_s: counterRate(previous?.packets_sent, current.packets_sent, seconds),
    packets_recv_per_s: counterRate(previous?.packets_recv, current.packets_recv, seconds),
  });
}

function diskRates(current: DiskIoStats, previous: DiskIoStats | undefined, seconds: number): DiskIoStats {
  return withDefined(current, {
    read_bytes_per_s: counterRate(previous?.read_bytes, current.read_bytes, seconds),
    write_bytes_per_s: counterRate(previous?.write_bytes, current.write_bytes, seconds),
    read_ops_per_s: counterRate(previous?.read_ops, current.read_ops, seconds),
    write_ops_per_s: counterRate(previous?.write_ops, current.write_ops, seconds),
  });
}

function withDefined<T extends object>(base: T, additions: Record<string, number | undefined>): T {
  // Runs for every ingested sample: Object.assign and a plain loop cost a tenth of a spread and Object.entries here.
  const out = Object.assign({}, base) as Record<string, unknown>;
  for (const key in additions) if (additions[key] !== undefined) out[key] = additions[key];
  return out as T;
}

/** Adds network (total and per interface) and disk I/O rates to `current`, measured since `previous`. */
export function withRates(current: Sample, previous: Sample | undefined): Sample {
  if (!previous || previous.timestamp >= current.timestamp) return current;
  const seconds = (current.timestamp - previous.timestamp) / 1000;
  const out: Sample = { ...current };
  if (current.network) {
    const { interfaces, ...totals } = current.network;
    // The totals' rates read only the previous totals' counters, never its interfaces.
    const totalsWithRates: NetworkStats = networkRates(totals, previous.network, seconds);
    if (interfaces) {
      const byName = new Map(previous.network?.interfaces?.map((i) => [i.name, i]));
      totalsWithRates.interfaces = interfaces.map((i) => networkRates(i, byName.get(i.name), seconds));
    }
    out.network = totalsWithRates;
  }
  if (current.disk_io) out.disk_io = diskRates(current.disk_io, previous.disk_io, seconds);
  return out;
}
