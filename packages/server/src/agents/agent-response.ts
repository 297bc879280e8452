/** Shapes a stored agent for the API: status derived, times in RFC 3339, never the token hash. */
import type { Agent } from "@statusmonitor/protocol";
import type { AgentRecord } from "./ports.js";
import { agentStatus } from "./status.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toAgentResponse(record: AgentRecord, now: number): Agent {
  return {
    id: record.id,
    name: record.name,
    status: agentStatus(record.lastSeen, record.intervalMs, now),
    created_at: new Date(record.createdAt).toISOString(),
    last_seen: iso(record.lastSeen),
    token_activated: record.tokenActivatedAt !== null,
    token_expires_at: record.tokenActivatedAt === null ? iso(record.tokenExpiresAt) : null,
    interval_s: record.intervalMs === null ? null : record.intervalMs / 1000,
    hostname: record.hostname,
    os: record.os,
    arch: record.arch,
    agent_version: record.agentVersion,
    boot_time: iso(record.bootTime),
    newest_sample_at: record.newestSampleAt,
  };
}
