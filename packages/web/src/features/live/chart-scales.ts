/** Axis maths of the live charts: byte-rate ticks on binary steps, compact tick labels, the visible time range. */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500];

/** Tick increments for byte values: 1, 2, 5, 10 … 500 of each binary unit, so ticks read "512 KiB", "1 MiB", "2 MiB". */
export const BYTE_INCRS: number[] = UNITS.flatMap((_, power) => STEPS.map((step) => step * 1024 ** power));

/** `1536` → `1.5 KiB`; at most three significant digits, no trailing zeros (tick labels must stay narrow). */
export function formatBytesShort(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "";
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = value >= 100 ? value.toFixed(0) : value >= 10 ? String(Number(value.toFixed(1))) : String(Number(value.toFixed(2)));
  return `${bytes < 0 ? "-" : ""}${text} ${UNITS[unit]}`;
}

/** The top of a byte-rate axis: the smallest step of BYTE_INCRS at or above the data's maximum, at least 1 KiB. */
export function byteAxisMax(dataMax: number | null | undefined): number {
  const max = dataMax !== null && dataMax !== undefined && Number.isFinite(dataMax) ? dataMax : 0;
  return BYTE_INCRS.find((step) => step >= max && step >= 1024) ?? max;
}

/** The x range (seconds) of a live chart: the last `spanS` before the newest point, or before now when there is no data. */
export function liveXRange(dataMax: number | null | undefined, spanS: number, nowS: number): [number, number] {
  const hi = dataMax !== null && dataMax !== undefined && Number.isFinite(dataMax) ? dataMax : nowS;
  return [hi - spanS, hi];
}

/** Formats tick times in the user's time zone and locale; seconds only when ticks are less than a minute apart. */
export function timeTickFormatter(locale?: string, timeZone?: string): (seconds: number, incrS: number) => string {
  const withSeconds = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone });
  const minutes = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone });
  return (seconds, incrS) => (incrS < 60 ? withSeconds : minutes).format(seconds * 1000);
}

/**
 * Pixel ranges a line must not cross: between consecutive points further apart than `maxGapS` (the
 * agent or the hub was down), added to the gaps uPlot found from nulls, in ascending order. Without
 * it a chart draws a straight line across an outage, as if it had been measured.
 */
export function timeGaps(xs: ArrayLike<number>, idx0: number, idx1: number, maxGapS: number, toPx: (x: number) => number, nullGaps: ReadonlyArray<readonly number[]> | null): [number, number][] {
  const gaps: [number, number][] = (nullGaps ?? []).map((gap) => [gap[0]!, gap[1]!]);
  let found = false;
  for (let i = Math.max(0, idx0); i < idx1 && i + 1 < xs.length; i++) {
    if (xs[i + 1]! - xs[i]! > maxGapS) {
      gaps.push([toPx(xs[i]!), toPx(xs[i + 1]!)]);
      found = true;
    }
  }
  if (found) gaps.sort((a, b) => a[0] - b[0]);
  return gaps;
}
