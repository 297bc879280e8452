/** When to try a failed notification again, and when to stop: pure functions of the attempt count, the failure and time. */
import type { DeliveryFailure } from "./channels/channel.js";

export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 5 * 60_000;
/** ±20 %, so many deliveries failing together (a channel outage) do not retry in lock-step. */
export const RETRY_JITTER = 0.2;
/** Long enough that a channel down for an hour, or overnight, still delivers once it is back. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;
/**
 * A far side that keeps answering 429 with `Retry-After: 1` would otherwise be called 86 400 times a
 * day; plain backoff makes about 300 attempts in 24 h, so this cap never cuts a normal outage short.
 */
export const MAX_ATTEMPTS = 1_000;

/**
 * Milliseconds to wait after failed attempt number `attempt` (1 for the first try): the far side's
 * `retryAfterMs` when it gave one (never less than a second, so `Retry-After: 0` cannot spin us),
 * else 1 s doubling per attempt up to 5 min, with jitter drawn from `random` (0 ≤ r < 1).
 */
export function nextAttemptDelay(
  attempt: number,
  result: Pick<DeliveryFailure, "retryAfterMs">,
  random: () => number,
): number {
  if (result.retryAfterMs !== undefined && Number.isFinite(result.retryAfterMs)) {
    return Math.max(FIRST_RETRY_MS, Math.ceil(result.retryAfterMs));
  }
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const base = Math.min(FIRST_RETRY_MS * 2 ** exponent, MAX_RETRY_MS);
  const jittered = base * (1 + RETRY_JITTER * (2 * random() - 1));
  return Math.round(Math.min(jittered, MAX_RETRY_MS));
}

/** True once a delivery has been failing for 24 h (or has used up MAX_ATTEMPTS): it is then recorded as failed. */
export function shouldGiveUp(attempt: number, firstTriedAt: number, now: number): boolean {
  return attempt >= MAX_ATTEMPTS || now - firstTriedAt >= GIVE_UP_AFTER_MS;
}
