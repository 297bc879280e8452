/** Runs the HistoryStore contract on the PostgreSQL adapter, each test in a fresh, migrated schema, plus what only concurrent writers can show. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeHistoryStoreContract } from "../../history/history-store.contract.js";
import { openPostgresFixture, type PostgresFixture } from "../../test-support/postgres-fixture.js";
import { postgresRecords } from "../../test-support/postgres-records.js";
import { PostgresHistoryStore } from "./history-store.js";

describeHistoryStoreContract("postgres", async () => {
  const fixture = await openPostgresFixture();
  const records = postgresRecords(fixture.pool);
  const userId = await records.createUser();
  return {
    store: new PostgresHistoryStore(fixture.pool),
    createAgent: () => records.createAgent(userId),
    deleteAgent: (id) => records.deleteAgent(userId, id),
    close: () => fixture.close(),
  };
});

describe("PostgresHistoryStore with concurrent writers", () => {
  const W0 = Date.UTC(2026, 2, 10, 10, 0, 0);
  let fixture: PostgresFixture;
  beforeEach(async () => {
    fixture = await openPostgresFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  it("drops, without failing, chunks of an agent deleted while they are written", async () => {
    const records = postgresRecords(fixture.pool);
    const store = new PostgresHistoryStore(fixture.pool);
    const user = await records.createUser();
    const kept = await records.createAgent(user);
    for (let i = 0; i < 30; i++) {
      const doomed = await records.createAgent(user);
      const chunks = [kept, doomed].map((agentId) => ({ agentId, tier: "raw" as const, windowStart: W0 + i * 300_000, rowCount: 1, valueCount: 1, bytes: Uint8Array.of(i) }));
      await Promise.all([store.putChunks(chunks), records.deleteAgent(user, doomed)]);
    }
    expect(await store.usage()).toEqual([{ tier: "raw", chunks: 30, rows: 30, values: 30, bytes: 30 }]);
  });
});
