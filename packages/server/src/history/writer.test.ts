/** The raw writer's flush over a real SQLite store: many agents are written in several batches, and samples accepted meanwhile are not lost. */
import type { Sample } from "@statusmonitor/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteHistoryStore } from "../adapters/sqlite/history-store.js";
import { createLogger } from "../core/logger.js";
import { openSqliteFixture, type SqliteFixture } from "../test-support/sqlite-fixture.js";
import { resolveTiers } from "./tiers.js";
import { HistoryWriter } from "./writer.js";

const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
const sample = (timestamp: number, cpu: number) => ({ timestamp, cpu: { usage_percent: cpu } }) as unknown as Sample;

describe("HistoryWriter flush", () => {
  let fixture: SqliteFixture;
  let store: SqliteHistoryStore;
  let writer: HistoryWriter;
  let agents: number[];

  beforeEach(async () => {
    fixture = openSqliteFixture("statusmonitor-writer-");
    store = new SqliteHistoryStore(fixture.db);
    writer = new HistoryWriter(store, resolveTiers(), createLogger({ level: "silent" }));
    const user = fixture.createUser();
    agents = [];
    // More agents than one write batch (200 chunks), so a flush takes several transactions.
    for (let i = 0; i < 450; i++) agents.push(await fixture.createAgent(user));
  });
  afterEach(() => fixture.close());

  it("writes every agent's window, however many batches that takes, and leaves nothing pending", async () => {
    writer.accept(agents.flatMap((id, i) => [0, 1, 2].map((s) => ({ agent_id: id, sample: sample(T0 + s * 1000, i % 100) }))));
    expect(writer.pendingRows).toBe(450 * 3);
    await writer.flush();
    expect(writer.pendingRows).toBe(0);
    for (const id of [agents[0]!, agents[199]!, agents[200]!, agents[449]!]) {
      const chunks = await store.readChunks(id, "raw", T0, T0);
      expect(chunks.map((c) => c.rowCount)).toEqual([3]);
    }
  });

  it("loses no sample accepted after a flush was asked for: that flush or the next writes it", async () => {
    writer.accept(agents.map((id) => ({ agent_id: id, sample: sample(T0, 10) })));
    const flushing = writer.flush();
    writer.accept(agents.map((id) => ({ agent_id: id, sample: sample(T0 + 1000, 20) })));
    await flushing;
    await writer.flush();
    expect(writer.pendingRows).toBe(0);
    for (const id of [agents[0]!, agents[449]!]) {
      const [chunk] = await store.readChunks(id, "raw", T0, T0);
      expect(chunk!.rowCount).toBe(2);
    }
  });
});
