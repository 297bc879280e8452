/** What the agents capability needs from storage. Every read that takes a user id filters by owner. */
import type { AgentFacts } from "@statusmonitor/protocol";

export interface AgentRecord {
  id: number;
  userId: number;
  name: string;
  tokenHash: string;
  tokenIssuedAt: number;
  tokenExpiresAt: number;
  tokenActivatedAt: number | null;
  createdAt: number;
  lastSeen: number | null;
  newestSampleAt: number | null;
  intervalMs: number | null;
  hostname: string | null;
  os: string | null;
  arch: string | null;
  agentVersion: string | null;
  kernel: string | null;
  bootTime: number | null;
}

export interface NewAgentToken {
  tokenHash: string;
  issuedAt: number;
  expiresAt: number;
}

/** What the hub learned from an agent's traffic, saved in batches rather than per request. */
export interface AgentPresence {
  id: number;
  lastSeen: number;
  newestSampleAt: number | null;
  intervalMs: number | null;
}

export interface AgentStore {
  create(input: { userId: number; name: string; createdAt: number; token: NewAgentToken }): Promise<AgentRecord>;
  listByUser(userId: number): Promise<AgentRecord[]>;
  /** Every agent of every user (background roles learning who exists, e.g. offline detection). */
  listAll(): Promise<AgentRecord[]>;
  get(userId: number, id: number): Promise<AgentRecord | undefined>;
  findByTokenHash(tokenHash: string): Promise<AgentRecord | undefined>;
  rename(userId: number, id: number, name: string): Promise<AgentRecord | undefined>;
  /** Replaces the token and restarts its activation window. */
  replaceToken(userId: number, id: number, token: NewAgentToken): Promise<AgentRecord | undefined>;
  delete(userId: number, id: number): Promise<boolean>;
  /** Marks the token activated, once; later calls change nothing. */
  activateToken(id: number, tokenHash: string, at: number): Promise<void>;
  savePresence(entries: AgentPresence[]): Promise<void>;
  saveFacts(id: number, facts: AgentFacts): Promise<void>;
}
