/**
 * The first render of one big history chart: the dashboard's own HistoryChart (alignment, options,
 * uPlot) mounted with a hub-shaped answer of N raw points, timed from mount until uPlot has drawn;
 * or, for comparison, the bare chart component with the same points.
 */
import type { HistoryResponse } from "@statusmonitor/protocol";
import { flushSync } from "react-dom";
import type { Root } from "react-dom/client";
import type uPlot from "uplot";
import { chartPalette, fillOf, METRIC_COLORS, themedAxis } from "../../packages/web/src/components/chart/chart-theme";
import { UPlotChart } from "../../packages/web/src/components/chart/uplot-chart";
import { HistoryChart } from "../../packages/web/src/features/history/history-chart";
import type { ZoomHandlers } from "../../packages/web/src/features/history/history-chart-options";
import { HISTORY_CHARTS } from "../../packages/web/src/features/history/history-charts";

const CPU_CHART = HISTORY_CHARTS.find((spec) => spec.id === "cpu")!;
const NO_ZOOM: ZoomHandlers = { dragStart: () => undefined, select: () => undefined, reset: () => undefined };

/** A day of 1 s CPU readings ending now, as GET …/history/cpu answers it from the raw tier: a slow wave plus noise, like a busy server. */
function dayOfCpu(n: number): HistoryResponse {
  const end = Math.floor(Date.now() / 1000) * 1000;
  const points: Array<{ t: number; v: number }> = new Array(n);
  let noise = 0;
  for (let i = 0; i < n; i++) {
    noise = 0.9 * noise + 0.1 * (Math.random() * 40 - 20);
    points[i] = { t: end - (n - 1 - i) * 1000, v: Math.min(100, Math.max(0, 40 + 25 * Math.sin(i / 3600) + noise)) };
  }
  return { tier: "raw", interval: "1s", start: end - (n - 1) * 1000, stop: end, series: [{ name: "usage", kind: "gauge", points }] } as HistoryResponse;
}

/** The same points straight into the chart component with plain line options: uPlot's share of the history chart's time. */
function bareChart(response: HistoryResponse) {
  const points = response.series[0]!.points;
  const data: uPlot.AlignedData = [points.map((p) => p.t / 1000), points.map((p) => p.v)];
  const palette = chartPalette(false);
  const options: Omit<uPlot.Options, "width" | "height"> = {
    legend: { show: false },
    scales: { y: { range: [0, 100] } },
    axes: [themedAxis(palette), themedAxis(palette, { values: (_u, ticks) => ticks.map((t) => `${t} %`) })],
    series: [{}, { label: "CPU", stroke: METRIC_COLORS.cpu, fill: fillOf(METRIC_COLORS.cpu), width: 1.5, points: { show: false } }],
  };
  return <UPlotChart options={options} data={data} height={200} label="CPU, one day at 1 s" />;
}

/** Resolves after every microtask queued so far has run: uPlot draws in one queued when the chart is built. */
const afterMicrotasks = () => new Promise<void>((resolve) => queueMicrotask(resolve));

/** Counts canvas strokes, so the result can show the measured span really contained uPlot's drawing of the line. */
function countStrokes(): () => number {
  let count = 0;
  const stroke = CanvasRenderingContext2D.prototype.stroke;
  CanvasRenderingContext2D.prototype.stroke = function (this: CanvasRenderingContext2D, ...args: [Path2D?]) {
    count++;
    return stroke.apply(this, args as [Path2D]);
  } as typeof stroke;
  return () => count;
}

/** Mounts the chart `runs` times on fresh roots (the first on a cold page); resolves with the milliseconds of each. */
export async function measurePoints(createRootAt: () => Root, n: number, runs: number, chart: "history" | "uplot"): Promise<{ n: number; ms: number[]; strokes: number[] }> {
  const response = dayOfCpu(n);
  const view = { from: response.start, to: response.stop };
  const ms: number[] = [];
  const strokes: number[] = [];
  const strokeCount = countStrokes();
  for (let run = 0; run < runs; run++) {
    const root = createRootAt();
    const strokesBefore = strokeCount();
    const start = performance.now();
    // flushSync: React commits and runs the chart's effect (which builds uPlot) before returning.
    flushSync(() =>
      root.render(
        chart === "uplot" ? bareChart(response) : <HistoryChart spec={CPU_CHART} response={response} sampleMs={1000} view={view} dark={false} syncKey={`bench-${run}`} zoom={NO_ZOOM} rangeText="Last 24 hours" />,
      ),
    );
    await afterMicrotasks();
    ms.push(performance.now() - start);
    strokes.push(strokeCount() - strokesBefore);
    root.unmount();
    // Let the browser paint and collect between runs, so one run's garbage is not billed to the next.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { n, ms, strokes };
}
