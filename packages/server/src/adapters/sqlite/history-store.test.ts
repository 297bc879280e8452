/** Runs the HistoryStore contract on the SQLite adapter, each test on a fresh database file in its own temp dir. */
import { describeHistoryStoreContract } from "../../history/history-store.contract.js";
import { openSqliteFixture } from "../../test-support/sqlite-fixture.js";
import { SqliteHistoryStore } from "./history-store.js";

describeHistoryStoreContract("sqlite", async () => {
  const fixture = openSqliteFixture("statusmonitor-history-");
  const userId = fixture.createUser();
  return {
    store: new SqliteHistoryStore(fixture.db),
    createAgent: () => fixture.createAgent(userId),
    deleteAgent: async (id) => {
      await fixture.agents.delete(userId, id);
    },
    close: async () => fixture.close(),
  };
});
