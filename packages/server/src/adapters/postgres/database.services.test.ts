/** PostgreSQL migrations: hub instances starting together apply each one exactly once, and a failing one leaves nothing behind. */
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../core/logger.js";
import { openPostgresFixture, type PostgresFixture } from "../../test-support/postgres-fixture.js";
import { createPostgresPool, migratePostgres, type PostgresMigration, type PostgresPool } from "./database.js";
import { POSTGRES_MIGRATIONS } from "./migrations.js";

const INSTANCES = 4;

describe("postgres migrations", () => {
  const fixtures: PostgresFixture[] = [];
  const pools: PostgresPool[] = [];
  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.end();
    for (const fixture of fixtures.splice(0)) await fixture.close();
  });

  async function freshSchema(): Promise<PostgresFixture> {
    const fixture = await openPostgresFixture({ migrate: false });
    fixtures.push(fixture);
    return fixture;
  }

  /** A hub instance's pool on the fixture's schema, with the messages its migration logged. */
  function instance(fixture: PostgresFixture): { pool: PostgresPool; logged: string[]; logger: ReturnType<typeof createLogger> } {
    const logged: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void logged.push(line) } });
    const pool = createPostgresPool({ url: fixture.url, maxConnections: 2, logger });
    pools.push(pool);
    return { pool, logged, logger };
  }

  const appliedVersions = async (fixture: PostgresFixture) =>
    (await fixture.pool.query<{ version: number; name: string }>("SELECT version, name FROM schema_migrations ORDER BY version")).rows;

  const tableExists = async (fixture: PostgresFixture, table: string) =>
    (await fixture.pool.query("SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2", [fixture.schema, table]))
      .rowCount === 1;

  it(`applies every migration exactly once when ${INSTANCES} instances migrate one schema at the same time`, async () => {
    const fixture = await freshSchema();
    const instances = Array.from({ length: INSTANCES }, () => instance(fixture));

    await Promise.all(instances.map(({ pool, logger }) => migratePostgres(pool, logger)));

    expect(await appliedVersions(fixture)).toEqual(POSTGRES_MIGRATIONS.map(({ version, name }) => ({ version, name })));
    const applyLines = instances.flatMap(({ logged }) => logged).filter((line) => line.includes("applied database migration"));
    expect(applyLines.map((line) => (JSON.parse(line) as { version: number }).version).sort((a, b) => a - b)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    for (const table of ["users", "sessions", "refresh_tokens", "agents"]) expect(await tableExists(fixture, table)).toBe(true);
  });

  it("changes nothing when migrating an up-to-date schema again", async () => {
    const fixture = await freshSchema();
    const first = instance(fixture);
    await migratePostgres(first.pool, first.logger);
    const before = (await fixture.pool.query("SELECT version, applied_at FROM schema_migrations ORDER BY version")).rows;

    const again = instance(fixture);
    await migratePostgres(again.pool, again.logger);

    expect((await fixture.pool.query("SELECT version, applied_at FROM schema_migrations ORDER BY version")).rows).toEqual(before);
    expect(again.logged.filter((line) => line.includes("applied database migration"))).toEqual([]);
  });

  describe("a failing migration", () => {
    const good = (version: number, table: string): PostgresMigration => ({ version, name: `create ${table}`, sql: `CREATE TABLE ${table} (id INTEGER)` });
    const broken: PostgresMigration = {
      version: 2,
      name: "half a change",
      sql: "CREATE TABLE half_done (id INTEGER); INSERT INTO half_done VALUES ('not a number')",
    };

    it("rolls back, reports its version and name, and stops before later ones", async () => {
      const fixture = await freshSchema();
      const { pool, logger } = instance(fixture);

      const failure = await migratePostgres(pool, logger, [good(3, "third"), broken, good(1, "first")]).catch((err: Error) => err);

      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toMatch(/^PostgreSQL migration 2 \(half a change\) failed: .*integer/);
      expect((failure as Error).cause).toBeInstanceOf(Error);
      expect(await appliedVersions(fixture)).toEqual([{ version: 1, name: "create first" }]);
      expect(await tableExists(fixture, "first")).toBe(true);
      expect(await tableExists(fixture, "half_done")).toBe(false);
      expect(await tableExists(fixture, "third")).toBe(false);
    });

    it("fails on every instance starting together, and a fixed release then applies the rest", async () => {
      const fixture = await freshSchema();
      const instances = Array.from({ length: INSTANCES }, () => instance(fixture));
      const migrations = [good(1, "first"), broken, good(3, "third")];

      const outcomes = await Promise.allSettled(instances.map(({ pool, logger }) => migratePostgres(pool, logger, migrations)));

      for (const outcome of outcomes) {
        expect(outcome.status).toBe("rejected");
        expect(((outcome as PromiseRejectedResult).reason as Error).message).toMatch(/^PostgreSQL migration 2 \(half a change\) failed/);
      }
      expect(await appliedVersions(fixture)).toEqual([{ version: 1, name: "create first" }]);

      // The failed attempts released the migration lock: another instance is not kept waiting.
      const fixed = instance(fixture);
      await migratePostgres(fixed.pool, fixed.logger, [good(1, "first"), { ...broken, sql: "CREATE TABLE half_done (id INTEGER)" }, good(3, "third")]);
      expect((await appliedVersions(fixture)).map((row) => row.version)).toEqual([1, 2, 3]);
      expect(await tableExists(fixture, "half_done")).toBe(true);
      expect(await tableExists(fixture, "third")).toBe(true);
    });
  });
});
