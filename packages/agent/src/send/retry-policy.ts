/** When to try the hub again: exponential backoff with jitter, and the hub's own Retry-After. */

export const BACKOFF_FIRST_MS = 1_000;
export const BACKOFF_CAP_MS = 30_000;
/** `Retry-After: 0` must not make the agent spin. */
export const MIN_RETRY_AFTER_MS = 1_000;
/** A proxy asking for a day's pause would fill the buffer; the hub never asks for more than minutes. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * The pause after the `attempt`-th consecutive failure (1-based): 1 s, 2 s, 4 s … capped at `capMs`,
 * each within ±25 % (`random` in [0, 1)) so agents knocked off by one outage do not return in step,
 * and never above the cap.
 */
export function backoffMs(attempt: number, random: () => number, capMs = BACKOFF_CAP_MS): number {
  const exponent = Number.isFinite(attempt) ? Math.min(Math.max(Math.floor(attempt), 1) - 1, 30) : 0;
  const base = Math.min(capMs, BACKOFF_FIRST_MS * 2 ** exponent);
  return Math.min(capMs, Math.round(base * (0.75 + 0.5 * random())));
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    // Every HTTP date form starts with the day's name; Date.parse alone would read "7.5" as a date in 2001.
    const at = /^[A-Za-z]/.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(at)) return undefined;
    ms = at - nowMs;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, ms));
}
