/** Colours and axis styles of every chart, for the light and the dark theme. */
import type uPlot from "uplot";

/** Distinguishable series colours (the per-core chart cycles through them). */
export const SERIES_COLORS = ["#6366f1", "#10b981", "#f59e0b", "#ef4444", "#0ea5e9", "#a855f7", "#14b8a6", "#f97316", "#ec4899", "#84cc16", "#64748b", "#eab308"];

export const METRIC_COLORS = {
  cpu: "#6366f1",
  memory: "#10b981",
  disk: "#f59e0b",
  upload: "#f97316",
  download: "#0ea5e9",
  read: "#14b8a6",
  write: "#a855f7",
  load1: "#6366f1",
  load5: "#0ea5e9",
  load15: "#94a3b8",
} as const;

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]!;
}

export interface ChartPalette {
  text: string;
  grid: string;
  axis: string;
}

export function chartPalette(dark: boolean): ChartPalette {
  return dark ? { text: "#94a3b8", grid: "rgba(148,163,184,0.14)", axis: "rgba(148,163,184,0.35)" } : { text: "#64748b", grid: "rgba(100,116,139,0.14)", axis: "rgba(100,116,139,0.35)" };
}

/** An axis in the theme's colours; `values` formats the ticks (bytes, percent, …). */
export function themedAxis(palette: ChartPalette, axis: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: palette.text,
    grid: { stroke: palette.grid, width: 1 },
    ticks: { stroke: palette.axis, width: 1, size: 4 },
    font: "11px ui-sans-serif, system-ui, sans-serif",
    ...axis,
  };
}

/** A translucent fill under a line. */
export function fillOf(color: string, alpha = 0.12): string {
  const hex = color.replace("#", "");
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r},${g},${b},${alpha})`;
}
