/** Runs the AlertStore contract on the SQLite adapter, each test on a fresh database file in its own temp dir. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describeAlertStoreContract } from "../../alerts/alert-store.contract.js";
import { createLogger } from "../../core/logger.js";
import { SqliteAgentStore } from "./agents.js";
import { SqliteAlertStore } from "./alert-store.js";
import { openDatabase } from "./database.js";

const logger = createLogger({ level: "silent" });

describeAlertStoreContract("sqlite", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-alerts-"));
  const db = openDatabase({ dataDir, synchronous: "normal", logger });
  const insertUser = db.prepare("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, 'x', 'user', 0)");
  const agents = new SqliteAgentStore(db);
  let made = 0;
  return {
    store: new SqliteAlertStore(db),
    createUser: async () => {
      made += 1;
      return Number(insertUser.run(`user ${made}`).lastInsertRowid);
    },
    createAgent: async (userId) => {
      made += 1;
      const agent = await agents.create({ userId, name: `agent ${made}`, createdAt: 0, token: { tokenHash: `hash-${made}`, issuedAt: 0, expiresAt: 1 } });
      return agent.id;
    },
    deleteAgent: async (userId, id) => {
      await agents.delete(userId, id);
    },
    close: async () => {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
