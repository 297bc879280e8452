/** Runs the UserStore contract on the SQLite adapters, each test on a fresh database file in its own temp dir. */
import { describeUserStoreContract } from "../../auth/user-store.contract.js";
import { openSqliteAccountStores } from "../../test-support/sqlite-account-stores.js";

describeUserStoreContract("sqlite", openSqliteAccountStores);
