/** The PostgreSQL schema as ordered, append-only migrations, one module per capability's tables. */
import type { PostgresMigration } from "./database.js";
import { ACCOUNTS_MIGRATION } from "./schema/accounts.js";
import { ALERTS_MIGRATION } from "./schema/alerts.js";
import { HISTORY_MIGRATION } from "./schema/history.js";

export const POSTGRES_MIGRATIONS: PostgresMigration[] = [ACCOUNTS_MIGRATION, ALERTS_MIGRATION, HISTORY_MIGRATION];
