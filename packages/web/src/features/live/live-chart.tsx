/**
 * A live uPlot chart bound to the session's window: each sample costs one setData and a few text
 * updates in the legend, with no React render, and nothing while the tab is hidden. Options are
 * rebuilt only when the series, the span or the theme change.
 */
import { memo, useEffect, useMemo, useRef } from "react";
import type uPlot from "uplot";
import { chartPalette, fillOf, themedAxis } from "../../components/chart/chart-theme";
import { UPlotChart } from "../../components/chart/uplot-chart";
import { useTheme } from "../../theme/theme";
import { BYTE_INCRS, byteAxisMax, formatBytesShort, liveXRange, timeGaps, timeTickFormatter } from "./chart-scales";
import type { SampleWindow } from "./sample-window";

export interface LiveSeries {
  key: string;
  label: string;
  color: string;
  fill?: boolean;
}

export type LiveAxis = "percent" | "bytes";

/** Where a live chart reads its data and hears of changes: a LiveSession, or anything shaped like one (the benchmark page). */
export interface LiveSource {
  readonly window: SampleWindow;
  subscribeData(listener: () => void): () => void;
}

interface LiveChartProps {
  live: LiveSource;
  series: readonly LiveSeries[];
  axis: LiveAxis;
  /** How the legend shows a value. */
  format: (value: number | null) => string;
  spanMs: number;
  /** Describes the chart for screen readers. */
  label: string;
  height?: number;
  /** Legend with values at the cursor (or the newest ones); off for charts with many series. */
  legendValues?: boolean;
  /** Points further apart than this (seconds) are not joined: the line breaks over an outage. */
  maxGapS?: number;
}

const formatTick = timeTickFormatter();

function buildData(live: LiveSource, series: readonly LiveSeries[]): uPlot.AlignedData {
  return [live.window.x, ...series.map((s) => live.window.column(s.key))] as uPlot.AlignedData;
}

export const LiveChart = memo(function LiveChart({ live, series, axis, format, spanMs, label, height = 180, legendValues = true, maxGapS = 5 }: LiveChartProps) {
  const { dark } = useTheme();
  const chartRef = useRef<uPlot | null>(null);
  const valueRefs = useRef<Array<HTMLSpanElement | null>>([]);
  const formatRef = useRef(format);
  formatRef.current = format;
  const hoverRef = useRef<number | null>(null);

  /** Writes the values at `index` (or the newest) into the legend; plain DOM text, no render. */
  const showValues = useRef((chart: uPlot | null) => {
    if (!chart) return;
    const data = chart.data;
    const index = hoverRef.current ?? data[0].length - 1;
    valueRefs.current.forEach((span, i) => {
      if (!span) return;
      const value = index >= 0 ? ((data[i + 1]?.[index] as number | null | undefined) ?? null) : null;
      span.textContent = formatRef.current(value);
    });
  }).current;

  const seriesKey = series.map((s) => `${s.key}:${s.color}:${s.label}`).join("|");
  const options = useMemo<Omit<uPlot.Options, "width" | "height">>(() => {
    const palette = chartPalette(dark);
    const spanS = spanMs / 1000;
    const gaps: uPlot.Series.GapsRefiner = (u, seriesIdx, idx0, idx1, nullGaps) => timeGaps(u.data[0], idx0, idx1, maxGapS, (x) => u.valToPos(x, "x", true), nullGaps);
    const yAxis: uPlot.Axis =
      axis === "percent"
        ? themedAxis(palette, { size: 44, values: (_u, ticks) => ticks.map((v) => `${v} %`), splits: () => [0, 25, 50, 75, 100] })
        : themedAxis(palette, { size: 64, incrs: BYTE_INCRS, values: (_u, ticks) => ticks.map((v) => `${formatBytesShort(v)}/s`) });
    return {
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 6 } },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: true, range: (_u, _min, max) => liveXRange(max, spanS, Date.now() / 1000) },
        y: axis === "percent" ? { range: [0, 100] } : { range: (_u, _min, max) => [0, byteAxisMax(max)] },
      },
      axes: [themedAxis(palette, { space: 60, size: 30, values: (_u, ticks, _axis, _space, incr) => ticks.map((t) => formatTick(t, incr)) }), yAxis],
      series: [
        {},
        ...series.map<uPlot.Series>((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          fill: s.fill ? fillOf(s.color, dark ? 0.18 : 0.12) : undefined,
          points: { show: false },
          gaps,
        })),
      ],
      hooks: {
        setCursor: [
          (chart) => {
            hoverRef.current = chart.cursor.idx ?? null;
            showValues(chart);
          },
        ],
      },
    };
    // seriesKey stands for `series`: a new array with the same content must not rebuild the chart.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [seriesKey, axis, spanMs, maxGapS, dark, showValues]);

  useEffect(() => {
    // In a background tab nobody sees the chart: skip the draws and catch up once when the tab shows again.
    let stale = false;
    const redraw = () => {
      const chart = chartRef.current;
      if (!chart) return;
      if (document.hidden) {
        stale = true;
        return;
      }
      stale = false;
      chart.setData(buildData(live, series));
      if (legendValues) showValues(chart);
    };
    const catchUp = () => stale && redraw();
    document.addEventListener("visibilitychange", catchUp);
    const unsubscribe = live.subscribeData(redraw);
    return () => {
      unsubscribe();
      document.removeEventListener("visibilitychange", catchUp);
    };
  }, [live, series, legendValues, showValues]);

  const onReady = (chart: uPlot) => {
    chartRef.current = chart;
    if (legendValues) showValues(chart);
  };

  return (
    <div>
      <ul className="mb-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-300" aria-hidden={!legendValues || undefined}>
        {series.map((s, i) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <span aria-hidden className="inline-block h-2 w-3 rounded-sm" style={{ backgroundColor: s.color }} />
            <span>{s.label}</span>
            {legendValues && (
              <span
                ref={(span) => {
                  valueRefs.current[i] = span;
                }}
                className="tabular font-medium text-slate-900 dark:text-slate-100"
              />
            )}
          </li>
        ))}
      </ul>
      <UPlotChart options={options} data={buildData(live, series)} height={height} label={label} onReady={onReady} />
    </div>
  );
});
