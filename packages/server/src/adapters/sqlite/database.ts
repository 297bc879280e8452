/** Opens the embedded SQLite file (WAL mode) and brings its schema up to date. */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Logger } from "../../core/logger.js";
import { SQLITE_MIGRATIONS, type Migration } from "./migrations.js";

export type SqliteDatabase = Database.Database;

export const DATABASE_FILE = "statusmonitor.db";

export function openDatabase(options: {
  dataDir: string;
  synchronous: "normal" | "full";
  logger: Logger;
  migrations?: Migration[];
}): SqliteDatabase {
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, DATABASE_FILE);
  const db = new Database(file);
  // Freed pages are returned to the file system in small steps instead of growing the file forever.
  // It must be chosen before anything else writes to a new file (switching to WAL does).
  db.pragma("auto_vacuum = INCREMENTAL");
  db.pragma("journal_mode = WAL");
  // NORMAL survives a process crash (kill -9): every commit is written to the WAL before it
  // returns. FULL also fsyncs each commit, surviving power loss at the cost of latency.
  db.pragma(`synchronous = ${options.synchronous.toUpperCase()}`);
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db, options.migrations ?? SQLITE_MIGRATIONS, options.logger);
  return db;
}

export function migrate(db: SqliteDatabase, migrations: Migration[], logger: Logger): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = new Set(
    db.prepare("SELECT version FROM schema_migrations").pluck().all() as number[],
  );
  // BEGIN IMMEDIATE takes the write lock first, so two processes starting at once cannot both migrate.
  const apply = db.transaction((migration: Migration) => {
    const already = db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?").get(migration.version);
    if (already) return;
    db.exec(migration.sql);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
      migration.version,
      migration.name,
      Date.now(),
    );
    logger.info({ version: migration.version, name: migration.name }, "applied database migration");
  });
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (!applied.has(migration.version)) apply.immediate(migration);
  }
}
