/**
 * The rows of the users, sessions, refresh_tokens and agents tables and their records: the same
 * columns on SQLite and PostgreSQL, so both adapters read them through these.
 */
import type { Role } from "@statusmonitor/protocol";
import type { AgentRecord } from "../../agents/ports.js";
import type { RefreshTokenRecord, SessionRecord, UserRecord } from "../../auth/ports.js";

export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  created_at: number;
}

export interface SessionRow {
  id: string;
  user_id: number;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface RefreshTokenRow {
  token_hash: string;
  session_id: string;
  issued_at: number;
  expires_at: number;
  rotated_at: number | null;
}

export interface AgentRow {
  id: number;
  user_id: number;
  name: string;
  token_hash: string;
  token_issued_at: number;
  token_expires_at: number;
  token_activated_at: number | null;
  created_at: number;
  last_seen: number | null;
  newest_sample_at: number | null;
  interval_ms: number | null;
  hostname: string | null;
  os: string | null;
  arch: string | null;
  agent_version: string | null;
  kernel: string | null;
  boot_time: number | null;
}

export const toUserRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  role: row.role,
  createdAt: row.created_at,
});

export const toSessionRecord = (row: SessionRow): SessionRecord => ({
  id: row.id,
  userId: row.user_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

export const toRefreshTokenRecord = (row: RefreshTokenRow): RefreshTokenRecord => ({
  tokenHash: row.token_hash,
  sessionId: row.session_id,
  issuedAt: row.issued_at,
  expiresAt: row.expires_at,
  rotatedAt: row.rotated_at,
});

export const toAgentRecord = (r: AgentRow): AgentRecord => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  tokenHash: r.token_hash,
  tokenIssuedAt: r.token_issued_at,
  tokenExpiresAt: r.token_expires_at,
  tokenActivatedAt: r.token_activated_at,
  createdAt: r.created_at,
  lastSeen: r.last_seen,
  newestSampleAt: r.newest_sample_at,
  intervalMs: r.interval_ms,
  hostname: r.hostname,
  os: r.os,
  arch: r.arch,
  agentVersion: r.agent_version,
  kernel: r.kernel,
  bootTime: r.boot_time,
});
