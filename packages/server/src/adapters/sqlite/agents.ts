/** SQLite implementation of the AgentStore port. */
import type { AgentFacts } from "@statusmonitor/protocol";
import type { AgentPresence, AgentRecord, AgentStore, NewAgentToken } from "../../agents/ports.js";
import type { SqliteDatabase } from "./database.js";

interface AgentRow {
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

const toRecord = (r: AgentRow): AgentRecord => ({
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

export class SqliteAgentStore implements AgentStore {
  private readonly selectOwned;
  private readonly selectByToken;
  private readonly updatePresence;
  constructor(private readonly db: SqliteDatabase) {
    this.selectOwned = db.prepare("SELECT * FROM agents WHERE id = ? AND user_id = ?");
    this.selectByToken = db.prepare("SELECT * FROM agents WHERE token_hash = ?");
    // Presence only moves forward, so a late flush never rewinds what a newer one wrote.
    this.updatePresence = db.prepare(`
      UPDATE agents SET
        last_seen = max(coalesce(last_seen, 0), @lastSeen),
        newest_sample_at = CASE WHEN @newestSampleAt IS NULL THEN newest_sample_at
                                ELSE max(coalesce(newest_sample_at, 0), @newestSampleAt) END,
        interval_ms = coalesce(@intervalMs, interval_ms)
      WHERE id = @id`);
  }

  async create(input: { userId: number; name: string; createdAt: number; token: NewAgentToken }): Promise<AgentRecord> {
    const row = this.db
      .prepare(
        `INSERT INTO agents (user_id, name, token_hash, token_issued_at, token_expires_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(input.userId, input.name, input.token.tokenHash, input.token.issuedAt, input.token.expiresAt, input.createdAt);
    return toRecord(row as AgentRow);
  }

  async listAll(): Promise<AgentRecord[]> {
    return (this.db.prepare("SELECT * FROM agents ORDER BY id").all() as AgentRow[]).map(toRecord);
  }

  async listByUser(userId: number): Promise<AgentRecord[]> {
    return (this.db.prepare("SELECT * FROM agents WHERE user_id = ? ORDER BY id").all(userId) as AgentRow[]).map(
      toRecord,
    );
  }

  async get(userId: number, id: number): Promise<AgentRecord | undefined> {
    const row = this.selectOwned.get(id, userId) as AgentRow | undefined;
    return row && toRecord(row);
  }

  async findByTokenHash(tokenHash: string): Promise<AgentRecord | undefined> {
    const row = this.selectByToken.get(tokenHash) as AgentRow | undefined;
    return row && toRecord(row);
  }

  async rename(userId: number, id: number, name: string): Promise<AgentRecord | undefined> {
    const row = this.db
      .prepare("UPDATE agents SET name = ? WHERE id = ? AND user_id = ? RETURNING *")
      .get(name, id, userId) as AgentRow | undefined;
    return row && toRecord(row);
  }

  async replaceToken(userId: number, id: number, token: NewAgentToken): Promise<AgentRecord | undefined> {
    const row = this.db
      .prepare(
        `UPDATE agents SET token_hash = ?, token_issued_at = ?, token_expires_at = ?, token_activated_at = NULL
         WHERE id = ? AND user_id = ? RETURNING *`,
      )
      .get(token.tokenHash, token.issuedAt, token.expiresAt, id, userId) as AgentRow | undefined;
    return row && toRecord(row);
  }

  async delete(userId: number, id: number): Promise<boolean> {
    return this.db.prepare("DELETE FROM agents WHERE id = ? AND user_id = ?").run(id, userId).changes > 0;
  }

  async activateToken(id: number, tokenHash: string, at: number): Promise<void> {
    this.db
      .prepare("UPDATE agents SET token_activated_at = ? WHERE id = ? AND token_hash = ? AND token_activated_at IS NULL")
      .run(at, id, tokenHash);
  }

  async savePresence(entries: AgentPresence[]): Promise<void> {
    if (entries.length === 0) return;
    this.db.transaction(() => {
      for (const entry of entries) this.updatePresence.run(entry);
    })();
  }

  async saveFacts(id: number, facts: AgentFacts): Promise<void> {
    this.db
      .prepare(
        "UPDATE agents SET hostname = ?, os = ?, arch = ?, agent_version = ?, kernel = ?, boot_time = ? WHERE id = ?",
      )
      .run(facts.hostname, facts.os, facts.arch, facts.version, facts.kernel ?? null, facts.boot_time ?? null, id);
  }
}
