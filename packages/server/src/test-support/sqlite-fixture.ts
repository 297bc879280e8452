/** A fresh SQLite database in its own temp dir for store-level tests, with quick ways to add the users and agents records belong to. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SqliteAgentStore } from "../adapters/sqlite/agents.js";
import { openDatabase, type SqliteDatabase } from "../adapters/sqlite/database.js";
import { createLogger } from "../core/logger.js";

export interface SqliteFixture {
  db: SqliteDatabase;
  dataDir: string;
  agents: SqliteAgentStore;
  /** Inserts a user directly (no password hashing) and returns its id. */
  createUser(): number;
  /** Creates an agent of `userId` with a unique name and token hash; returns its id. */
  createAgent(userId: number): Promise<number>;
  /** Closes the database and deletes the directory. */
  close(): void;
}

export function openSqliteFixture(prefix = "statusmonitor-store-"): SqliteFixture {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  const db = openDatabase({ dataDir, synchronous: "normal", logger: createLogger({ level: "silent" }) });
  const insertUser = db.prepare("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, 'x', 'user', 0)");
  const agents = new SqliteAgentStore(db);
  let made = 0;
  return {
    db,
    dataDir,
    agents,
    createUser: () => Number(insertUser.run(`user ${(made += 1)}`).lastInsertRowid),
    createAgent: async (userId) => {
      made += 1;
      return (await agents.create({ userId, name: `agent ${made}`, createdAt: 0, token: { tokenHash: `hash-${made}`, issuedAt: 0, expiresAt: 1 } })).id;
    },
    close: () => {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
