/**
 * The raw-tier writer: buffers accepted samples per agent and chunk window, writes each touched
 * window as one compressed chunk on flush (merged with what was already stored, so writes are
 * idempotent on (agent, timestamp) and late samples land in old windows), and remembers which
 * minutes changed so the rollup job can (re)compute their buckets.
 */
import type { Sample } from "@statusmonitor/protocol";
import type { Logger } from "../core/logger.js";
import { decodeChunk } from "./chunk-codec.js";
import { rowsFromChunk } from "./chunk-rows.js";
import { encodePackedRows, packRow, packRows, type PackedRow, type PackedRows } from "./packed-rows.js";
import type { ChunkRecord, HistoryStore } from "./ports.js";
import { bucketStart } from "./rollup.js";
import { seriesOf } from "./series.js";
import { tierNamed, windowStart, type Tier } from "./tiers.js";

export interface WriterEntry {
  agent_id: number;
  /** The agent's owner, when known: a deleted user's agents are forgotten with them. */
  user_id?: number;
  sample: Sample;
  /** When the hub accepted the sample (epoch ms), for the journal replay cursor. */
  received_at?: number;
}

interface WindowBuffer {
  rows: PackedRows;
  /** True once the rows already stored for this window have been merged in. */
  merged: boolean;
  dirty: boolean;
}

const MINUTE_MS = 60_000;
/** Longest stretch a flush encodes before letting the event loop run (ingest, live, alerts). */
const FLUSH_SLICE_MS = 8;
/** Chunks written per transaction during a flush. */
const WRITE_BATCH_CHUNKS = 200;

export class HistoryWriter {
  /** agent → window start → buffered rows. Only the newest window per agent stays after a flush. */
  private readonly buffers = new Map<number, Map<number, WindowBuffer>>();
  /** agent → minute starts whose raw data changed since their rollup was computed. */
  private readonly changedMinutes = new Map<number, Set<number>>();
  private readonly ownerOf = new Map<number, number>();
  /** Each agent's newest row, whose key list the next row of the same shape shares. */
  private readonly lastRow = new Map<number, PackedRow>();
  private readonly raw: Tier;
  private flushing: Promise<void> = Promise.resolve();
  /** The newest `received_at` accepted so far; everything up to it is written after the next flush. */
  private acceptedThrough = 0;

  constructor(
    private readonly store: HistoryStore,
    tiers: readonly Tier[],
    private readonly logger: Logger,
  ) {
    this.raw = tierNamed(tiers, "raw");
  }

  accept(entries: readonly WriterEntry[]): void {
    for (const { agent_id: agentId, user_id: userId, sample, received_at: receivedAt } of entries) {
      if (userId !== undefined) this.ownerOf.set(agentId, userId);
      const windows = this.buffers.get(agentId) ?? new Map<number, WindowBuffer>();
      this.buffers.set(agentId, windows);
      const start = windowStart(sample.timestamp, this.raw.chunkMs);
      let buffer = windows.get(start);
      if (!buffer) windows.set(start, (buffer = { rows: new Map(), merged: false, dirty: false }));
      const row = packRow(seriesOf(sample), this.lastRow.get(agentId)?.keys);
      this.lastRow.set(agentId, row);
      buffer.rows.set(sample.timestamp, row);
      buffer.dirty = true;

      const minutes = this.changedMinutes.get(agentId) ?? new Set<number>();
      this.changedMinutes.set(agentId, minutes);
      minutes.add(bucketStart(sample.timestamp, MINUTE_MS));
      if (receivedAt !== undefined && receivedAt > this.acceptedThrough) this.acceptedThrough = receivedAt;
    }
  }

  /** Forgets a deleted agent's buffered data (its stored chunks go with the agent). */
  forget(agentId: number): void {
    this.buffers.delete(agentId);
    this.changedMinutes.delete(agentId);
    this.ownerOf.delete(agentId);
    this.lastRow.delete(agentId);
  }

  /**
   * Drops written windows that start before `windowBefore` (retention is deleting their chunks), so a
   * later back-fill into such a window cannot write the expired rows back.
   */
  dropWindowsBefore(windowBefore: number): void {
    for (const windows of this.buffers.values()) {
      for (const [start, buffer] of windows) if (start < windowBefore && !buffer.dirty) windows.delete(start);
    }
  }

  /** Forgets every agent of a deleted user. */
  forgetUser(userId: number): void {
    for (const [agentId, owner] of this.ownerOf) if (owner === userId) this.forget(agentId);
  }

  /** Writes every changed window (or only one agent's) as chunks; calls are serialized. */
  flush(agentId?: number): Promise<void> {
    const run = this.flushing.then(() => this.writeChanged(agentId));
    this.flushing = run.catch(() => undefined);
    return run;
  }

