/** Opens the PostgreSQL connection pool and brings the schema up to date under an advisory lock. */
import pg from "pg";
import type { Logger } from "../../core/logger.js";
import { POSTGRES_MIGRATIONS } from "./migrations.js";

export type PostgresPool = pg.Pool;

export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/** Any 64-bit number all StatusMonitor instances agree on: the lock that serialises their migrations. */
const MIGRATION_LOCK_KEY = 7_415_020_411;

// BIGINT columns hold epoch milliseconds; they fit a JavaScript number exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createPostgresPool(options: { url: string; maxConnections: number; logger: Logger }): PostgresPool {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on("error", (err) => options.logger.warn({ err: err.message }, "idle PostgreSQL connection failed"));
  return pool;
}

/**
 * Applies the migrations not applied yet, each in its own transaction. Instances starting together
 * wait for each other on a session-level advisory lock, so each migration runs exactly once.
 */
export async function migratePostgres(pool: PostgresPool, logger: Logger, migrations: PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const applied = new Set((await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map((r) => r.version));
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [migration.version, migration.name, Date.now()]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`PostgreSQL migration ${migration.version} (${migration.name}) failed: ${(err as Error).message}`, { cause: err });
      }
      logger.info({ version: migration.version, name: migration.name }, "applied database migration");
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}

/** Runs `work` in one transaction on one client; rolls back when it throws. */
export async function inTransaction<T>(pool: PostgresPool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
