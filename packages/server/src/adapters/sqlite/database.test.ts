/** The SQLite file opens in WAL mode with foreign keys on, and migrations apply once even when reopened. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../core/logger.js";
import { openDatabase, type SqliteDatabase } from "./database.js";
import { SQLITE_MIGRATIONS } from "./migrations.js";

const logger = createLogger({ level: "silent" });

describe("sqlite database", () => {
  const opened: SqliteDatabase[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const db of opened.splice(0)) db.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const open = (dataDir: string, migrations = SQLITE_MIGRATIONS) => {
    const db = openDatabase({ dataDir, synchronous: "normal", logger, migrations });
    opened.push(db);
    return db;
  };
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "statusmonitor-db-"));
    dirs.push(dir);
    return dir;
  };

  it("uses WAL, foreign keys and incremental vacuum", () => {
    const db = open(tempDir());
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("auto_vacuum", { simple: true })).toBe(2);
  });

  it("applies each migration exactly once across reopenings", () => {
    const dir = tempDir();
    open(dir).close();
    opened.pop();
    const db = open(dir);
    const versions = db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all();
    expect(versions).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sample_journal'").pluck().get()).toBe(1);
  });

  it("applies a new migration on top of an existing file and keeps the data", () => {
    const dir = tempDir();
    const first = open(dir);
    first.prepare("INSERT INTO users (username, password_hash, role, created_at) VALUES ('ann', 'x', 'admin', 1)").run();
    first.close();
    opened.pop();
    const next = [...SQLITE_MIGRATIONS, { version: 999, name: "test column", sql: "ALTER TABLE users ADD COLUMN note TEXT" }];
    const db = open(dir, next);
    expect(db.prepare("SELECT username FROM users").pluck().get()).toBe("ann");
    expect(db.prepare("SELECT count(*) FROM pragma_table_info('users') WHERE name = 'note'").pluck().get()).toBe(1);
  });

  it("rolls back a failing migration entirely", () => {
    const dir = tempDir();
    const broken = [...SQLITE_MIGRATIONS, { version: 998, name: "broken", sql: "CREATE TABLE t1 (a); CREATE TABLE oops (" }];
    expect(() => open(dir, broken)).toThrow();
    const db = open(dir);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 't1'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM schema_migrations WHERE version = 998").pluck().get()).toBe(0);
  });
});
