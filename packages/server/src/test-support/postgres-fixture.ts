/** A fresh PostgreSQL schema per test (migrated, with its own pool), dropped again on close. */
import pg from "pg";
import { createPostgresPool, migratePostgres, type PostgresPool } from "../adapters/postgres/database.js";
import { createLogger } from "../core/logger.js";
import { serviceUrls, uniqueTestName } from "./services.js";

export interface PostgresFixture {
  pool: PostgresPool;
  /** A connection URL whose sessions use the fixture's schema (for hub processes). */
  url: string;
  schema: string;
  close(): Promise<void>;
}

/** The database URL with every session's search_path set to `schema`. */
export function urlWithSchema(databaseUrl: string, schema: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

export async function openPostgresFixture(options: { migrate?: boolean } = {}): Promise<PostgresFixture> {
  const { databaseUrl } = serviceUrls();
  const schema = uniqueTestName("t").toLowerCase();
  const admin = new pg.Client({ connectionString: databaseUrl });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${databaseUrl} (set TEST_DATABASE_URL or run scripts/ensure-services.sh): ${(err as Error).message}`);
  }
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = urlWithSchema(databaseUrl, schema);
  const logger = createLogger({ level: "silent" });
  const pool = createPostgresPool({ url, maxConnections: 5, logger });
  if (options.migrate !== false) await migratePostgres(pool, logger);
  return {
    pool,
    url,
    schema,
    close: async () => {
      await pool.end();
      const cleanup = new pg.Client({ connectionString: databaseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}
