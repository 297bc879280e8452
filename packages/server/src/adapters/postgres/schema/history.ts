/** Migration 3: history chunks per (agent, tier, window) and named cursors. */
import type { PostgresMigration } from "../database.js";

export const HISTORY_MIGRATION: PostgresMigration = {
  version: 3,
  name: "history chunks and cursors",
  sql: `
    -- One compressed chunk per (agent, tier, aligned window): raw 5 min, 1m one hour, 1h one day.
    -- The writer rewrites the open window's chunk on every flush: free room in each page lets those
    -- updates stay on the page (HOT) without touching the indexes.
    CREATE TABLE history_chunks (
      agent_id     BIGINT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
      tier         TEXT NOT NULL,
      window_start BIGINT NOT NULL,
      row_count    INTEGER NOT NULL,
      value_count  INTEGER NOT NULL,
      data         BYTEA NOT NULL,
      PRIMARY KEY (agent_id, tier, window_start)
    ) WITH (fillfactor = 80);
    -- The chunk codec has compressed the bytes already; TOAST would only spend CPU trying again.
    ALTER TABLE history_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
    CREATE INDEX history_chunks_retention ON history_chunks(tier, window_start);

    -- Progress markers of background work, e.g. how far the journal has been written to history.
    CREATE TABLE history_cursors (
      name  TEXT PRIMARY KEY,
      value BIGINT NOT NULL
    );
  `,
};
