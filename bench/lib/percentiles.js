/** Nearest-rank percentiles of a list of numbers, as every benchmark reports them. */

/** p50, p95, p99 and max (NaN for an empty list); the p-th percentile is the smallest value with at least p of the values at or below it. */
export function percentiles(values) {
  if (values.length === 0) return { p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] };
}
