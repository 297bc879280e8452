/**
 * Whether the agent is sending right now, and since when it has been silent: from the live stream
 * when it runs (arrival times in this browser, so a skewed agent clock cannot fake "offline"), else
 * from the hub's own status. The thresholds match the hub's (3 intervals, at least 5 s).
 */
import type { Agent, AgentStatus } from "@statusmonitor/protocol";

export const ONLINE_INTERVALS = 3;
export const DEFAULT_INTERVAL_MS = 5_000;
export const MIN_ONLINE_WINDOW_MS = 5_000;

export interface Presence {
  status: AgentStatus;
  /** When the newest sample arrived (stream) or was stored (hub), epoch ms; null if never. */
  lastAt: number | null;
}

export function onlineWindowMs(intervalS: number | null): number {
  return Math.max(ONLINE_INTERVALS * (intervalS === null ? DEFAULT_INTERVAL_MS : intervalS * 1000), MIN_ONLINE_WINDOW_MS);
}

export function agentPresence(
  agent: Pick<Agent, "status" | "last_seen" | "interval_s" | "newest_sample_at">,
  stream: { live: boolean; liveAt: number | null },
  now: number,
): Presence {
  if (stream.live && stream.liveAt !== null) {
    return { status: now - stream.liveAt <= onlineWindowMs(agent.interval_s) ? "online" : "offline", lastAt: stream.liveAt };
  }
  // Without the stream, the hub's status is the best word there is; the newest evidence still dates the last sample.
  const seen = agent.last_seen === null ? null : Date.parse(agent.last_seen);
  const hubAt = agent.newest_sample_at ?? (seen !== null && Number.isFinite(seen) ? seen : null);
  const lastAt = stream.liveAt !== null && (hubAt === null || stream.liveAt > hubAt) ? stream.liveAt : hubAt;
  return { status: agent.status, lastAt };
}
