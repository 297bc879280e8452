/** Runs the UserStore contract on the PostgreSQL adapters, each test in a fresh schema of the test database. */
import { describeUserStoreContract } from "../../auth/user-store.contract.js";
import { openPostgresAccountStores } from "../../test-support/postgres-account-stores.js";

describeUserStoreContract("postgres", openPostgresAccountStores);
