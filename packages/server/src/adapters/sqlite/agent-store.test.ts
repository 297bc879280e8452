/** Runs the AgentStore contract on the SQLite adapters, each test on a fresh database file in its own temp dir. */
import { describeAgentStoreContract } from "../../agents/agent-store.contract.js";
import { openSqliteAccountStores } from "../../test-support/sqlite-account-stores.js";

describeAgentStoreContract("sqlite", openSqliteAccountStores);
