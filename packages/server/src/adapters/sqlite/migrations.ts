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
  {
    version: 3,
    name: "alert rules, states, channels, events and deliveries",
    sql: `
      -- agent_id NULL: the rule watches every agent of its owner, including ones added later.
      CREATE TABLE alert_rules (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        agent_id    INTEGER REFERENCES agents(id) ON DELETE CASCADE,
        metric      TEXT NOT NULL,
        operator    TEXT NOT NULL,
        threshold   REAL NOT NULL,
        mountpoint  TEXT,
        duration_s  INTEGER NOT NULL,
        cooldown_s  INTEGER NOT NULL,
        enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE INDEX alert_rules_user ON alert_rules(user_id);
      CREATE INDEX alert_rules_agent ON alert_rules(agent_id);

      -- The state machine's JSON per (rule, agent), so a restart resumes pending and firing alerts.
      CREATE TABLE alert_states (
        rule_id  INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
        agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        state    TEXT NOT NULL,
        PRIMARY KEY (rule_id, agent_id)
      ) WITHOUT ROWID;
      -- Lets deleting an agent find its states without a scan.
      CREATE INDEX alert_states_agent ON alert_states(agent_id);

      -- webhook_secret is sealed with the hub's key; no row means no channel was ever saved.
      CREATE TABLE alert_channels (
        user_id          INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        telegram_chat_id TEXT NOT NULL DEFAULT '',
        telegram_enabled INTEGER NOT NULL DEFAULT 0 CHECK (telegram_enabled IN (0, 1)),
        webhook_url      TEXT NOT NULL DEFAULT '',
        webhook_secret   TEXT,
        webhook_enabled  INTEGER NOT NULL DEFAULT 0 CHECK (webhook_enabled IN (0, 1)),
        updated_at       INTEGER NOT NULL
      );

      -- The log copies the rule's and agent's names and condition, so it still reads right after
      -- either is renamed; deleting the rule keeps its events (rule_id NULL), deleting the agent does not.
      CREATE TABLE alert_events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        rule_id     INTEGER REFERENCES alert_rules(id) ON DELETE SET NULL,
        rule_name   TEXT NOT NULL,
        agent_id    INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        agent_name  TEXT NOT NULL,
        metric      TEXT NOT NULL,
        operator    TEXT NOT NULL,
        threshold   REAL NOT NULL,
        value       REAL,
        mountpoint  TEXT,
        state       TEXT NOT NULL CHECK (state IN ('firing', 'resolved')),
        message     TEXT NOT NULL,
        delivery    TEXT NOT NULL,
        at          INTEGER NOT NULL
      );
      -- Listing a user's log, newest or oldest first (the id ties are in the index as the rowid).
      CREATE INDEX alert_events_user_at ON alert_events(user_id, at);
      -- Filtering by agent (an agent has one owner), and finding an agent's events when it is deleted.
      CREATE INDEX alert_events_agent_at ON alert_events(agent_id, at);
      CREATE INDEX alert_events_rule ON alert_events(rule_id);
      -- Retention deletes the oldest events of every user.
      CREATE INDEX alert_events_at ON alert_events(at);

      -- The delivery queue: one message to one channel, retried until sent or given up. It outlives
      -- its event (event_id NULL once the log is cleared), so clearing the log never cancels a message.
      CREATE TABLE alert_deliveries (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id        INTEGER REFERENCES alert_events(id) ON DELETE SET NULL,
        user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        channel         TEXT NOT NULL,
        message         TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL,
        first_tried_at  INTEGER,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        created_at      INTEGER NOT NULL,
        finished_at     INTEGER
      );
      CREATE INDEX alert_deliveries_pending ON alert_deliveries(id) WHERE status = 'pending';
      CREATE INDEX alert_deliveries_event ON alert_deliveries(event_id);
      CREATE INDEX alert_deliveries_user ON alert_deliveries(user_id);
      CREATE INDEX alert_deliveries_finished ON alert_deliveries(finished_at) WHERE status <> 'pending';
    `,
  },
];
