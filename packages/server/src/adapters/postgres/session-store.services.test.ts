/** Runs the SessionStore contract on the PostgreSQL adapters, each test in a fresh schema of the test database. */
import { describeSessionStoreContract } from "../../auth/session-store.contract.js";
import { openPostgresAccountStores } from "../../test-support/postgres-account-stores.js";

describeSessionStoreContract("postgres", openPostgresAccountStores);
