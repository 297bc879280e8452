/** The series of each live chart, defined once so their identity never changes (a new array would rebuild the chart). */
import { METRIC_COLORS, seriesColor } from "../../components/chart/chart-theme";
import type { LiveSeries } from "./live-chart";
import { COL, coreCol } from "./sample-row";

export const CPU_SERIES: readonly LiveSeries[] = [{ key: COL.cpu, label: "CPU", color: METRIC_COLORS.cpu, fill: true }];
export const MEMORY_SERIES: readonly LiveSeries[] = [{ key: COL.mem, label: "Used", color: METRIC_COLORS.memory, fill: true }];
export const NETWORK_SERIES: readonly LiveSeries[] = [
  { key: COL.netTx, label: "Upload", color: METRIC_COLORS.upload, fill: true },
  { key: COL.netRx, label: "Download", color: METRIC_COLORS.download, fill: true },
];
export const DISK_IO_SERIES: readonly LiveSeries[] = [
  { key: COL.diskRead, label: "Read", color: METRIC_COLORS.read, fill: true },
  { key: COL.diskWrite, label: "Write", color: METRIC_COLORS.write, fill: true },
];

const coreSeriesCache = new Map<number, readonly LiveSeries[]>();
/** One series per core, cached by core count. */
export function coreSeries(cores: number): readonly LiveSeries[] {
  let series = coreSeriesCache.get(cores);
  if (!series) coreSeriesCache.set(cores, (series = Array.from({ length: cores }, (_, i) => ({ key: coreCol(i), label: `Core ${i}`, color: seriesColor(i) }))));
  return series;
}
