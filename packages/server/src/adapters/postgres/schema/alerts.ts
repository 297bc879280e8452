/** Migration 2: alert rules, their per-agent state, channels, the event log and the delivery queue. */
import type { PostgresMigration } from "../database.js";

export const ALERTS_MIGRATION: PostgresMigration = {
  version: 2,
  name: "alert rules, states, channels, events and deliveries",
  sql: `
    -- agent_id NULL: the rule watches every agent of its owner, including ones added later.
    CREATE TABLE alert_rules (
      id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name        TEXT NOT NULL,
      agent_id    BIGINT REFERENCES agents(id) ON DELETE CASCADE,
      metric      TEXT NOT NULL,
      operator    TEXT NOT NULL,
      threshold   DOUBLE PRECISION NOT NULL,
      mountpoint  TEXT,
      duration_s  INTEGER NOT NULL,
      cooldown_s  INTEGER NOT NULL,
      enabled     BOOLEAN NOT NULL,
      created_at  BIGINT NOT NULL,
      updated_at  BIGINT NOT NULL
    );
    CREATE INDEX alert_rules_user ON alert_rules(user_id);
    CREATE INDEX alert_rules_agent ON alert_rules(agent_id);

    -- The state machine's JSON per (rule, agent), so a restart resumes pending and firing alerts.
    -- JSONB rather than TEXT: an operator can ask which alerts are firing with plain SQL.
    CREATE TABLE alert_states (
      rule_id  BIGINT NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
      agent_id BIGINT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
      state    JSONB NOT NULL,
      PRIMARY KEY (rule_id, agent_id)
    );
    -- Lets deleting an agent find its states without a scan.
    CREATE INDEX alert_states_agent ON alert_states(agent_id);

    -- webhook_secret is sealed with the hub's key; no row means no channel was ever saved.
    CREATE TABLE alert_channels (
      user_id          BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
      telegram_chat_id TEXT NOT NULL DEFAULT '',
      telegram_enabled BOOLEAN NOT NULL DEFAULT false,
      webhook_url      TEXT NOT NULL DEFAULT '',
      webhook_secret   TEXT,
      webhook_enabled  BOOLEAN NOT NULL DEFAULT false,
      updated_at       BIGINT NOT NULL
    );

    -- The log copies the rule's and agent's names and condition, so it still reads right after
    -- either is renamed; deleting the rule keeps its events (rule_id NULL), deleting the agent does not.
    CREATE TABLE alert_events (
      id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      rule_id     BIGINT REFERENCES alert_rules(id) ON DELETE SET NULL,
      rule_name   TEXT NOT NULL,
      agent_id    BIGINT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
      agent_name  TEXT NOT NULL,
      metric      TEXT NOT NULL,
      operator    TEXT NOT NULL,
      threshold   DOUBLE PRECISION NOT NULL,
      value       DOUBLE PRECISION,
      mountpoint  TEXT,
      state       TEXT NOT NULL CHECK (state IN ('firing', 'resolved')),
      message     TEXT NOT NULL,
      delivery    TEXT NOT NULL,
      at          BIGINT NOT NULL
    );
    -- Listing a user's log, newest or oldest first; the id breaks ties (unlike SQLite's rowid, it
    -- is not in an index implicitly).
    CREATE INDEX alert_events_user_at ON alert_events(user_id, at, id);
    -- Filtering by agent (an agent has one owner), and finding an agent's events when it is deleted.
    CREATE INDEX alert_events_agent_at ON alert_events(agent_id, at, id);
    CREATE INDEX alert_events_rule ON alert_events(rule_id);
    -- Retention deletes the oldest events of every user.
    CREATE INDEX alert_events_at ON alert_events(at);

    -- The delivery queue: one message to one channel, retried until sent or given up. It outlives
    -- its event (event_id NULL once the log is cleared), so clearing the log never cancels a message.
    CREATE TABLE alert_deliveries (
      id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id        BIGINT REFERENCES alert_events(id) ON DELETE SET NULL,
      user_id         BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      channel         TEXT NOT NULL,
      message         JSONB NOT NULL,
      status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
      attempts        INTEGER NOT NULL,
      first_tried_at  BIGINT,
      next_attempt_at BIGINT NOT NULL,
      last_error      TEXT,
      created_at      BIGINT NOT NULL,
      finished_at     BIGINT
    );
    CREATE INDEX alert_deliveries_pending ON alert_deliveries(id) WHERE status = 'pending';
    CREATE INDEX alert_deliveries_event ON alert_deliveries(event_id);
    CREATE INDEX alert_deliveries_user ON alert_deliveries(user_id);
    CREATE INDEX alert_deliveries_finished ON alert_deliveries(finished_at) WHERE status <> 'pending';
  `,
};
