/**
 * Flattens a live sample, or the history endpoints' series, into rows of named numbers: the one shape
 * the live window stores, whichever way a point arrived. Timestamps are whole seconds, like the raw
 * history tier's buckets, so a live sample and its stored copy land on the same row.
 */
import type { HistoryResponse, Sample } from "@statusmonitor/protocol";
import { counterRate } from "./counter-rate";

export interface Row {
  /** Epoch milliseconds, floored to the second. */
  t: number;
  values: Record<string, number>;
}

/** Column names; per-core ones are `core.N` (usage %) and `corefreq.N` (MHz). */
export const COL = {
  cpu: "cpu",
  cpuUser: "cpu_user",
  cpuSystem: "cpu_system",
  cpuIowait: "cpu_iowait",
  cpuSteal: "cpu_steal",
  cpuFreq: "cpu_freq",
  mem: "mem",
  memUsed: "mem_used",
  memAvailable: "mem_available",
  memTotal: "mem_total",
  swapUsed: "swap_used",
  swapTotal: "swap_total",
  netTx: "net_tx",
  netRx: "net_rx",
  netTxTotal: "net_tx_total",
  netRxTotal: "net_rx_total",
  diskRead: "disk_read",
  diskWrite: "disk_write",
  diskReadTotal: "disk_read_total",
  diskWriteTotal: "disk_write_total",
  load1: "load1",
  load5: "load5",
  load15: "load15",
} as const;

export const coreCol = (index: number) => `core.${index}`;
export const coreFreqCol = (index: number) => `corefreq.${index}`;

/** Rate columns and the counter each can be derived from when the hub did not send the rate. */
export const RATE_FROM_COUNTER: ReadonlyArray<readonly [rate: string, counter: string]> = [
  [COL.netTx, COL.netTxTotal],
  [COL.netRx, COL.netRxTotal],
  [COL.diskRead, COL.diskReadTotal],
  [COL.diskWrite, COL.diskWriteTotal],
];

export const secondOf = (ms: number) => Math.floor(ms / 1000) * 1000;

function put(values: Record<string, number>, key: string, value: number | null | undefined): void {
  if (value !== undefined && value !== null && Number.isFinite(value)) values[key] = value;
}

export function sampleRow(sample: Sample): Row {
  const values: Record<string, number> = {};
  const { cpu, memory: mem, network: net, disk_io: io } = sample;
  if (cpu) {
    put(values, COL.cpu, cpu.usage_percent);
    put(values, COL.cpuUser, cpu.user_percent);
    put(values, COL.cpuSystem, cpu.system_percent);
    put(values, COL.cpuIowait, cpu.iowait_percent);
    put(values, COL.cpuSteal, cpu.steal_percent);
    put(values, COL.cpuFreq, cpu.freq_mhz?.current);
    cpu.per_core_usage?.forEach((value, i) => put(values, coreCol(i), value));
    cpu.per_core_freq_mhz?.forEach((value, i) => put(values, coreFreqCol(i), value));
    if (cpu.load_avg) {
      put(values, COL.load1, cpu.load_avg[0]);
      put(values, COL.load5, cpu.load_avg[1]);
      put(values, COL.load15, cpu.load_avg[2]);
    }
  }
  if (mem) {
    put(values, COL.mem, mem.used_percent ?? (mem.used !== undefined && mem.total ? (mem.used / mem.total) * 100 : undefined));
    put(values, COL.memUsed, mem.used);
    put(values, COL.memAvailable, mem.available);
    put(values, COL.memTotal, mem.total);
    put(values, COL.swapUsed, mem.swap_used);
    put(values, COL.swapTotal, mem.swap_total);
  }
  if (net) {
    put(values, COL.netTx, net.bytes_sent_per_s);
    put(values, COL.netRx, net.bytes_recv_per_s);
    put(values, COL.netTxTotal, net.bytes_sent);
    put(values, COL.netRxTotal, net.bytes_recv);
  }
  if (io) {
    put(values, COL.diskRead, io.read_bytes_per_s);
    put(values, COL.diskWrite, io.write_bytes_per_s);
    put(values, COL.diskReadTotal, io.read_bytes);
    put(values, COL.diskWriteTotal, io.write_bytes);
  }
  return { t: secondOf(sample.timestamp), values };
}

/** History series name (unlabelled: totals only) → column, per metric. */
const HISTORY_COLUMNS: Record<string, Record<string, string>> = {
  cpu: { usage: COL.cpu, user: COL.cpuUser, system: COL.cpuSystem, iowait: COL.cpuIowait, steal: COL.cpuSteal, freq_mhz: COL.cpuFreq },
  memory: { used_percent: COL.mem, used: COL.memUsed, available: COL.memAvailable, total: COL.memTotal, swap_used: COL.swapUsed, swap_total: COL.swapTotal },
  network: { bytes_sent_per_s: COL.netTx, bytes_recv_per_s: COL.netRx, bytes_sent: COL.netTxTotal, bytes_recv: COL.netRxTotal },
  disk: { read_bytes_per_s: COL.diskRead, write_bytes_per_s: COL.diskWrite },
  load: { load1: COL.load1, load5: COL.load5, load15: COL.load15 },
};
const CORE_SERIES = /^core\.(\d+)\.(usage|freq_mhz)$/;

function historyColumn(metric: string, name: string): string | undefined {
  const plain = HISTORY_COLUMNS[metric]?.[name];
  if (plain) return plain;
  if (metric !== "cpu") return undefined;
  const core = CORE_SERIES.exec(name);
  if (!core) return undefined;
  return core[2] === "usage" ? coreCol(Number(core[1])) : coreFreqCol(Number(core[1]));
}

/**
 * Rows from history answers, one per timestamp, oldest first. Labelled series (per disk, per
 * interface) are left out: the live window charts totals, and the per-item tables read the newest sample.
 */
export function historyRows(responses: ReadonlyArray<Pick<HistoryResponse, "metric" | "series">>): Row[] {
  const byTime = new Map<number, Record<string, number>>();
  for (const response of responses) {
    for (const series of response.series) {
      if (series.labels && Object.keys(series.labels).length > 0) continue;
      const key = historyColumn(response.metric, series.name);
      if (!key) continue;
      for (const point of series.points) {
        if (point.v === null || !Number.isFinite(point.v)) continue;
        const t = secondOf(point.t);
        let values = byTime.get(t);
        if (!values) byTime.set(t, (values = {}));
        values[key] = point.v;
      }
    }
  }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, values]) => ({ t, values }));
}

/**
 * Fills the rate columns a row lacks from the counters of the row before it (the hub's rates are
 * missing on the first sample after it restarts, and from agents that report counters only).
 * Returns whether anything was filled.
 */
export function fillMissingRates(previous: Row | undefined, row: Row): boolean {
  if (!previous) return false;
  let filled = false;
  for (const [rate, counter] of RATE_FROM_COUNTER) {
    if (row.values[rate] !== undefined) continue;
    const value = counterRate({ t: previous.t, v: previous.values[counter] }, { t: row.t, v: row.values[counter] });
    if (value !== undefined) {
      row.values[rate] = value;
      filled = true;
    }
  }
  return filled;
}
