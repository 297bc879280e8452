/** The account stores on a fresh PostgreSQL schema; further instances open their own pool to it. */
import { PostgresAgentStore } from "../adapters/postgres/agents.js";
import { createPostgresPool, type PostgresPool } from "../adapters/postgres/database.js";
import { PostgresSessionStore } from "../adapters/postgres/sessions.js";
import { PostgresUserStore } from "../adapters/postgres/users.js";
import { createLogger } from "../core/logger.js";
import type { AccountStores, AccountStoresFixture } from "./account-stores.js";
import { openPostgresFixture } from "./postgres-fixture.js";

const storesOn = (pool: PostgresPool): AccountStores => ({
  users: new PostgresUserStore(pool),
  sessions: new PostgresSessionStore(pool),
  agents: new PostgresAgentStore(pool),
});

const CONNECTIONS = 5;

/** Opens every connection of the pool now, so concurrent calls a test fires off race each other rather than the connects. */
async function warmed(pool: PostgresPool): Promise<PostgresPool> {
  await Promise.all(Array.from({ length: CONNECTIONS }, () => pool.query("SELECT 1")));
  return pool;
}

export async function openPostgresAccountStores(): Promise<AccountStoresFixture> {
  const fixture = await openPostgresFixture();
  const instances: PostgresPool[] = [];
  return {
    ...storesOn(await warmed(fixture.pool)),
    openInstance: async () => {
      const pool = await warmed(createPostgresPool({ url: fixture.url, maxConnections: CONNECTIONS, logger: createLogger({ level: "silent" }) }));
      instances.push(pool);
      return { ...storesOn(pool), close: () => pool.end() };
    },
    close: async () => {
      // An instance a test closed itself is already ended; ending it again would throw.
      for (const pool of instances) if (!pool.ended) await pool.end();
      await fixture.close();
    },
  };
}
