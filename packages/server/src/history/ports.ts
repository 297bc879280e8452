/**
 * What history needs from storage: a store of compressed chunks, one per (agent, tier, aligned
 * window), plus named cursors. Encoding, merging and rollups happen above it, so every adapter
 * (SQLite, PostgreSQL) stays a thin, dumb key-value store that the contract suite can check alike.
 */
import type { Sample, TierName } from "@statusmonitor/protocol";

export interface ChunkRecord {
  agentId: number;
  tier: TierName;
  /** Start of the aligned window the chunk covers (epoch ms); with agent and tier, its identity. */
  windowStart: number;
  rowCount: number;
  /** Stored values (present cells), for the bytes-per-value figures. */
  valueCount: number;
  bytes: Uint8Array;
}

export interface TierUsage {
  tier: TierName;
  chunks: number;
  rows: number;
  values: number;
  bytes: number;
}

export interface HistoryStore {
  /**
   * Inserts or replaces chunks by (agent, tier, windowStart), all or none. Chunks of agents that no
   * longer exist are dropped silently (the agent was deleted while its data was in flight).
   */
  putChunks(chunks: ChunkRecord[]): Promise<void>;
  /** One agent's chunks of a tier whose window starts in [fromWindow, toWindow], oldest first. */
  readChunks(agentId: number, tier: TierName, fromWindow: number, toWindow: number): Promise<ChunkRecord[]>;
  /** The agents with a chunk of the tier whose window starts at or after `fromWindow`, ascending. */
  agentsWithChunksSince(tier: TierName, fromWindow: number): Promise<number[]>;
  /** Deletes at most `maxChunks` chunks of a tier whose window starts before `windowBefore`; returns how many. */
  prune(tier: TierName, windowBefore: number, maxChunks: number): Promise<number>;
  /** Gives space freed by pruning back (a bounded step), so the storage does not grow without bound. */
  reclaimSpace(): Promise<void>;
  getCursor(name: string): Promise<number | undefined>;
  setCursor(name: string, value: number): Promise<void>;
  /** Totals per tier, for the benchmark and the metrics endpoint. */
  usage(): Promise<TierUsage[]>;
}

/** One acknowledged sample as the ingest journal holds it. */
export interface LoggedSample {
  id: number;
  agentId: number;
  receivedAt: number;
  sample: Sample;
}

/** The durable log of accepted samples the writer replays after a restart (the ingest journal, embedded). */
export interface SampleLog {
  /** Entries received at or after `receivedFrom` with an id above `afterId`, by id, at most `limit`. */
  readSince(receivedFrom: number, afterId: number, limit: number): Promise<LoggedSample[]>;
}
