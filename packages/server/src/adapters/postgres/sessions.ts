/** PostgreSQL implementation of the SessionStore port (sign-in sessions and their refresh tokens). */
import type { NewRefreshToken, RefreshTokenRecord, SessionRecord, SessionStore } from "../../auth/ports.js";
import { toRefreshTokenRecord, toSessionRecord, type RefreshTokenRow, type SessionRow } from "../sql/account-rows.js";
import { inTransaction, type PostgresPool } from "./database.js";

export class PostgresSessionStore implements SessionStore {
  constructor(private readonly pool: PostgresPool) {}

  async createSession(session: Omit<SessionRecord, "revokedAt">, first: NewRefreshToken): Promise<void> {
    // One statement, so the session never exists without its first token.
    await this.pool.query(
      `WITH session AS (
         INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4) RETURNING id
       )
       INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at)
       SELECT $5, id, $6, $7 FROM session`,
      [session.id, session.userId, session.createdAt, session.expiresAt, first.tokenHash, first.issuedAt, first.expiresAt],
    );
  }

  async findToken(tokenHash: string): Promise<{ token: RefreshTokenRecord; session: SessionRecord } | undefined> {
    // The session comes as one JSON column: both tables have an expires_at.
    const { rows } = await this.pool.query<RefreshTokenRow & { session: SessionRow }>(
      `SELECT t.*, row_to_json(s) AS session
       FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
       WHERE t.token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    return row && { token: toRefreshTokenRecord(row), session: toSessionRecord(row.session) };
  }

  async rotate(oldHash: string, next: NewRefreshToken, now: number): Promise<boolean> {
    // The UPDATE's WHERE is re-checked after waiting for a concurrent rotation's row lock, so of
    // several hubs presenting the same token only one claims it; the others insert nothing.
    const result = await this.pool.query(
      `WITH claimed AS (
         UPDATE refresh_tokens SET rotated_at = $2 WHERE token_hash = $1 AND rotated_at IS NULL RETURNING session_id
       )
       INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at)
       SELECT $3, session_id, $4, $5 FROM claimed`,
      [oldHash, now, next.tokenHash, next.issuedAt, next.expiresAt],
    );
    return result.rowCount === 1;
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const { rows } = await this.pool.query<SessionRow>("SELECT * FROM sessions WHERE id = $1", [id]);
    return rows[0] && toSessionRecord(rows[0]);
  }

  async revokeSession(id: string, now: number, reason: string): Promise<void> {
    await this.pool.query("UPDATE sessions SET revoked_at = $1, revoke_reason = $2 WHERE id = $3 AND revoked_at IS NULL", [
      now,
      reason,
      id,
    ]);
  }

  async deleteStale(now: number): Promise<number> {
    // Two statements, not one: the sessions' cascade must have removed their tokens before the
    // token DELETE looks, so a token is counted once (with its session), as on SQLite.
    return inTransaction(this.pool, async (client) => {
      const sessions = await client.query("DELETE FROM sessions WHERE expires_at < $1 OR revoked_at IS NOT NULL", [now]);
      // Used tokens must outlive their rotation while the session lives: they are how re-use is detected.
      const tokens = await client.query("DELETE FROM refresh_tokens WHERE expires_at < $1", [now]);
      return (sessions.rowCount ?? 0) + (tokens.rowCount ?? 0);
    });
  }
}
