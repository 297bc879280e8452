/** SQLite implementation of the SessionStore port (sign-in sessions and their refresh tokens). */
import type { NewRefreshToken, RefreshTokenRecord, SessionRecord, SessionStore } from "../../auth/ports.js";
import { toRefreshTokenRecord, toSessionRecord, type RefreshTokenRow, type SessionRow } from "../sql/account-rows.js";
import type { SqliteDatabase } from "./database.js";

export class SqliteSessionStore implements SessionStore {
  private readonly insertToken;
  private readonly selectSession;
  constructor(private readonly db: SqliteDatabase) {
    this.insertToken = db.prepare(
      "INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES (?, ?, ?, ?)",
    );
    this.selectSession = db.prepare("SELECT * FROM sessions WHERE id = ?");
  }

  async createSession(session: Omit<SessionRecord, "revokedAt">, first: NewRefreshToken): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .run(session.id, session.userId, session.createdAt, session.expiresAt);
      this.insertToken.run(first.tokenHash, session.id, first.issuedAt, first.expiresAt);
    })();
  }

  async findToken(tokenHash: string): Promise<{ token: RefreshTokenRecord; session: SessionRecord } | undefined> {
    const token = this.db.prepare("SELECT * FROM refresh_tokens WHERE token_hash = ?").get(tokenHash) as
      | RefreshTokenRow
      | undefined;
    if (!token) return undefined;
    const session = this.selectSession.get(token.session_id) as SessionRow | undefined;
    return session && { token: toRefreshTokenRecord(token), session: toSessionRecord(session) };
  }

  async rotate(oldHash: string, next: NewRefreshToken, now: number): Promise<boolean> {
    return this.db.transaction(() => {
      const claimed = this.db
        .prepare("UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL")
        .run(now, oldHash);
      if (claimed.changes !== 1) return false;
      const { session_id } = this.db
        .prepare("SELECT session_id FROM refresh_tokens WHERE token_hash = ?")
        .get(oldHash) as { session_id: string };
      this.insertToken.run(next.tokenHash, session_id, next.issuedAt, next.expiresAt);
      return true;
    }).immediate();
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const row = this.selectSession.get(id) as SessionRow | undefined;
    return row && toSessionRecord(row);
  }

  async revokeSession(id: string, now: number, reason: string): Promise<void> {
    this.db
      .prepare("UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL")
      .run(now, reason, id);
  }

  async deleteStale(now: number): Promise<number> {
    return this.db.transaction(() => {
      const sessions = this.db
        .prepare("DELETE FROM sessions WHERE expires_at < ? OR revoked_at IS NOT NULL")
        .run(now).changes;
      // Used tokens must outlive their rotation while the session lives: they are how re-use is detected.
      const tokens = this.db.prepare("DELETE FROM refresh_tokens WHERE expires_at < ?").run(now).changes;
      return sessions + tokens;
    })();
  }
}