  /**
   * Hands over the changed minutes that closed before `closedBefore`, per agent, and forgets them;
   * with `batchFrom`, only for agents with a minute that closed before that (so minutes are rolled
   * up a few at a time). `giveBack` returns them when their rollup could not be written.
   */
  takeClosedMinutes(closedBefore: number, batchFrom = closedBefore): Map<number, number[]> {
    const taken = new Map<number, number[]>();
    for (const [agentId, minutes] of this.changedMinutes) {
      const closed = [...minutes].filter((m) => m + MINUTE_MS <= closedBefore);
      // Batching: an agent's closed minutes wait until the oldest of them closed before `batchFrom`.
      if (closed.length === 0 || !closed.some((m) => m + MINUTE_MS <= batchFrom)) continue;
      for (const m of closed) minutes.delete(m);
      taken.set(agentId, closed.sort((a, b) => a - b));
    }
    return taken;
  }

  giveBack(agentId: number, minutes: readonly number[]): void {
    if (!this.buffers.has(agentId) && !this.changedMinutes.has(agentId)) return;
    this.markChanged(agentId, minutes);
  }

  /** Queues minutes of an agent for (re)computing their rollups, e.g. ones a crash left unrolled. */
  markChanged(agentId: number, minutes: readonly number[]): void {
    const pending = this.changedMinutes.get(agentId) ?? new Set<number>();
    this.changedMinutes.set(agentId, pending);
    for (const m of minutes) pending.add(m);
  }

  /** The earliest minute still waiting for its rollup, of any agent; undefined when none waits. */
  oldestChangedMinute(): number | undefined {
    let oldest: number | undefined;
    for (const minutes of this.changedMinutes.values()) for (const m of minutes) if (oldest === undefined || m < oldest) oldest = m;
    return oldest;
  }

  /** The newest receive time whose samples are all in the buffers (durable after the next flush). */
  get receivedThrough(): number {
    return this.acceptedThrough;
  }

  /** Rows buffered and not yet written, for the metrics endpoint and tests. */
  get pendingRows(): number {
    let count = 0;
    for (const windows of this.buffers.values()) for (const b of windows.values()) if (b.dirty) count += b.rows.size;
    return count;
  }

  private async writeChanged(onlyAgent: number | undefined): Promise<void> {
    const agents = onlyAgent === undefined ? [...this.buffers.keys()] : this.buffers.has(onlyAgent) ? [onlyAgent] : [];
    let written: Array<{ buffer: WindowBuffer; rowCount: number }> = [];
    let records: ChunkRecord[] = [];
    let chunks = 0;
    // Encoding every agent's open window takes up to a second at 1,000 agents: it is cut into
    // slices of a few milliseconds with the event loop free in between, so ingest and alerts never
    // wait for a whole flush. Chunks are written every WRITE_BATCH_CHUNKS (each chunk is one agent's
    // window and stands alone, so a batch need not be all agents).
    let sliceStart = performance.now();
    const writeBatch = async () => {
      if (records.length === 0) return;
      await this.store.putChunks(records);
      // A buffer that gained rows while the chunk was being written stays dirty for the next flush.
      for (const { buffer, rowCount } of written) if (buffer.rows.size === rowCount) buffer.dirty = false;
      chunks += records.length;
      records = [];
      written = [];
    };
    for (const agentId of agents) {
      for (const [start, buffer] of this.buffers.get(agentId) ?? []) {
        if (!buffer.dirty) continue;
        if (!buffer.merged) await this.mergeStored(agentId, start, buffer);
        const encoded = encodePackedRows(buffer.rows);
        records.push({ agentId, tier: "raw", windowStart: start, ...encoded });
        written.push({ buffer, rowCount: buffer.rows.size });
      }
      if (records.length >= WRITE_BATCH_CHUNKS) await writeBatch();
      if (performance.now() - sliceStart >= FLUSH_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    await writeBatch();
    if (chunks === 0) return;
    this.evictWrittenWindows(agents);
    this.logger.debug({ chunks }, "history chunks written");
  }

  private async mergeStored(agentId: number, start: number, buffer: WindowBuffer): Promise<void> {
    const [stored] = await this.store.readChunks(agentId, "raw", start, start);
    if (stored) {
      for (const [t, row] of packRows(rowsFromChunk(decodeChunk(stored.bytes)))) {
        if (!buffer.rows.has(t)) buffer.rows.set(t, row);
      }
    }
    buffer.merged = true;
  }

  /** Keeps each agent's newest window in memory (the next samples go there) and drops written older ones. */
  private evictWrittenWindows(agents: readonly number[]): void {
    for (const agentId of agents) {
      const windows = this.buffers.get(agentId);
      if (!windows) continue;
      const newest = Math.max(...windows.keys());
      for (const [start, buffer] of windows) if (start !== newest && !buffer.dirty) windows.delete(start);
    }
  }
}
