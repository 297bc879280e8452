/** Percentages, plain numbers, frequencies and temperatures as the dashboard shows them. */

const DASH = "—";
const isNumber = (value: number | null | undefined): value is number => value !== null && value !== undefined && Number.isFinite(value);

/** One decimal, always: `42.0 %` stays as wide as `42.3 %`, so live cards do not jitter. */
export function formatPercent(value: number | null | undefined): string {
  return isNumber(value) ? `${value.toFixed(1)} %` : DASH;
}

/** Load averages and other unitless values: two decimals below 10, one below 100, none above. */
export function formatNumber(value: number | null | undefined): string {
  if (!isNumber(value)) return DASH;
  const abs = Math.abs(value);
  return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
}

/** `3981` → `3,981 MHz`; `3.98 GHz` would hide the per-core differences users look for. */
export function formatMhz(value: number | null | undefined): string {
  return isNumber(value) ? `${Math.round(value).toLocaleString("en-US")} MHz` : DASH;
}

export function formatCelsius(value: number | null | undefined): string {
  return isNumber(value) ? `${value.toFixed(1)} °C` : DASH;
}

/** Operations per second (disk I/O): `12.3/s`, `1.2k/s`. */
export function formatPerSecond(value: number | null | undefined): string {
  if (!isNumber(value)) return DASH;
  if (value >= 1000) return `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)}k/s`;
  return `${value.toFixed(value >= 100 ? 0 : 1)}/s`;
}
