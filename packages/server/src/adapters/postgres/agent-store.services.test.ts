/** Runs the AgentStore contract on the PostgreSQL adapters, each test in a fresh schema of the test database. */
import { describeAgentStoreContract } from "../../agents/agent-store.contract.js";
import { openPostgresAccountStores } from "../../test-support/postgres-account-stores.js";

describeAgentStoreContract("postgres", openPostgresAccountStores);
