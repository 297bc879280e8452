/** Runs the HistoryStore contract on the SQLite adapter, each test on a fresh database file in its own temp dir. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger } from "../../core/logger.js";
import { describeHistoryStoreContract } from "../../history/history-store.contract.js";
import { SqliteAgentStore } from "./agents.js";
import { openDatabase } from "./database.js";
import { SqliteHistoryStore } from "./history-store.js";

const logger = createLogger({ level: "silent" });

describeHistoryStoreContract("sqlite", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-history-"));
  const db = openDatabase({ dataDir, synchronous: "normal", logger });
  const userId = Number(db.prepare("INSERT INTO users (username, password_hash, role, created_at) VALUES ('owner', 'x', 'user', 0)").run().lastInsertRowid);
  const agents = new SqliteAgentStore(db);
  let made = 0;
  return {
    store: new SqliteHistoryStore(db),
    createAgent: async () => {
      made += 1;
      const agent = await agents.create({ userId, name: `agent ${made}`, createdAt: 0, token: { tokenHash: `hash-${made}`, issuedAt: 0, expiresAt: 1 } });
      return agent.id;
    },
    deleteAgent: async (id) => {
      await agents.delete(userId, id);
    },
    close: async () => {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
