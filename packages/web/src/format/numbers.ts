/** Percentages, plain numbers, frequencies and temperatures as the dashboard shows them. */

const DASH = "—";
const isNumber = (value: number | null | undefined): value is number => value !== null && value !== undefined && Number.isFinite(value);

/** `toFixed` without a lone minus: `-0.04` to one decimal is `0.0`, not `-0.0`. */
function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}

/** One decimal, always: `42.0 %` stays as wide as `42.3 %`, so live cards do not jitter. */
export function formatPercent(value: number | null | undefined): string {
  return isNumber(value) ? `${fixed(value, 1)} %` : DASH;
}

/** Load averages and other unitless values: two decimals below 10, one below 100, none above (judged after rounding). */
export function formatNumber(value: number | null | undefined): string {
  if (!isNumber(value)) return DASH;
  const abs = Math.abs(value);
  return fixed(value, abs >= 99.95 ? 0 : abs >= 9.995 ? 1 : 2);
}

/** `3981` → `3,981 MHz`; `3.98 GHz` would hide the per-core differences users look for. */
export function formatMhz(value: number | null | undefined): string {
  return isNumber(value) ? `${Math.round(value).toLocaleString("en-US")} MHz` : DASH;
}

export function formatCelsius(value: number | null | undefined): string {
  return isNumber(value) ? `${fixed(value, 1)} °C` : DASH;
}

/** Operations per second (disk I/O): `12.3/s`, `1.2k/s`. */
export function formatPerSecond(value: number | null | undefined): string {
  if (!isNumber(value)) return DASH;
  const abs = Math.abs(value);
  // Thresholds sit where rounding would carry over (999.6 is `1.0k/s`, not `1000/s`).
  if (abs >= 999.5) return `${fixed(value / 1000, abs >= 9950 ? 0 : 1)}k/s`;
  return `${fixed(value, abs >= 99.95 ? 0 : 1)}/s`;
}
