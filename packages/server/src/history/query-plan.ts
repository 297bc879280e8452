/**
 * The query router: picks the finest tier whose retention covers a range's start, and the bucket
 * width (never finer than the tier, never more than MAX_POINTS_PER_SERIES points per series).
 */
import { MAX_HISTORY_RANGE_MS, MAX_POINTS_PER_SERIES } from "@statusmonitor/protocol";
import { AppError } from "../core/app-error.js";
import type { Tier } from "./tiers.js";
import type { TimeRange } from "./time-range.js";

export interface QueryPlan {
  tier: Tier;
  intervalMs: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNIT_MS: Record<string, number> = { s: SECOND, m: MINUTE, h: HOUR, d: DAY };
/** Bucket widths chosen automatically: the finest that keeps a series under the point limit. */
const NICE_STEPS = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY,
];
const INTERVAL_PATTERN = /^(\d{1,6})(s|m|h|d)$/;

/** The tier a query starting at `start` reads: the finest whose retention still covers it. */
export function pickTier(tiers: readonly Tier[], start: number, now: number): Tier {
  return tiers.find((t) => start >= now - t.retentionMs) ?? tiers[tiers.length - 1]!;
}

export function parseInterval(value: string): number {
  const match = INTERVAL_PATTERN.exec(value.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : NaN;
  if (!(ms > 0) || ms > MAX_HISTORY_RANGE_MS) {
    throw new AppError("VALIDATION_FAILED", `interval: "${value.slice(0, 16)}" is not a duration between 1s and 365d such as 10s, 5m, 1h or 1d`, {
      issues: [{ path: "query.interval", message: "expected a duration such as 10s, 5m, 1h or 1d" }],
    });
  }
  return ms;
}

export function planQuery(tiers: readonly Tier[], range: TimeRange, now: number, interval?: string): QueryPlan {
  const tier = pickTier(tiers, range.start, now);
  // Both ends are inclusive and buckets are aligned, so a range can touch one bucket more than it spans.
  const fewestAllowed = Math.ceil((range.stop - range.start) / (MAX_POINTS_PER_SERIES - 1));
  const floor = Math.max(fewestAllowed, tier.resolutionMs);
  if (interval !== undefined) {
    const wanted = Math.max(parseInterval(interval), floor);
    return { tier, intervalMs: Math.ceil(wanted / tier.resolutionMs) * tier.resolutionMs };
  }
  const nice = NICE_STEPS.find((step) => step >= floor && step % tier.resolutionMs === 0);
  return { tier, intervalMs: nice ?? Math.ceil(floor / DAY) * DAY };
}

/** `90000` → `90s`, `300000` → `5m`, `86400000` → `1d`: the largest unit that divides exactly. */
export function formatInterval(ms: number): string {
  for (const unit of ["d", "h", "m"] as const) {
    if (ms % UNIT_MS[unit]! === 0) return `${ms / UNIT_MS[unit]!}${unit}`;
  }
  return ms % SECOND === 0 ? `${ms / SECOND}s` : `${ms}ms`;
}
