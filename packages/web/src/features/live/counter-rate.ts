/** Per-second rates from two readings of a cumulative counter, for samples that reach the dashboard without the hub's rates. */

export interface CounterReading {
  /** Epoch milliseconds. */
  t: number;
  v: number | null | undefined;
}

/** Across a longer silence the average says little about "now": leave the point empty instead. */
export const MAX_RATE_GAP_MS = 5 * 60_000;

/**
 * Bytes (or packets) per second between `previous` and `current`, or undefined when it cannot be
 * known: no previous reading (the first sample), a missing value, time that did not advance, a gap
 * longer than `maxGapMs`, or a counter that went backwards (a reboot reset it, or it wrapped) — a
 * rate is never invented for a step whose start is unknown.
 */
export function counterRate(previous: CounterReading | undefined, current: CounterReading, maxGapMs = MAX_RATE_GAP_MS): number | undefined {
  if (!previous || previous.v === null || previous.v === undefined || current.v === null || current.v === undefined) return undefined;
  const elapsedMs = current.t - previous.t;
  if (!(elapsedMs > 0) || elapsedMs > maxGapMs) return undefined;
  if (current.v < previous.v) return undefined;
  return ((current.v - previous.v) * 1000) / elapsedMs;
}
