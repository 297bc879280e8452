/**
 * uPlot options of one history chart: lines plus hidden min/max edges joined by a band, an x axis
 * pinned to the span on screen (in the browser's time zone), a cursor synced across the tab's charts,
 * and drag-to-zoom / double-click-to-reset handed to the tab instead of uPlot's own zoom.
 */
import type uPlot from "uplot";
import { chartPalette, fillOf, themedAxis } from "../../components/chart/chart-theme";
import { formatByteRate } from "../../format/bytes";
import { formatNumber, formatPercent } from "../../format/numbers";
import type { ChartUnit } from "./history-charts";
import type { Span } from "./history-range";

/** Legend rows and hover dots of band edges carry this class, so the chart hides them. */
export const BAND_EDGE_CLASS = "sm-band-edge";

export interface ZoomHandlers {
  /** The chart a drag started on: only it reports the selection (the others mirror it through the sync). */
  dragStart(chart: uPlot): void;
  select(chart: uPlot, from: number, to: number): void;
  reset(): void;
}

export interface HistoryChartOptionsInput {
  lines: ReadonlyArray<{ label: string; color: string; band: boolean }>;
  /** Band edges as [upper, lower] indices, as alignSeries made them. */
  bands: ReadonlyArray<[number, number]>;
  unit: ChartUnit;
  fixedMax?: number;
  dark: boolean;
  syncKey: string;
  /** The span the x axis shows (read on every rescale, so new data never moves it). */
  view: () => Span;
  zoom: ZoomHandlers;
}

const AXIS_FORMAT: Record<ChartUnit, (value: number) => string> = {
  percent: (v) => `${v} %`,
  bytesPerSecond: (v) => formatByteRate(v),
  number: (v) => formatNumber(v),
};
/** Tick steps for byte rates in binary units (1, 2, 5 … KiB/s, MiB/s), so ticks read 2 MiB/s, not 2.38 MiB/s. */
const BYTE_INCRS: number[] = [];
for (let power = 0; power <= 50; power += 10) for (const step of [1, 2, 5, 10, 20, 50, 100, 200, 500]) BYTE_INCRS.push(step * 2 ** power);

const MINUTE = 60_000;
const DAY = 86_400_000;
let timeFormats: Record<"minutes" | "seconds" | "day" | "month", Intl.DateTimeFormat> | undefined;
/**
 * Time ticks in the browser's locale and time zone (24 h or am/pm as the user's locale has it); the
 * date under the first tick and wherever the day changes.
 */
function timeTicks(_u: uPlot, splits: number[], _axis: number, _space: number, incr: number): string[] {
  timeFormats ??= {
    minutes: new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" }),
    seconds: new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" }),
    day: new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" }),
    month: new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric" }),
  };
  const formats = timeFormats;
  if (incr >= 28 * DAY) return splits.map((t) => formats.month.format(t));
  if (incr >= DAY) return splits.map((t) => formats.day.format(t));
  let previousDay = "";
  return splits.map((t) => {
    const time = (incr < MINUTE ? formats.seconds : formats.minutes).format(t);
    const day = formats.day.format(t);
    const label = day === previousDay ? time : `${time}\n${day}`;
    previousDay = day;
    return label;
  });
}

const VALUE_FORMAT: Record<ChartUnit, (value: number | null | undefined) => string> = {
  percent: formatPercent,
  bytesPerSecond: formatByteRate,
  number: formatNumber,
};

/**
 * The indices in [i0, i1] whose value has no neighbour on either side: a line cannot be drawn through
 * them, so without a dot such a sample (an agent that reports rarely, data between two gaps) is invisible.
 */
export function isolatedIndices(values: ArrayLike<number | null | undefined>, range: [number, number] | undefined): number[] | null {
  if (!range) return null;
  const present = (i: number) => values[i] !== null && values[i] !== undefined;
  const out: number[] = [];
  for (let i = range[0]; i <= range[1]; i++) {
    if (present(i) && !present(i - 1) && !present(i + 1)) out.push(i);
  }
  return out.length > 0 ? out : null;
}

