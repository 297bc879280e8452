/** PostgreSQL implementation of the AgentStore port. */
import type { AgentFacts } from "@statusmonitor/protocol";
import type { AgentPresence, AgentRecord, AgentStore, NewAgentToken } from "../../agents/ports.js";
import { toAgentRecord, type AgentRow } from "../sql/account-rows.js";
import type { PostgresPool } from "./database.js";

/**
 * One batch of presence in one statement. Entries of one agent are folded first, as if applied in
 * order; presence only moves forward, so a late flush never rewinds what a newer one wrote. Hubs
 * flushing overlapping batches lock the rows in id order, so they wait for each other instead of
 * deadlocking.
 */
const SAVE_PRESENCE = `
  WITH entry AS (
    SELECT e.id,
           max(e.last_seen) AS last_seen,
           max(e.newest_sample_at) AS newest_sample_at,
           (array_agg(e.interval_ms ORDER BY e.position DESC) FILTER (WHERE e.interval_ms IS NOT NULL))[1] AS interval_ms
    FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[])
         WITH ORDINALITY AS e(id, last_seen, newest_sample_at, interval_ms, position)
    GROUP BY e.id
  ),
  locked AS (
    SELECT agents.id FROM agents JOIN entry ON entry.id = agents.id ORDER BY agents.id FOR UPDATE OF agents
  )
  UPDATE agents SET
    last_seen = greatest(coalesce(agents.last_seen, 0), entry.last_seen),
    newest_sample_at = CASE WHEN entry.newest_sample_at IS NULL THEN agents.newest_sample_at
                            ELSE greatest(coalesce(agents.newest_sample_at, 0), entry.newest_sample_at) END,
    interval_ms = coalesce(entry.interval_ms, agents.interval_ms)
  FROM entry JOIN locked ON locked.id = entry.id
  WHERE agents.id = entry.id`;

export class PostgresAgentStore implements AgentStore {
  constructor(private readonly pool: PostgresPool) {}

  async create(input: { userId: number; name: string; createdAt: number; token: NewAgentToken }): Promise<AgentRecord> {
    const { rows } = await this.pool.query<AgentRow>(
      `INSERT INTO agents (user_id, name, token_hash, token_issued_at, token_expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [input.userId, input.name, input.token.tokenHash, input.token.issuedAt, input.token.expiresAt, input.createdAt],
    );
    return toAgentRecord(rows[0]!);
  }

  async listAll(): Promise<AgentRecord[]> {
    return this.many("SELECT * FROM agents ORDER BY id", []);
  }

  async listByUser(userId: number): Promise<AgentRecord[]> {
    return this.many("SELECT * FROM agents WHERE user_id = $1 ORDER BY id", [userId]);
  }

  async get(userId: number, id: number): Promise<AgentRecord | undefined> {
    return this.one("SELECT * FROM agents WHERE id = $1 AND user_id = $2", [id, userId]);
  }

  async findByTokenHash(tokenHash: string): Promise<AgentRecord | undefined> {
    return this.one("SELECT * FROM agents WHERE token_hash = $1", [tokenHash]);
  }

  async rename(userId: number, id: number, name: string): Promise<AgentRecord | undefined> {
    return this.one("UPDATE agents SET name = $1 WHERE id = $2 AND user_id = $3 RETURNING *", [name, id, userId]);
  }

  async replaceToken(userId: number, id: number, token: NewAgentToken): Promise<AgentRecord | undefined> {
    return this.one(
      `UPDATE agents SET token_hash = $1, token_issued_at = $2, token_expires_at = $3, token_activated_at = NULL
       WHERE id = $4 AND user_id = $5 RETURNING *`,
      [token.tokenHash, token.issuedAt, token.expiresAt, id, userId],
    );
  }

  async delete(userId: number, id: number): Promise<boolean> {
    const result = await this.pool.query("DELETE FROM agents WHERE id = $1 AND user_id = $2", [id, userId]);
    return (result.rowCount ?? 0) > 0;
  }

  async activateToken(id: number, tokenHash: string, at: number): Promise<void> {
    await this.pool.query(
      "UPDATE agents SET token_activated_at = $1 WHERE id = $2 AND token_hash = $3 AND token_activated_at IS NULL",
      [at, id, tokenHash],
    );
  }

  async savePresence(entries: AgentPresence[]): Promise<void> {
    if (entries.length === 0) return;
    await this.pool.query(SAVE_PRESENCE, [
      entries.map((e) => e.id),
      entries.map((e) => e.lastSeen),
      entries.map((e) => e.newestSampleAt),
      entries.map((e) => e.intervalMs),
    ]);
  }

  async saveFacts(id: number, facts: AgentFacts): Promise<void> {
    await this.pool.query(
      "UPDATE agents SET hostname = $1, os = $2, arch = $3, agent_version = $4, kernel = $5, boot_time = $6 WHERE id = $7",
      [facts.hostname, facts.os, facts.arch, facts.version, facts.kernel ?? null, facts.boot_time ?? null, id],
    );
  }

  private async one(sql: string, values: unknown[]): Promise<AgentRecord | undefined> {
    const { rows } = await this.pool.query<AgentRow>(sql, values);
    return rows[0] && toAgentRecord(rows[0]);
  }

  private async many(sql: string, values: unknown[]): Promise<AgentRecord[]> {
    const { rows } = await this.pool.query<AgentRow>(sql, values);
    return rows.map(toAgentRecord);
  }
}
