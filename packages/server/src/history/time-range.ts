/**
 * Parses the `start` and `stop` of a history query: relative durations (`-30s` … `-365d`, units
 * s m h d w mo y), RFC 3339 date-times, and `now()` for stop. Ranges longer than 365 days, empty or
 * reversed ranges are refused with a message that says what to send instead.
 */
import { MAX_HISTORY_RANGE_MS, RELATIVE_DURATION_PATTERN } from "@statusmonitor/protocol";
import { AppError } from "../core/app-error.js";

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  mo: 30 * 86_400_000,
  y: 365 * 86_400_000,
};
/** RFC 3339 with a mandatory offset (`Z` or `±hh:mm`), optional fractional seconds. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

export interface TimeRange {
  start: number;
  stop: number;
}

function parseInstant(value: string, now: number, field: "start" | "stop"): number {
  const trimmed = value.trim();
  if (field === "stop" && trimmed === "now()") return now;
  const relative = RELATIVE_DURATION_PATTERN.exec(trimmed);
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2]!]!;
  if (RFC3339.test(trimmed)) {
    const parsed = Date.parse(trimmed.replace(" ", "T"));
    if (Number.isFinite(parsed)) return parsed;
  }
  const accepted = field === "stop" ? "now(), a negative duration such as -1h, or an RFC 3339 time" : "a negative duration such as -1h, -7d or -1y, or an RFC 3339 time";
  throw new AppError("VALIDATION_FAILED", `${field}: "${value.slice(0, 64)}" is not ${accepted} (e.g. 2026-11-23T10:00:00Z)`, {
    issues: [{ path: `query.${field}`, message: `expected ${accepted}` }],
  });
}

export function parseTimeRange(query: { start: string; stop: string }, now: number): TimeRange {
  const start = parseInstant(query.start, now, "start");
  const stop = parseInstant(query.stop, now, "stop");
  if (stop <= start) {
    throw new AppError("VALIDATION_FAILED", "start must be before stop", { issues: [{ path: "query.start", message: "must be before stop" }] });
  }
  if (stop - start > MAX_HISTORY_RANGE_MS) {
    throw new AppError("VALIDATION_FAILED", "The range is longer than 365 days; ask for at most 365 days (e.g. start=-365d).", {
      issues: [{ path: "query.start", message: "range longer than 365 days" }],
    });
  }
  return { start, stop };
}
