/** The SQLite schema as ordered, append-only migrations; each runs once, inside a transaction. */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "users, sessions, agents and the ingest journal",
    sql: `
      -- AUTOINCREMENT: an id is never reused, so nothing keyed by an old id can reach a new owner.
      CREATE TABLE users (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('admin', 'user')),
        created_at    INTEGER NOT NULL
      );

      -- A session is one sign-in: the family of refresh tokens that rotate from it.
      CREATE TABLE sessions (
        id            TEXT PRIMARY KEY,
        user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at    INTEGER NOT NULL,
        expires_at    INTEGER NOT NULL,
        revoked_at    INTEGER,
        revoke_reason TEXT
      );
      CREATE INDEX sessions_user ON sessions(user_id);

      CREATE TABLE refresh_tokens (
        token_hash  TEXT PRIMARY KEY,
        session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        issued_at   INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        rotated_at  INTEGER
      ) WITHOUT ROWID;
      CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);

      CREATE TABLE agents (
        id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name               TEXT NOT NULL,
        token_hash         TEXT NOT NULL UNIQUE,
        token_issued_at    INTEGER NOT NULL,
        token_expires_at   INTEGER NOT NULL,
        token_activated_at INTEGER,
        created_at         INTEGER NOT NULL,
        last_seen          INTEGER,
        newest_sample_at   INTEGER,
        interval_ms        INTEGER,
        hostname           TEXT,
        os                 TEXT,
        arch               TEXT,
        agent_version      TEXT,
        kernel             TEXT,
        boot_time          INTEGER
      );
      CREATE INDEX agents_user ON agents(user_id);

      -- Every acknowledged sample, appended before the 200 (group commit), de-duplicated on
      -- (agent, timestamp), kept for INGEST_JOURNAL_RETENTION_H hours.
      CREATE TABLE sample_journal (
        id          INTEGER PRIMARY KEY,
        agent_id    INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        ts          INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        body        TEXT NOT NULL
      );
      CREATE UNIQUE INDEX sample_journal_agent_ts ON sample_journal(agent_id, ts);
    `,
  },
  {
    version: 2,
    name: "history chunks and cursors",
    sql: `
      -- One compressed chunk per (agent, tier, aligned window): raw 5 min, 1m one hour, 1h one day.
      CREATE TABLE history_chunks (
        agent_id     INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        tier         TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        row_count    INTEGER NOT NULL,
        value_count  INTEGER NOT NULL,
        data         BLOB NOT NULL,
        PRIMARY KEY (agent_id, tier, window_start)
      );
      CREATE INDEX history_chunks_retention ON history_chunks(tier, window_start);

      -- Progress markers of background work, e.g. how far the journal has been written to history.
      CREATE TABLE history_cursors (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];
