/**
 * The token's activation window as the token panel shows it: seconds left, their colour, and whether the
 * agent has connected since the token was issued.
 */
import type { Agent } from "@statusmonitor/protocol";

/** The hub's activation window for an unused token (server: agents/agent-token.ts). */
export const ACTIVATION_WINDOW_MS = 5 * 60_000;
/** How far a deadline may sit past `receivedAt + window` before the browser's clock is deemed wrong. */
const SKEW_TOLERANCE_MS = 30_000;

/**
 * When the token expires on the browser's clock. The hub's `token_expires_at` is trusted while it is
 * plausible (within the window from when the answer arrived); a browser clock off by minutes would
 * otherwise show a token as expired at once, or alive long after the hub refuses it, so then the
 * window is counted from the answer's arrival instead.
 */
export function activationDeadline(tokenExpiresAt: string | null, receivedAt: number): number {
  const fallback = receivedAt + ACTIVATION_WINDOW_MS;
  const expiresAt = tokenExpiresAt === null ? Number.NaN : Date.parse(tokenExpiresAt);
  if (!Number.isFinite(expiresAt)) return fallback;
  const ahead = expiresAt - receivedAt;
  return ahead > 0 && ahead <= ACTIVATION_WINDOW_MS + SKEW_TOLERANCE_MS ? expiresAt : fallback;
}

export type CountdownTone = "green" | "amber" | "red" | "expired";

/** Green with more than two minutes left, amber from two, red in the last minute. */
export function countdownTone(secondsLeft: number): CountdownTone {
  if (!(secondsLeft > 0)) return "expired";
  if (secondsLeft <= 60) return "red";
  if (secondsLeft <= 120) return "amber";
  return "green";
}

/** What the agent's record says about the new token; `checkedAt` is when that record was fetched. */
export interface AgentCheck {
  agent: Pick<Agent, "token_activated" | "status" | "last_seen">;
  checkedAt: number;
}

/**
 * Whether the agent has connected with the token issued at `receivedAt`. Only a record fetched after
 * the token arrived counts (a cached one may describe the previous token, activated long ago). The hub
 * marks the token activated on its first accepted sample; a new `last_seen` while online says the same.
 */
export function hasConnected(check: AgentCheck | null, issued: Pick<Agent, "last_seen">, receivedAt: number): boolean {
  if (!check || check.checkedAt < receivedAt) return false;
  if (check.agent.token_activated) return true;
  return check.agent.status === "online" && check.agent.last_seen !== null && check.agent.last_seen !== issued.last_seen;
}