export function historyChartOptions(input: HistoryChartOptionsInput): Omit<uPlot.Options, "width" | "height"> {
  const { lines, bands, unit, fixedMax, dark, syncKey, view, zoom } = input;
  const palette = chartPalette(dark);
  const formatValue = VALUE_FORMAT[unit];
  const formatTick = AXIS_FORMAT[unit];
  const value = (_u: uPlot, v: number | null) => formatValue(v);

  const series: uPlot.Series[] = [{ label: "Time", value: (_u, t) => (t === null ? "—" : new Date(t).toLocaleString()) }];
  const lonePoints: uPlot.Series.Points = { filter: (u, seriesIdx, show) => (show ? null : isolatedIndices(u.data[seriesIdx]!, u.series[seriesIdx]!.idxs)) };
  for (const line of lines) series.push({ label: line.label, stroke: line.color, width: 1.5, value, spanGaps: false, points: lonePoints });
  for (const line of lines) {
    if (!line.band) continue;
    const edge = { stroke: "transparent", width: 0, points: { show: false }, class: BAND_EDGE_CLASS, value, spanGaps: false };
    series.push({ ...edge, label: `${line.label} max` }, { ...edge, label: `${line.label} min` });
  }
  const bandColor = (upper: number) => lines.filter((l) => l.band)[(upper - 1 - lines.length) / 2]?.color ?? palette.text;
  // uPlot index of each line's band edges (max, min), so hiding a line in the legend hides its band too.
  const edgesOf = new Map<number, [number, number]>();
  let nextEdge = lines.length + 1;
  lines.forEach((line, i) => {
    if (!line.band) return;
    edgesOf.set(i + 1, [nextEdge, nextEdge + 1]);
    nextEdge += 2;
  });

  return {
    ms: 1,
    series,
    bands: bands.map(([upper, lower]) => ({ series: [upper, lower], fill: fillOf(bandColor(upper), dark ? 0.24 : 0.18) })),
    scales: {
      x: { time: true, range: () => { const { from, to } = view(); return [from, to]; } },
      y: fixedMax !== undefined ? { range: [0, fixedMax] } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
    },
    axes: [
      // Room for "10:30 AM" between ticks: uPlot's default spacing lets 12-hour labels touch.
      themedAxis(palette, { values: timeTicks, space: 72 }),
      themedAxis(palette, {
        values: (_u, splits) => splits.map(formatTick),
        size: unit === "bytesPerSecond" ? 78 : unit === "percent" ? 50 : 44,
        ...(unit === "bytesPerSecond" ? { incrs: BYTE_INCRS } : {}),
      }),
    ],
    legend: { live: true },
    cursor: {
      // Only the cursor is shared: the charts' series differ, so a legend click must stay in its chart.
      sync: { key: syncKey, setSeries: false },
      drag: { x: true, y: false, setScale: false },
      // Double-click goes back to the picked range (the tab's reset), not to uPlot's autoscale.
      bind: { dblclick: () => null },
    },
    hooks: {
      ready: [
        (chart) => {
          chart.over.addEventListener("mousedown", () => zoom.dragStart(chart));
          chart.over.addEventListener("dblclick", () => zoom.reset());
        },
      ],
      setSeries: [
        (chart, index, opts) => {
          const edges = index === null ? undefined : edgesOf.get(index);
          if (edges && opts.show !== undefined) for (const edge of edges) chart.setSeries(edge, { show: opts.show }, false);
        },
      ],
      setSelect: [
        (chart) => {
          const { left, width } = chart.select;
          if (width > 0) zoom.select(chart, chart.posToVal(left, "x"), chart.posToVal(left + width, "x"));
          chart.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        },
      ],
    },
  };
}
