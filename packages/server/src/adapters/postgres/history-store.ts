/** PostgreSQL implementation of the HistoryStore port: a table of compressed chunks (BYTEA) and a cursor table. */
import type { TierName } from "@statusmonitor/protocol";
import type { ChunkRecord, HistoryStore, TierUsage } from "../../history/ports.js";
import { toChunkRecord, type ChunkRow } from "../sql/history-rows.js";
import type { PostgresPool } from "./database.js";

/** The last chunk given for each (agent, tier, window): one statement may not upsert a row twice. */
function lastOfEachWindow(chunks: ChunkRecord[]): ChunkRecord[] {
  return [...new Map(chunks.map((chunk) => [`${chunk.agentId}:${chunk.tier}:${chunk.windowStart}`, chunk])).values()];
}

export class PostgresHistoryStore implements HistoryStore {
  constructor(private readonly pool: PostgresPool) {}

  async putChunks(chunks: ChunkRecord[]): Promise<void> {
    if (chunks.length === 0) return;
    const latest = lastOfEachWindow(chunks);
    // One statement, so all or none. Joining the agents drops chunks of an agent deleted while they
    // were in flight; FOR KEY SHARE keeps the others from being deleted before the foreign key is checked.
    await this.pool.query(
      `INSERT INTO history_chunks (agent_id, tier, window_start, row_count, value_count, data)
       SELECT c.agent_id, c.tier, c.window_start, c.row_count, c.value_count, c.data
       FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::integer[], $5::integer[], $6::bytea[])
         AS c(agent_id, tier, window_start, row_count, value_count, data)
       JOIN agents a ON a.id = c.agent_id
       FOR KEY SHARE OF a
       ON CONFLICT (agent_id, tier, window_start) DO UPDATE SET
         row_count = excluded.row_count, value_count = excluded.value_count, data = excluded.data`,
      [
        latest.map((c) => c.agentId),
        latest.map((c) => c.tier),
        latest.map((c) => c.windowStart),
        latest.map((c) => c.rowCount),
        latest.map((c) => c.valueCount),
        latest.map((c) => c.bytes),
      ],
    );
  }

  async readChunks(agentId: number, tier: TierName, fromWindow: number, toWindow: number): Promise<ChunkRecord[]> {
    const { rows } = await this.pool.query<ChunkRow>(
      `SELECT agent_id, tier, window_start, row_count, value_count, data FROM history_chunks
       WHERE agent_id = $1 AND tier = $2 AND window_start BETWEEN $3 AND $4 ORDER BY window_start`,
      [agentId, tier, fromWindow, toWindow],
    );
    return rows.map(toChunkRecord);
  }

  async agentsWithChunksSince(tier: TierName, fromWindow: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ agent_id: number }>(
      "SELECT DISTINCT agent_id FROM history_chunks WHERE tier = $1 AND window_start >= $2 ORDER BY agent_id",
      [tier, fromWindow],
    );
    return rows.map((r) => r.agent_id);
  }

  async prune(tier: TierName, windowBefore: number, maxChunks: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM history_chunks WHERE (agent_id, tier, window_start) IN (
         SELECT agent_id, tier, window_start FROM history_chunks WHERE tier = $1 AND window_start < $2 ORDER BY window_start LIMIT $3)`,
      [tier, windowBefore, maxChunks],
    );
    return rowCount ?? 0;
  }

  async reclaimSpace(): Promise<void> {
    // Nothing to do in a bounded step: autovacuum makes pruned rows' space reusable for new chunks,
    // and handing it back to the file system (VACUUM FULL) would lock the table while it copies it.
  }

  async getCursor(name: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ value: number }>("SELECT value FROM history_cursors WHERE name = $1", [name]);
    return rows[0]?.value;
  }

  async setCursor(name: string, value: number): Promise<void> {
    await this.pool.query(
      "INSERT INTO history_cursors (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      [name, value],
    );
  }

  async usage(): Promise<TierUsage[]> {
    // Sums of INTEGER columns are BIGINT, which the driver parses to numbers (a NUMERIC would come as a string).
    const { rows } = await this.pool.query<TierUsage>(
      `SELECT tier, count(*) AS chunks, COALESCE(sum(row_count), 0) AS rows, COALESCE(sum(value_count), 0) AS "values",
              COALESCE(sum(octet_length(data)), 0) AS bytes
       FROM history_chunks GROUP BY tier ORDER BY tier`,
    );
    return rows;
  }
}
