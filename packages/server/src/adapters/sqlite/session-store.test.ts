/** Runs the SessionStore contract on the SQLite adapters, each test on a fresh database file in its own temp dir. */
import { describeSessionStoreContract } from "../../auth/session-store.contract.js";
import { openSqliteAccountStores } from "../../test-support/sqlite-account-stores.js";

describeSessionStoreContract("sqlite", openSqliteAccountStores);
