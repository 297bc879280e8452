/** SQLite implementation of the AgentStore port. */
import type { AgentFacts } from "@statusmonitor/protocol";
import type { AgentPresence, AgentRecord, AgentStore, NewAgentToken } from "../../agents/ports.js";
import { toAgentRecord, type AgentRow } from "../sql/account-rows.js";
import type { SqliteDatabase } from "./database.js";

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
    return toAgentRecord(row as AgentRow);
  }

  async listAll(): Promise<AgentRecord[]> {
    return (this.db.prepare("SELECT * FROM agents ORDER BY id").all() as AgentRow[]).map(toAgentRecord);
  }

  async listByUser(userId: number): Promise<AgentRecord[]> {
    return (this.db.prepare("SELECT * FROM agents WHERE user_id = ? ORDER BY id").all(userId) as AgentRow[]).map(
      toAgentRecord,
    );
  }

  async get(userId: number, id: number): Promise<AgentRecord | undefined> {
    const row = this.selectOwned.get(id, userId) as AgentRow | undefined;
    return row && toAgentRecord(row);
  }

  async findByTokenHash(tokenHash: string): Promise<AgentRecord | undefined> {
    const row = this.selectByToken.get(tokenHash) as AgentRow | undefined;
    return row && toAgentRecord(row);
  }

  async rename(userId: number, id: number, name: string): Promise<AgentRecord | undefined> {
    const row = this.db
      .prepare("UPDATE agents SET name = ? WHERE id = ? AND user_id = ? RETURNING *")
      .get(name, id, userId) as AgentRow | undefined;
    return row && toAgentRecord(row);
  }

  async replaceToken(userId: number, id: number, token: NewAgentToken): Promise<AgentRecord | undefined> {
    const row = this.db
      .prepare(
        `UPDATE agents SET token_hash = ?, token_issued_at = ?, token_expires_at = ?, token_activated_at = NULL
         WHERE id = ? AND user_id = ? RETURNING *`,
      )
      .get(token.tokenHash, token.issuedAt, token.expiresAt, id, userId) as AgentRow | undefined;
    return row && toAgentRecord(row);
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
