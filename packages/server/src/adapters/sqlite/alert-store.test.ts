/** Runs the AlertStore contract on the SQLite adapter, each test on a fresh database file in its own temp dir. */
import { describeAlertStoreContract } from "../../alerts/alert-store.contract.js";
import { openSqliteFixture } from "../../test-support/sqlite-fixture.js";
import { SqliteAlertStore } from "./alert-store.js";

describeAlertStoreContract("sqlite", async () => {
  const fixture = openSqliteFixture("statusmonitor-alerts-");
  return {
    store: new SqliteAlertStore(fixture.db),
    createUser: async () => fixture.createUser(),
    createAgent: (userId) => fixture.createAgent(userId),
    deleteAgent: async (userId, id) => {
      await fixture.agents.delete(userId, id);
    },
    close: async () => fixture.close(),
  };
});
