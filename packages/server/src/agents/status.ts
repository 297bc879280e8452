/** Decides whether an agent is pending, online or offline from when it was last heard of. */
import type { AgentStatus } from "@statusmonitor/protocol";

/** An agent is online while its last contact is within this many of its intervals. */
export const ONLINE_INTERVALS = 3;
/** Interval assumed before one is learned: the original agents' default period. */
export const DEFAULT_INTERVAL_MS = 5_000;
/** Never call an agent offline sooner than this, whatever its interval (absorbs network jitter). */
export const MIN_ONLINE_WINDOW_MS = 5_000;

export function agentStatus(lastSeen: number | null, intervalMs: number | null, now: number): AgentStatus {
  if (lastSeen === null) return "pending";
  const window = Math.max(ONLINE_INTERVALS * (intervalMs ?? DEFAULT_INTERVAL_MS), MIN_ONLINE_WINDOW_MS);
  return now - lastSeen <= window ? "online" : "offline";
}

/** Smooths the learned sampling interval so one late request does not swing it. */
export function learnInterval(previous: number | null, observedGapMs: number): number | null {
  if (!(observedGapMs > 0) || observedGapMs > 3600_000) return previous;
  if (previous === null) return Math.round(observedGapMs);
  return Math.round(previous * 0.8 + observedGapMs * 0.2);
}
