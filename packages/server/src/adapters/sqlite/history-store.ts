/** SQLite implementation of the HistoryStore port: a table of compressed chunk blobs and a cursor table. */
import type { TierName } from "@statusmonitor/protocol";
import type { ChunkRecord, HistoryStore, TierUsage } from "../../history/ports.js";
import { toChunkRecord, type ChunkRow } from "../sql/history-rows.js";
import type { SqliteDatabase } from "./database.js";

/** Pages handed back to the file system per reclaim step (4 KiB each), small enough never to stall. */
const RECLAIM_PAGES = 2_000;

export class SqliteHistoryStore implements HistoryStore {
  private readonly upsert;
  private readonly selectRange;
  private readonly writeAll;
  private readonly deleteBatch;
  private readonly selectCursor;
  private readonly upsertCursor;

  constructor(private readonly db: SqliteDatabase) {
    // Inserting through a SELECT on agents drops chunks of an agent deleted while they were in flight.
    this.upsert = db.prepare(
      `INSERT INTO history_chunks (agent_id, tier, window_start, row_count, value_count, data)
       SELECT @agentId, @tier, @windowStart, @rowCount, @valueCount, @bytes WHERE EXISTS (SELECT 1 FROM agents WHERE id = @agentId)
       ON CONFLICT (agent_id, tier, window_start) DO UPDATE SET
         row_count = excluded.row_count, value_count = excluded.value_count, data = excluded.data`,
    );
    this.selectRange = db.prepare(
      `SELECT agent_id, tier, window_start, row_count, value_count, data FROM history_chunks
       WHERE agent_id = ? AND tier = ? AND window_start BETWEEN ? AND ? ORDER BY window_start`,
    );
    this.deleteBatch = db.prepare(
      `DELETE FROM history_chunks WHERE rowid IN (
         SELECT rowid FROM history_chunks WHERE tier = ? AND window_start < ? ORDER BY window_start LIMIT ?)`,
    );
    this.selectCursor = db.prepare("SELECT value FROM history_cursors WHERE name = ?").pluck();
    this.upsertCursor = db.prepare(
      "INSERT INTO history_cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    );
    this.writeAll = db.transaction((chunks: ChunkRecord[]) => {
      for (const chunk of chunks) this.upsert.run({ ...chunk, bytes: Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength) });
    });
  }

  async putChunks(chunks: ChunkRecord[]): Promise<void> {
    if (chunks.length > 0) this.writeAll(chunks);
  }

  async readChunks(agentId: number, tier: TierName, fromWindow: number, toWindow: number): Promise<ChunkRecord[]> {
    return (this.selectRange.all(agentId, tier, fromWindow, toWindow) as ChunkRow[]).map(toChunkRecord);
  }

  async agentsWithChunksSince(tier: TierName, fromWindow: number): Promise<number[]> {
    return this.db
      .prepare("SELECT DISTINCT agent_id FROM history_chunks WHERE tier = ? AND window_start >= ? ORDER BY agent_id")
      .pluck()
      .all(tier, fromWindow) as number[];
  }

  async prune(tier: TierName, windowBefore: number, maxChunks: number): Promise<number> {
    return this.deleteBatch.run(tier, windowBefore, maxChunks).changes;
  }

  async reclaimSpace(): Promise<void> {
    this.db.pragma(`incremental_vacuum(${RECLAIM_PAGES})`);
  }

  async getCursor(name: string): Promise<number | undefined> {
    return this.selectCursor.get(name) as number | undefined;
  }

  async setCursor(name: string, value: number): Promise<void> {
    this.upsertCursor.run(name, value);
  }

  async usage(): Promise<TierUsage[]> {
    return this.db
      .prepare(
        `SELECT tier, COUNT(*) AS chunks, COALESCE(SUM(row_count), 0) AS rows, COALESCE(SUM(value_count), 0) AS "values",
                COALESCE(SUM(LENGTH(data)), 0) AS bytes
         FROM history_chunks GROUP BY tier ORDER BY tier`,
      )
      .all() as TierUsage[];
  }
}
