/** The rows of the history_chunks table and their records: the same columns on SQLite (BLOB) and PostgreSQL (BYTEA), both read as a Buffer. */
import type { TierName } from "@statusmonitor/protocol";
import type { ChunkRecord } from "../../history/ports.js";

export interface ChunkRow {
  agent_id: number;
  tier: TierName;
  window_start: number;
  row_count: number;
  value_count: number;
  data: Buffer;
}

export const toChunkRecord = (row: ChunkRow): ChunkRecord => ({
  agentId: row.agent_id,
  tier: row.tier,
  windowStart: row.window_start,
  rowCount: row.row_count,
  valueCount: row.value_count,
  bytes: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength),
});
