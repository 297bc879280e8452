/**
 * Turns the hub's history series into uPlot's column layout: one shared time column, nulls where a
 * series has no point and where the data has a hole (so the chart shows a gap instead of joining
 * across it), and min/max columns for the bands. Plain arrays and index walks only: this runs for
 * every response and must stay cheap at tens of thousands of points.
 */
import type { HistoryResponse } from "@statusmonitor/protocol";

export type HistorySeries = HistoryResponse["series"][number];
export type HistoryPoint = HistorySeries["points"][number];

export interface AlignInput {
  points: readonly HistoryPoint[];
  /** Also emit this series' min and max columns (for a band). */
  band: boolean;
}

export interface Aligned {
  /** Epoch ms. */
  x: number[];
  /** The series' values in input order, then a [max, min] pair per banded series, in input order. */
  columns: (number | null)[][];
  /** uPlot band edges as indices into [x, ...columns]: [upper, lower]. */
  bands: Array<[number, number]>;
}

function sameTimes(inputs: readonly AlignInput[]): boolean {
  const first = inputs[0]!.points;
  for (let s = 1; s < inputs.length; s++) {
    const points = inputs[s]!.points;
    if (points.length !== first.length) return false;
    for (let i = 0; i < points.length; i++) if (points[i]!.t !== first[i]!.t) return false;
  }
  return true;
}

function unionTimes(inputs: readonly AlignInput[]): number[] {
  if (sameTimes(inputs)) return inputs[0]!.points.map((p) => p.t);
  const all: number[] = [];
  for (const { points } of inputs) for (const p of points) all.push(p.t);
  all.sort((a, b) => a - b);
  const unique: number[] = [];
  for (const t of all) if (unique.length === 0 || unique[unique.length - 1] !== t) unique.push(t);
  return unique;
}

/**
 * Aligns series on one time column. Where consecutive times are more than `gapMs` apart a null row
 * is inserted between them, so a line (and its band) breaks there.
 */
export function alignSeries(inputs: readonly AlignInput[], gapMs: number): Aligned {
  const bandCount = inputs.filter((input) => input.band).length;
  const columnCount = inputs.length + 2 * bandCount;
  if (inputs.length === 0) return { x: [], columns: [], bands: [] };
  const times = unionTimes(inputs);
  const x: number[] = [];
  for (let i = 0; i < times.length; i++) {
    if (i > 0 && times[i]! - times[i - 1]! > gapMs) x.push((times[i]! + times[i - 1]!) / 2);
    x.push(times[i]!);
  }
  const columns: (number | null)[][] = Array.from({ length: columnCount }, () => new Array<number | null>(x.length).fill(null));
  const bands: Array<[number, number]> = [];
  let bandColumn = inputs.length;
  inputs.forEach((input, s) => {
    const values = columns[s]!;
    const maxes = input.band ? columns[bandColumn]! : null;
    const mins = input.band ? columns[bandColumn + 1]! : null;
    if (input.band) {
      // +1: uPlot's indices count the time column.
      bands.push([bandColumn + 1, bandColumn + 2]);
      bandColumn += 2;
    }
    // Both lists are in time order: one walk, no lookups. Gap rows never match a point's time.
    let row = 0;
    for (const point of input.points) {
      while (row < x.length && x[row]! < point.t) row++;
      if (row === x.length) break;
      if (x[row] !== point.t) continue;
      values[row] = point.v;
      if (maxes && mins && point.v !== null) {
        maxes[row] = point.max ?? point.v;
        mins[row] = point.min ?? point.v;
      }
    }
  });
  return { x, columns, bands };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };
const UNIT_TEXT: Record<string, string> = { ms: "ms", s: "s", m: "min", h: "h", d: "d" };

/** `5m` → 300000; null for anything else. */
export function intervalToMs(interval: string): number | null {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(interval.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : null;
}

/** `5m` → `5 min`, `1s` → `1 s`. */
export function intervalText(interval: string): string {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(interval.trim());
  return match ? `${match[1]} ${UNIT_TEXT[match[2]!]}` : interval;
}

/** `raw · 1 s`, `1m rollup`, `1m rollup · 5 min`: which stored tier answered, and how wide a point is. */
export function tierLabel(tier: string, interval: string): string {
  if (tier === "raw") return `raw · ${intervalText(interval)}`;
  return interval === tier ? `${tier} rollup` : `${tier} rollup · ${intervalText(interval)}`;
}

/** True when a point summarizes several samples, so its min and max say something the average does not. */
export function hasBands(tier: string, interval: string, sampleMs: number): boolean {
  if (tier !== "raw") return true;
  const ms = intervalToMs(interval);
  return ms !== null && ms > sampleMs;
}

/**
 * How far apart two points may be before the chart shows a gap: a missing bucket when each point
 * aggregates several samples; a few missed samples otherwise (agents are a little late now and then).
 */
export function gapThresholdMs(interval: string, sampleMs: number): number {
  const ms = intervalToMs(interval) ?? sampleMs;
  return Math.max(1.5 * ms, 3 * sampleMs);
}

/** The typical time between points (the median step), for agents whose interval the hub has not learned. */
export function medianStepMs(points: readonly HistoryPoint[]): number | null {
  if (points.length < 2) return null;
  const steps: number[] = [];
  for (let i = 1; i < points.length; i++) steps.push(points[i]!.t - points[i - 1]!.t);
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)]!;
}
