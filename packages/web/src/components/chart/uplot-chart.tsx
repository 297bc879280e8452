/**
 * A uPlot chart as a React component: built once per `options` object (memoize it), fed new data
 * with setData (no rebuild per sample), sized to its container, rebuilt when the theme changes.
 */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface UPlotChartProps {
  options: Omit<uPlot.Options, "width" | "height">;
  data: uPlot.AlignedData;
  height?: number;
  /** Describes the chart for screen readers (the canvas itself says nothing). */
  label: string;
  className?: string;
  /** Keep the zoomed x range when data changes (history); live charts always follow the newest data. */
  keepScales?: boolean;
  onReady?: (chart: uPlot) => void;
}

export function UPlotChart({ options, data, height = 200, label, className = "", keepScales = false, onReady }: UPlotChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;
  const onReadyRef = useRef(onReady);
  onReadyRef.current = onReady;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const width = Math.max(100, container.clientWidth);
    const chart = new uPlot({ ...options, width, height }, dataRef.current, container);
    chartRef.current = chart;
    onReadyRef.current?.(chart);
    const observer = new ResizeObserver(([entry]) => {
      const next = Math.max(100, Math.floor(entry!.contentRect.width));
      if (next !== chart.width) chart.setSize({ width: next, height });
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      chart.destroy();
      chartRef.current = null;
    };
  }, [options, height]);

  useEffect(() => {
    const chart = chartRef.current;
    if (chart && chart.data !== data) chart.setData(data, !keepScales);
  }, [data, keepScales]);

  return <div ref={containerRef} role="img" aria-label={label} className={`w-full min-w-0 ${className}`} />;
}
