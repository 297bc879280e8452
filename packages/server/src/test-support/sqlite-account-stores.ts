/** The account stores on a fresh SQLite file; further instances open their own connection to it. */
import { SqliteAgentStore } from "../adapters/sqlite/agents.js";
import { openDatabase, type SqliteDatabase } from "../adapters/sqlite/database.js";
import { SqliteSessionStore } from "../adapters/sqlite/sessions.js";
import { SqliteUserStore } from "../adapters/sqlite/users.js";
import { createLogger } from "../core/logger.js";
import type { AccountStores, AccountStoresFixture } from "./account-stores.js";
import { openSqliteFixture } from "./sqlite-fixture.js";

const storesOn = (db: SqliteDatabase): AccountStores => ({
  users: new SqliteUserStore(db),
  sessions: new SqliteSessionStore(db),
  agents: new SqliteAgentStore(db),
});

export async function openSqliteAccountStores(): Promise<AccountStoresFixture> {
  const fixture = openSqliteFixture("statusmonitor-accounts-");
  const instances: SqliteDatabase[] = [];
  return {
    ...storesOn(fixture.db),
    openInstance: async () => {
      const db = openDatabase({ dataDir: fixture.dataDir, synchronous: "normal", logger: createLogger({ level: "silent" }) });
      instances.push(db);
      return { ...storesOn(db), close: async () => void db.close() };
    },
    close: async () => {
      for (const db of instances) if (db.open) db.close();
      fixture.close();
    },
  };
}
