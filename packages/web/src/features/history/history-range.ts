/**
 * The history tab's time range as data: presets and custom spans, their URL form, the hub's
 * start/stop parameters, labels, zoom spans and validation of the custom from/to inputs — all pure,
 * with the time zone passed in so tests pin it.
 */
import { MAX_HISTORY_RANGE_MS } from "@statusmonitor/protocol/constants";

export const RANGE_PRESETS = [
  { key: "5m", title: "Last 5 minutes", ms: 5 * 60_000, start: "-5m" },
  { key: "1h", title: "Last hour", ms: 3600_000, start: "-1h" },
  { key: "24h", title: "Last 24 hours", ms: 24 * 3600_000, start: "-24h" },
  { key: "7d", title: "Last 7 days", ms: 7 * 86_400_000, start: "-7d" },
  { key: "30d", title: "Last 30 days", ms: 30 * 86_400_000, start: "-30d" },
  // The hub's longest range is 365 days (its `y` unit), not a calendar year.
  { key: "1y", title: "Last 365 days", ms: MAX_HISTORY_RANGE_MS, start: "-365d" },
] as const;

export type PresetKey = (typeof RANGE_PRESETS)[number]["key"];
export type HistoryRange = { kind: "preset"; preset: PresetKey } | { kind: "absolute"; from: number; to: number };
/** A span in epoch ms, inclusive ends (what a chart's x axis shows). */
export interface Span {
  from: number;
  to: number;
}

export const DEFAULT_RANGE: HistoryRange = { kind: "preset", preset: "1h" };
/** `to` may be this far ahead of the browser's clock: datetime-local inputs only hold whole minutes. */
export const FUTURE_TOLERANCE_MS = 60_000;
/** A drag narrower than this is a click, not a zoom. */
export const MIN_ZOOM_MS = 1_000;

const presetOf = (key: string) => RANGE_PRESETS.find((p) => p.key === key);

/** The range named by the page address (`?range=24h` or `?from=…&to=…`), or the default and why. */
export function parseRangeParams(params: URLSearchParams, now: number): { range: HistoryRange; problem: string | null } {
  const key = params.get("range");
  const fromText = params.get("from");
  const toText = params.get("to");
  if (key !== null) {
    const preset = presetOf(key);
    if (preset) return { range: { kind: "preset", preset: preset.key }, problem: null };
    return { range: DEFAULT_RANGE, problem: `“${key.slice(0, 32)}” is not one of ${RANGE_PRESETS.map((p) => p.key).join(", ")} or a from/to pair` };
  }
  if (fromText === null && toText === null) return { range: DEFAULT_RANGE, problem: null };
  const from = parseInstantParam(fromText);
  const to = parseInstantParam(toText);
  if (from === null || to === null) return { range: DEFAULT_RANGE, problem: "the address has a from/to pair that is not two valid times" };
  const problem = validateSpan(from, to, now);
  if (problem) return { range: DEFAULT_RANGE, problem: problem.message };
  return { range: { kind: "absolute", from, to }, problem: null };
}

/** An ISO 8601 time with an offset, or epoch milliseconds. */
function parseInstantParam(text: string | null): number | null {
  if (text === null || text.trim() === "") return null;
  const trimmed = text.trim();
  if (/^\d{10,15}$/.test(trimmed)) return Number(trimmed);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) ? ms : null;
}

/** The address parameters of a range; null removes a parameter (other parameters of the page stay). */
export function rangeToParams(range: HistoryRange): Record<"range" | "from" | "to", string | null> {
  if (range.kind === "preset") return { range: range.preset, from: null, to: null };
  return { range: null, from: toIsoParam(range.from), to: toIsoParam(range.to) };
}

/** `2026-05-01T10:00:00Z`: UTC, milliseconds only when there are some. */
export function toIsoParam(ms: number): string {
  return new Date(Math.round(ms)).toISOString().replace(".000Z", "Z");
}

/** The hub's `start` and `stop`: relative for presets (the hub's own clock decides "now"), RFC 3339 otherwise. */
export function toApiQuery(view: HistoryRange | Span): { start: string; stop: string } {
  if ("kind" in view) {
    if (view.kind === "preset") return { start: presetOf(view.preset)!.start, stop: "now()" };
    return { start: toIsoParam(view.from), stop: toIsoParam(view.to) };
  }
  return { start: toIsoParam(view.from), stop: toIsoParam(view.to) };
}

