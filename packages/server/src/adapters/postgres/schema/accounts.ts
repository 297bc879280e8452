/** Migration 1: users, sessions with their rotating refresh tokens, and agents. Times are epoch ms. */
import type { PostgresMigration } from "../database.js";

export const ACCOUNTS_MIGRATION: PostgresMigration = {
  version: 1,
  name: "users, sessions and agents",
  sql: `
    -- Identity columns never reuse an id, so nothing keyed by an old id can reach a new owner.
    CREATE TABLE users (
      id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      username      TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      role          TEXT NOT NULL CHECK (role IN ('admin', 'user')),
      created_at    BIGINT NOT NULL
    );
    -- Usernames are unique regardless of case, as on SQLite (COLLATE NOCASE).
    CREATE UNIQUE INDEX users_username_lower ON users (lower(username));

    -- A session is one sign-in: the family of refresh tokens that rotate from it.
    CREATE TABLE sessions (
      id            TEXT PRIMARY KEY,
      user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at    BIGINT NOT NULL,
      expires_at    BIGINT NOT NULL,
      revoked_at    BIGINT,
      revoke_reason TEXT
    );
    CREATE INDEX sessions_user ON sessions(user_id);

    CREATE TABLE refresh_tokens (
      token_hash  TEXT PRIMARY KEY,
      session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      issued_at   BIGINT NOT NULL,
      expires_at  BIGINT NOT NULL,
      rotated_at  BIGINT
    );
    CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);

    CREATE TABLE agents (
      id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id            BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name               TEXT NOT NULL,
      token_hash         TEXT NOT NULL UNIQUE,
      token_issued_at    BIGINT NOT NULL,
      token_expires_at   BIGINT NOT NULL,
      token_activated_at BIGINT,
      created_at         BIGINT NOT NULL,
      last_seen          BIGINT,
      newest_sample_at   BIGINT,
      interval_ms        BIGINT,
      hostname           TEXT,
      os                 TEXT,
      arch               TEXT,
      agent_version      TEXT,
      kernel             TEXT,
      boot_time          BIGINT
    );
    CREATE INDEX agents_user ON agents(user_id);
  `,
};
