/** How an agent's state reads in the list: status label and colour, token notes, host facts and list order. */
import type { Agent, AgentStatus } from "@statusmonitor/protocol";
import { formatCountdown } from "../../format/time";

export interface StatusLook {
  label: string;
  /** Classes of the dot (light and dark). */
  dot: string;
  /** Classes of the label text. */
  text: string;
}

export const STATUS_LOOK: Record<AgentStatus, StatusLook> = {
  online: { label: "Online", dot: "bg-emerald-500 dark:bg-emerald-400", text: "text-emerald-700 dark:text-emerald-300" },
  offline: { label: "Offline", dot: "bg-red-500 dark:bg-red-400", text: "text-red-700 dark:text-red-300" },
  pending: { label: "Pending", dot: "bg-amber-400 dark:bg-amber-300", text: "text-amber-700 dark:text-amber-300" },
};

export type NoteTone = "info" | "warning";
export interface TokenNote {
  text: string;
  tone: NoteTone;
}

/**
 * What the list says about an agent's token: nothing once it is in use; while unused, whether the
 * activation window is still open (and for how long) or has closed, so the user knows to regenerate.
 */
export function tokenNote(agent: Pick<Agent, "token_activated" | "token_expires_at" | "last_seen">, now: number): TokenNote | null {
  if (agent.token_activated) return null;
  const expiresAt = agent.token_expires_at === null ? Number.NaN : Date.parse(agent.token_expires_at);
  const fresh = agent.last_seen === null;
  if (!Number.isFinite(expiresAt) || expiresAt <= now) {
    return { text: fresh ? "Token expired: regenerate it to connect" : "New token expired: regenerate it", tone: "warning" };
  }
  const left = formatCountdown((expiresAt - now) / 1000);
  return { text: fresh ? `Waiting for the agent (token valid ${left})` : `New token not used yet (valid ${left})`, tone: "info" };
}

/** Known machine facts in reading order; unknown ones are left out rather than shown as dashes. */
export function hostFacts(agent: Pick<Agent, "os" | "arch" | "agent_version" | "interval_s">): string[] {
  const facts: string[] = [];
  if (agent.os) facts.push(agent.os);
  if (agent.arch) facts.push(agent.arch);
  if (agent.agent_version) facts.push(`agent ${agent.agent_version}`);
  if (agent.interval_s !== null && agent.interval_s > 0) facts.push(`every ${formatInterval(agent.interval_s)}`);
  return facts;
}

/** `1` → `1 s`, `0.5` → `0.5 s`, `90` → `1.5 min`: the learned interval is smoothed, so round it for reading. */
export function formatInterval(seconds: number): string {
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  return `${Number((seconds / 60).toFixed(1))} min`;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** By name (`web-2` before `web-10`), then id: an order that does not jump when a status changes. */
export function sortAgents<T extends Pick<Agent, "id" | "name">>(agents: readonly T[]): T[] {
  return [...agents].sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id);
}

/** `3 agents · 2 online · 1 offline`, the counts that matter at a glance. */
export function summarizeAgents(agents: readonly Pick<Agent, "status">[]): string {
  const count = (status: AgentStatus) => agents.filter((agent) => agent.status === status).length;
  const parts = [`${agents.length} ${agents.length === 1 ? "agent" : "agents"}`];
  for (const status of ["online", "offline", "pending"] as const) {
    const n = count(status);
    if (n > 0) parts.push(`${n} ${status}`);
  }
  return parts.join(" · ");
}
