/**
 * The history tab's charts as a table: which metric each reads, which of the response's series it
 * draws (by the hub's series names), their labels and colours, the unit and which lines get a
 * min–max band.
 */
import type { HistoryMetric } from "@statusmonitor/protocol";
import { METRIC_COLORS, seriesColor } from "../../components/chart/chart-theme";
import type { HistorySeries } from "./history-series";

export type ChartUnit = "percent" | "bytesPerSecond" | "number";

export interface ChartLine {
  key: string;
  label: string;
  color: string;
  series: HistorySeries;
  /** Draw this line's min–max band (when the points summarize several samples). */
  band: boolean;
}

export interface ChartSpec {
  id: "cpu" | "cores" | "memory" | "disk" | "diskio" | "network" | "load";
  metric: HistoryMetric;
  title: string;
  /** What the chart shows, for screen readers and the empty message. */
  description: string;
  unit: ChartUnit;
  /** Percent charts keep 0–100 so two ranges compare at a glance. */
  fixedMax?: number;
  lines(series: readonly HistorySeries[]): Omit<ChartLine, "band">[];
  /** Which of `lines` may get a band; a crowd of bands hides the lines. */
  bandable(lines: readonly Omit<ChartLine, "band">[]): boolean[];
}

const total = (series: readonly HistorySeries[], name: string) => series.find((s) => s.name === name && (!s.labels || Object.keys(s.labels).length === 0));
/** The line of a label-less total series, when the response has it. */
const totalLine = (series: readonly HistorySeries[], name: string, key: string, label: string, color: string) => {
  const found = total(series, name);
  return found ? { key, label, color, series: found } : null;
};
const present = <T,>(items: ReadonlyArray<T | null | undefined>): T[] => items.filter((item): item is T => item !== null && item !== undefined);
const all = (lines: readonly unknown[]) => lines.map(() => true);
const none = (lines: readonly unknown[]) => lines.map(() => false);
/** Most bands drawn on a chart with several lines (disks): more overlap into a smear. */
const MAX_BANDS = 4;

export const HISTORY_CHARTS: readonly ChartSpec[] = [
  {
    id: "cpu",
    metric: "cpu",
    title: "CPU usage",
    description: "Total CPU usage in percent",
    unit: "percent",
    fixedMax: 100,
    lines: (series) => present([totalLine(series, "usage", "usage", "CPU", METRIC_COLORS.cpu)]),
    bandable: all,
  },
  {
    id: "cores",
    metric: "cpu",
    title: "CPU per core",
    description: "Usage of each logical core in percent",
    unit: "percent",
    fixedMax: 100,
    lines: (series) =>
      series
        .map((s) => ({ s, core: /^core\.(\d+)\.usage$/.exec(s.name)?.[1] }))
        .filter((entry): entry is { s: HistorySeries; core: string } => entry.core !== undefined)
        .sort((a, b) => Number(a.core) - Number(b.core))
        .map(({ s, core }, index) => ({ key: s.name, label: `Core ${core}`, color: seriesColor(index), series: s })),
    bandable: none,
  },
  {
    id: "memory",
    metric: "memory",
    title: "Memory used",
    description: "Memory in use in percent of the total",
    unit: "percent",
    fixedMax: 100,
    lines: (series) => present([totalLine(series, "used_percent", "used_percent", "Memory", METRIC_COLORS.memory)]),
    bandable: all,
  },
  {
    id: "disk",
    metric: "disk",
    title: "Disk used",
    description: "Used space of each mountpoint in percent",
    unit: "percent",
    fixedMax: 100,
    lines: (series) =>
      series
        .filter((s) => s.name === "used_percent" && s.labels?.mountpoint !== undefined)
        .map((s, index) => ({ key: `used_percent|${s.labels!.mountpoint}`, label: s.labels!.mountpoint!, color: seriesColor(index + 2), series: s })),
    bandable: (lines) => (lines.length <= MAX_BANDS ? all(lines) : none(lines)),
  },
  {
    id: "diskio",
    metric: "disk",
    title: "Disk I/O",
    description: "Bytes read and written per second, all disks",
    unit: "bytesPerSecond",
    lines: (series) =>
      present([totalLine(series, "read_bytes_per_s", "read", "Read", METRIC_COLORS.read), totalLine(series, "write_bytes_per_s", "write", "Write", METRIC_COLORS.write)]),
    bandable: all,
  },
  {
    id: "network",
    metric: "network",
    title: "Network throughput",
    description: "Bytes received and sent per second, all interfaces",
    unit: "bytesPerSecond",
    lines: (series) =>
      present([totalLine(series, "bytes_recv_per_s", "recv", "Download", METRIC_COLORS.download), totalLine(series, "bytes_sent_per_s", "sent", "Upload", METRIC_COLORS.upload)]),
    bandable: all,
  },
  {
    id: "load",
    metric: "load",
    title: "Load average",
    description: "Load average over 1, 5 and 15 minutes",
    unit: "number",
    lines: (series) =>
      present([
        totalLine(series, "load1", "load1", "1 min", METRIC_COLORS.load1),
        totalLine(series, "load5", "load5", "5 min", METRIC_COLORS.load5),
        totalLine(series, "load15", "load15", "15 min", METRIC_COLORS.load15),
      ]),
    // The 5 and 15 minute averages are smooth by nature; only the 1 minute one has a spread worth showing.
    bandable: (lines) => lines.map((line) => line.key === "load1"),
  },
];

/** A chart's lines from a response's series, with bands where the points summarize several samples. */
export function chartLines(spec: ChartSpec, series: readonly HistorySeries[], withBands: boolean): ChartLine[] {
  const lines = spec.lines(series);
  const bandable = spec.bandable(lines);
  return lines.map((line, i) => ({ ...line, band: withBands && bandable[i] === true }));
}