/** A stable key for a range, so state tied to it (a zoom) ends when the range changes. */
export function rangeKey(range: HistoryRange): string {
  return range.kind === "preset" ? range.preset : `${range.from}-${range.to}`;
}

/** `Last 24 hours`, or the custom span in the user's time zone. */
export function rangeLabel(range: HistoryRange, timeZone?: string, locale?: string): string {
  if (range.kind === "preset") return presetOf(range.preset)!.title;
  return formatSpan(range, timeZone, locale);
}

/** `3 May 2026, 10:00 – 12:00` (the date once when both ends share it); seconds for spans under an hour. */
export function formatSpan(span: Span, timeZone?: string, locale?: string): string {
  const withSeconds = span.to - span.from < 3600_000;
  const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: withSeconds ? "medium" : "short", timeZone });
  return format.formatRange(span.from, span.to);
}

/**
 * The span a drag selected, clamped to the range shown and to now; null when it is too narrow to
 * be meant as a zoom (a click with a twitch).
 */
export function zoomSpan(from: number, to: number, within: Span, now: number): Span | null {
  const lo = Math.max(Math.min(from, to), within.from);
  const hi = Math.min(Math.max(from, to), within.to, now);
  if (!(hi - lo >= MIN_ZOOM_MS)) return null;
  return { from: Math.floor(lo), to: Math.ceil(hi) };
}

export interface SpanProblem {
  field: "from" | "to";
  message: string;
}

/** Why a span cannot be asked for, or null. */
export function validateSpan(from: number, to: number, now: number): SpanProblem | null {
  if (from > now) return { field: "from", message: "“From” is in the future; pick a time up to now." };
  if (to > now + FUTURE_TOLERANCE_MS) return { field: "to", message: "“To” is in the future; pick a time up to now." };
  if (from >= to) return { field: "from", message: "“From” must be before “To”." };
  if (to - from > MAX_HISTORY_RANGE_MS) return { field: "from", message: "The range is longer than 365 days, the longest history the hub keeps; pick a shorter one." };
  return null;
}

export type CustomRangeResult = { ok: true; range: HistoryRange } | { ok: false; errors: Partial<Record<"from" | "to", string>> };

/** Checks the custom from/to inputs (datetime-local values, read in `timeZone`) and gives the range or a message per field. */
export function validateCustomRange(fromText: string, toText: string, now: number, timeZone?: string): CustomRangeResult {
  const errors: Partial<Record<"from" | "to", string>> = {};
  const from = fromText.trim() === "" ? null : fromDateTimeLocal(fromText, timeZone);
  const to = toText.trim() === "" ? null : fromDateTimeLocal(toText, timeZone);
  if (fromText.trim() === "") errors.from = "Enter the start of the range.";
  else if (from === null) errors.from = "This is not a valid date and time.";
  if (toText.trim() === "") errors.to = "Enter the end of the range.";
  else if (to === null) errors.to = "This is not a valid date and time.";
  if (from === null || to === null) return { ok: false, errors };
  const problem = validateSpan(from, to, now);
  if (problem) return { ok: false, errors: { [problem.field]: problem.message } };
  // A `to` in the current minute means "up to now".
  return { ok: true, range: { kind: "absolute", from, to: Math.min(to, now) } };
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of an instant in a time zone (the browser's when none is given). */
function wallClockOf(ms: number, timeZone?: string): WallClock {
  const cacheKey = timeZone ?? "";
  let format = wallFormats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    wallFormats.set(cacheKey, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(ms)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** An instant as a datetime-local value (`2026-05-01T12:30`) in the given time zone. */
export function toDateTimeLocal(ms: number, timeZone?: string): string {
  const w = wallClockOf(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * A datetime-local value read as a wall-clock time in the given time zone, or null when it is not a
 * real date. A time skipped by a daylight-saving jump maps to the instant an hour later or earlier.
 */
export function fromDateTimeLocal(text: string, timeZone?: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second = 0] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day || hour! > 23 || minute! > 59 || second > 59) return null;
  const offsetAt = (ms: number) => {
    const w = wallClockOf(ms, timeZone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
  };
  // The offset at the guessed instant may differ from the one at the answer (a DST change in between): look twice.
  const first = wall - offsetAt(wall);
  return wall - offsetAt(first);
}
