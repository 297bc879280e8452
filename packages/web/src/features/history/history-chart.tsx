/** One history chart in a card: the spec's lines from a response, aligned with gaps and bands, drawn by uPlot. */
import type { HistoryResponse } from "@statusmonitor/protocol";
import { useEffect, useMemo, useRef, type ReactNode } from "react";
import type uPlot from "uplot";
import { UPlotChart } from "../../components/chart/uplot-chart";
import { Card } from "../../components/ui/card";
import { historyChartOptions, type ZoomHandlers } from "./history-chart-options";
import { chartLines, type ChartSpec } from "./history-charts";
import type { Span } from "./history-range";
import { alignSeries, gapThresholdMs, hasBands } from "./history-series";

interface HistoryChartProps {
  spec: ChartSpec;
  /** The answer for the spec's metric; undefined until the first one. */
  response: HistoryResponse | undefined;
  /** The agent's time between samples, to tell a hole in the data from a late sample. */
  sampleMs: number;
  view: Span;
  dark: boolean;
  syncKey: string;
  zoom: ZoomHandlers;
  /** The metric's query failed and nothing is left to show (the tab's banner says why). */
  failed?: boolean;
  /** Describes the range for screen readers ("Last 24 hours"). */
  rangeText: string;
  actions?: ReactNode;
  height?: number;
}

// Band edges are series too; their legend rows and hover dots would only repeat the line's.
// Written out in full (not built from BAND_EDGE_CLASS) so Tailwind finds the classes in the source;
// important because uPlot's own stylesheet is unlayered and would win over a layered utility.
const HIDE_BAND_EDGES = "[&_.u-legend_.sm-band-edge]:hidden! [&_.u-cursor-pt.sm-band-edge]:hidden!";

export function HistoryChart({ spec, response, sampleMs, view, dark, syncKey, zoom, failed = false, rangeText, actions, height = 200 }: HistoryChartProps) {
  // Recomputed per answer (the response object only changes when the hub answers), never per render.
  const { lines, aligned } = useMemo(() => {
    if (!response) return { lines: [], aligned: alignSeries([], 0) };
    const lines = chartLines(spec, response.series, hasBands(response.tier, response.interval, sampleMs));
    const gapMs = gapThresholdMs(response.interval, sampleMs);
    return { lines, aligned: alignSeries(lines.map((line) => ({ points: line.series.points, band: line.band })), gapMs) };
  }, [spec, response, sampleMs]);
  const data = useMemo(() => [aligned.x, ...aligned.columns] as uPlot.AlignedData, [aligned]);

  const viewRef = useRef(view);
  viewRef.current = view;
  // Rebuild only when what is drawn changes shape (lines, bands, theme), never for new points.
  const shape = lines.map((line) => `${line.key}\u0000${line.label}\u0000${line.color}\u0000${line.band}`).join("\u0001");
  const options = useMemo(
    () =>
      historyChartOptions({
        lines,
        bands: aligned.bands,
        unit: spec.unit,
        fixedMax: spec.fixedMax,
        dark,
        syncKey,
        view: () => viewRef.current,
        zoom,
      }),
    // `lines` and `aligned` change with every response; `shape` says when their drawing-relevant part (bands follow the lines) did.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [shape, spec.unit, spec.fixedMax, dark, syncKey, zoom],
  );

  // A zoom shows at once on the data already here; the finer data follows.
  const empty = aligned.x.length === 0;
  const chartRef = useRef<uPlot | null>(null);
  useEffect(() => {
    // An empty chart has no uPlot (the last one was destroyed with it).
    if (!empty) chartRef.current?.setScale("x", { min: view.from, max: view.to });
  }, [view.from, view.to, empty]);

  return (
    <Card title={spec.title} headingLevel={3} actions={actions} className="min-w-0">
      {empty ? (
        <p className="flex items-center justify-center rounded-lg border border-dashed border-slate-200 text-sm text-slate-500 dark:border-slate-800 dark:text-slate-400" style={{ height }}>
          {failed ? "Not loaded: see the message above." : `No ${spec.title} data in this range.`}
        </p>
      ) : (
        <UPlotChart
          options={options}
          data={data}
          height={height}
          label={`${spec.description}, ${rangeText}. Drag across the chart to zoom in, double-click to go back.`}
          className={`cursor-crosshair select-none ${HIDE_BAND_EDGES}`}
          onReady={(chart) => {
            chartRef.current = chart;
          }}
        />
      )}
    </Card>
  );
}
