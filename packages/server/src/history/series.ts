/**
 * The history series catalog: which values of a normalized sample are kept, under which key, at which
 * precision, and how keys map back to the series names and labels a history query returns.
 *
 * Key grammar: `<group>.<field>` with an optional `|<label>` (a mountpoint or an interface name, any
 * characters). Groups: cpu, load, mem, disk (usage per mountpoint), diskio, net (total, or per
 * interface when labelled).
 */
import type { HistoryMetric, Sample } from "@statusmonitor/protocol";

export type SeriesValues = Record<string, number>;
export type SeriesKind = "gauge" | "counter";

/** Decimal places kept per field; percentages and rates to 1/100, bytes and counts exact. */
const DECIMALS: Record<string, number> = {
  usage: 2,
  user: 2,
  system: 2,
  iowait: 2,
  steal: 2,
  used_percent: 2,
  load1: 2,
  load5: 2,
  load15: 2,
};

/** Cumulative counters: their bucket value is the newest (largest) one, not an average. */
const NETWORK_COUNTERS = ["bytes_sent", "bytes_recv", "packets_sent", "packets_recv", "errin", "errout", "dropin", "dropout"] as const;
const NETWORK_FIELDS = [...NETWORK_COUNTERS, "bytes_sent_per_s", "bytes_recv_per_s", "packets_sent_per_s", "packets_recv_per_s"] as const;
const COUNTER_FIELDS = new Set<string>(NETWORK_COUNTERS);
const RATE_DECIMALS = 2;

const METRIC_GROUPS: Record<HistoryMetric, readonly string[]> = {
  cpu: ["cpu"],
  memory: ["mem"],
  disk: ["disk", "diskio"],
  network: ["net"],
  load: ["load"],
};

export interface ParsedKey {
  group: string;
  field: string;
  label: string | undefined;
}

export function seriesKey(group: string, field: string, label?: string): string {
  return label === undefined ? `${group}.${field}` : `${group}.${field}|${label}`;
}

export function parseSeriesKey(key: string): ParsedKey {
  const bar = key.indexOf("|");
  const head = bar < 0 ? key : key.slice(0, bar);
  const dot = head.indexOf(".");
  return { group: head.slice(0, dot), field: head.slice(dot + 1), label: bar < 0 ? undefined : key.slice(bar + 1) };
}

export function decimalsOf(key: string): number {
  return decimalsOfField(parseSeriesKey(key).field);
}

/** The decimals of a field (`usage`, `core.3.usage`, `bytes_sent_per_s`); seriesOf knows the field and skips parsing the key. */
function decimalsOfField(field: string): number {
  const leaf = field.slice(field.lastIndexOf(".") + 1);
  if (leaf in DECIMALS) return DECIMALS[leaf]!;
  return leaf.endsWith("_per_s") ? RATE_DECIMALS : 0;
}

export function kindOf(key: string): SeriesKind {
  return COUNTER_FIELDS.has(parseSeriesKey(key).field) ? "counter" : "gauge";
}

export const roundTo = (value: number, decimals: number): number => {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
};

/** The values of one sample that history keeps, rounded to their stored precision. */
export function seriesOf(sample: Sample): SeriesValues {
  const out: SeriesValues = {};
  const put = (group: string, field: string, value: number | undefined, label?: string) => {
    if (value === undefined || !Number.isFinite(value)) return;
    out[seriesKey(group, field, label)] = roundTo(value, decimalsOfField(field));
  };

  const { cpu, memory, disk_io: io, network } = sample;
  if (cpu) {
    put("cpu", "usage", cpu.usage_percent);
    put("cpu", "user", cpu.user_percent);
    put("cpu", "system", cpu.system_percent);
    put("cpu", "iowait", cpu.iowait_percent);
    put("cpu", "steal", cpu.steal_percent);
    put("cpu", "freq_mhz", cpu.freq_mhz?.current);
    cpu.per_core_usage?.forEach((v, i) => put("cpu", `core.${i}.usage`, v));
    cpu.per_core_freq_mhz?.forEach((v, i) => put("cpu", `core.${i}.freq_mhz`, v));
    if (cpu.load_avg) {
      put("load", "load1", cpu.load_avg[0]);
      put("load", "load5", cpu.load_avg[1]);
      put("load", "load15", cpu.load_avg[2]);
    }
  }
  if (memory) {
    put("mem", "used_percent", memory.used_percent);
    put("mem", "used", memory.used);
    put("mem", "available", memory.available);
    put("mem", "total", memory.total);
    put("mem", "swap_used", memory.swap_used);
    put("mem", "swap_total", memory.swap_total);
  }
  for (const disk of sample.disks ?? []) {
    put("disk", "used_percent", disk.used_percent, disk.mountpoint);
    put("disk", "used", disk.used, disk.mountpoint);
    put("disk", "free", disk.free, disk.mountpoint);
    put("disk", "total", disk.total, disk.mountpoint);
  }
  if (io) {
    put("diskio", "read_bytes_per_s", io.read_bytes_per_s);
    put("diskio", "write_bytes_per_s", io.write_bytes_per_s);
    put("diskio", "read_ops_per_s", io.read_ops_per_s);
    put("diskio", "write_ops_per_s", io.write_ops_per_s);
  }
  if (network) {
    for (const field of NETWORK_FIELDS) put("net", field, network[field]);
    for (const nic of network.interfaces ?? []) {
      for (const field of NETWORK_FIELDS) put("net", field, nic[field], nic.name);
    }
  }
  return out;
}

/** The selection of stored keys a query for `metric` returns (optionally one mountpoint / interface). */
export function keyFilter(metric: HistoryMetric, options: { mountpoint?: string; interface?: string } = {}): (key: string) => boolean {
  const groups = METRIC_GROUPS[metric];
  return (key) => {
    const { group, label } = parseSeriesKey(key);
    if (!groups.includes(group)) return false;
    // One mountpoint's usage only: the I/O totals belong to no mountpoint, like network totals to no interface.
    if (metric === "disk" && options.mountpoint !== undefined) return group === "disk" && label === options.mountpoint;
    if (group === "net" && options.interface !== undefined) return label === options.interface;
    return true;
  };
}

/** The series name and labels a query response shows for a stored key. */
export function describeKey(key: string): { name: string; labels?: Record<string, string> } {
  const { group, field, label } = parseSeriesKey(key);
  if (label === undefined) return { name: field };
  return { name: field, labels: group === "disk" ? { mountpoint: label } : { interface: label } };
}
