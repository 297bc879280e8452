/**
 * Times as people read them: "12 s ago", uptimes, and dates in the user's own time zone (the original
 * parsed the hub's UTC times as local ones and showed live agents as hours old).
 */

const DASH = "—";

/** `now - then` in words: `just now`, `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function formatAgo(then: number | string | null | undefined, now: number): string {
  if (then === null || then === undefined) return "never";
  const at = typeof then === "string" ? Date.parse(then) : then;
  if (!Number.isFinite(at)) return DASH;
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 2) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** Durations (uptime, windows): `45 s`, `12 min`, `3 h 20 min`, `4 d 6 h`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return DASH;
  const s = Math.floor(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** `M:SS` for countdowns (the activation window); a partial second counts as a whole one, so `0:00` means over. */
export function formatCountdown(seconds: number): string {
  if (Number.isNaN(seconds)) return DASH;
  if (seconds === Infinity) return "∞";
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** A full local date and time in the browser's time zone and locale (or the ones given, for tests). */
export function formatDateTime(at: number | string | null | undefined, timeZone?: string, locale?: string): string {
  if (at === null || at === undefined) return DASH;
  const date = new Date(typeof at === "string" ? Date.parse(at) : at);
  if (Number.isNaN(date.getTime())) return DASH;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium", timeZone }).format(date);
}
