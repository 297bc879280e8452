/**
 * The history role's background work as RunGroup services: feed the writer from the bus (after
 * replaying the journal from the last saved cursor), flush and roll up every few seconds, and prune
 * each tier past its retention in small batches.
 */
import { MAX_CLOCK_SKEW_MS } from "@statusmonitor/protocol";
import type { Bus, Subscription } from "../core/bus.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { HubMetrics } from "../ops/metrics.js";
import { periodic } from "../core/periodic.js";
import type { Service } from "../core/run-group.js";
import type { HistoryStore, SampleLog } from "./ports.js";
import type { HistoryCheckpoints } from "./checkpoints.js";
import type { RollupJob } from "./rollup-job.js";
import { bucketStart } from "./rollup.js";
import { tierNamed, windowStart, type Tier } from "./tiers.js";
import type { HistoryWriter } from "./writer.js";

export const FLUSH_INTERVAL_MS = 10_000;
const RETENTION_INTERVAL_MS = 60_000;
/** A minute is rolled up this long after it ends, so samples still in flight make it in. */
const CLOSE_GRACE_MS = 5_000;
/**
 * The timer rolls an agent's closed minutes up once the oldest has waited this long, about five at
 * a time: each rollup re-encodes the hour's 1m chunk and the day's 1h chunk, so batching cuts its cost
 * ~5×. Queries read the not yet rolled-up stretch from raw (HistoryService), so nothing is missing.
 */
export const ROLLUP_BATCH_MS = 4 * 60_000;
/**
 * The journal is replayed from this long before the saved cursor: it covers minutes that were
 * still open at the cursor (their timestamps may run ahead of the hub by the allowed clock skew).
 */
const REPLAY_MARGIN_MS = MAX_CLOCK_SKEW_MS + 2 * 60_000;
const REPLAY_PAGE = 5_000;
const PRUNE_BATCH_CHUNKS = 500;
export const JOURNAL_CURSOR = "history.journal_received_through";
/** The oldest minute whose rollup may still be missing: a restart recomputes rollups from there. */
export const ROLLUP_CURSOR = "history.rollups_pending_from";
const MINUTE_MS = 60_000;

export interface HistoryParts {
  store: HistoryStore;
  writer: HistoryWriter;
  rollups: RollupJob;
  tiers: readonly Tier[];
  checkpoints: HistoryCheckpoints;
}


const yieldToIngest = () => new Promise((resolve) => setImmediate(resolve));

/** The run in progress per set of parts: the timer and on-demand runs never overlap. */
const running = new WeakMap<HistoryParts, Promise<void>>();

/** Writes buffered samples, rolls up the minutes that closed, then saves how far the journal is covered. */
export function flushAndRollup(parts: HistoryParts, clock: Clock, logger: Logger, options: { batched?: boolean } = {}): Promise<void> {
  const previous = running.get(parts) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(async () => {
      parts.checkpoints.seal();
      await flushAndRollupNow(parts, clock, logger, options.batched ?? false);
      parts.checkpoints.release();
    });
  running.set(parts, run);
  return run;
}

async function flushAndRollupNow(parts: HistoryParts, clock: Clock, logger: Logger, batched: boolean): Promise<void> {
  const { writer, rollups, store } = parts;
  const receivedThrough = writer.receivedThrough;
  await writer.flush();
  let failure: unknown;
  const closedBefore = clock.now() - CLOSE_GRACE_MS;
  for (const [agentId, minutes] of writer.takeClosedMinutes(closedBefore, batched ? closedBefore - ROLLUP_BATCH_MS : closedBefore)) {
    try {
      await rollups.rollup(agentId, minutes);
    } catch (err) {
      // Retried on the next run; one agent's failure does not hold the others back.
      writer.giveBack(agentId, minutes);
      failure ??= err;
    }
    await yieldToIngest();
  }
  if (failure) throw failure;
  if (receivedThrough > 0) await store.setCursor(JOURNAL_CURSOR, receivedThrough);
  const currentMinute = bucketStart(clock.now(), MINUTE_MS);
  await store.setCursor(ROLLUP_CURSOR, Math.min(writer.oldestChangedMinute() ?? currentMinute, currentMinute));
  logger.trace({ receivedThrough }, "history flushed and rolled up");
}

/** Where a replay of the journal would start: entries received before it are safely in history. */
export async function journalReplayStart(store: HistoryStore): Promise<number> {
  const cursor = await store.getCursor(JOURNAL_CURSOR);
  return cursor === undefined ? 0 : cursor - REPLAY_MARGIN_MS;
}

/** Re-feeds the writer with journal entries it may not have written before a restart or crash. */
export async function replayJournal(parts: HistoryParts, log: SampleLog, logger: Logger): Promise<number> {
  const from = await journalReplayStart(parts.store);
  let afterId = 0;
  let replayed = 0;
  for (;;) {
    const page = await log.readSince(from, afterId, REPLAY_PAGE);
    if (page.length === 0) break;
    parts.writer.accept(page.map((e) => ({ agent_id: e.agentId, sample: e.sample, received_at: e.receivedAt })));
    replayed += page.length;
    afterId = page[page.length - 1]!.id;
    await yieldToIngest();
  }
  if (replayed > 0) logger.info({ replayed, from }, "replayed the ingest journal into history");
  return replayed;
}

/**
 * Queues again, for every agent with raw data since the rollup cursor, each minute from the cursor on:
 * after a crash those minutes may have raw data whose rollup was still waiting (batched, or not yet
 * closed). Recomputing a rollup is idempotent, so doing it for minutes that were fine costs only time.
 */
export async function recoverRollups(parts: HistoryParts, clock: Clock, logger: Logger): Promise<number> {
  const cursor = await parts.store.getCursor(ROLLUP_CURSOR);
  if (cursor === undefined) return 0;
  const raw = tierNamed(parts.tiers, "raw");
  const from = bucketStart(Math.max(cursor, clock.now() - raw.retentionMs), MINUTE_MS);
  const minutes: number[] = [];
  // Samples may run ahead of the hub's clock by the allowed skew.
  for (let m = from; m <= clock.now() + MAX_CLOCK_SKEW_MS; m += MINUTE_MS) minutes.push(m);
  const agents = await parts.store.agentsWithChunksSince("raw", windowStart(from, raw.chunkMs));
  for (const agentId of agents) parts.writer.markChanged(agentId, minutes);
  if (agents.length > 0) logger.info({ agents: agents.length, from }, "recomputing rollups that a restart may have left out");
  return agents.length;
}

/** Deletes every tier's chunks whose window ended before its retention, a batch at a time. */
export async function pruneHistory(parts: HistoryParts, clock: Clock): Promise<number> {
  let removed = 0;
  for (const tier of parts.tiers) {
    const windowBefore = clock.now() - tier.retentionMs - tier.chunkMs + 1;
    if (tier.name === "raw") parts.writer.dropWindowsBefore(windowBefore);
    let batch: number;
    do {
      batch = await parts.store.prune(tier.name, windowBefore, PRUNE_BATCH_CHUNKS);
      removed += batch;
      await yieldToIngest();
    } while (batch === PRUNE_BATCH_CHUNKS);
  }
  if (removed > 0) await parts.store.reclaimSpace();
  return removed;
}

/** Runs a history job and records its duration and the writer's backlog. */
function measured(job: "flush_rollup" | "retention", run: () => Promise<unknown>, parts: HistoryParts, metrics: HubMetrics) {
  return async () => {
    const stopTimer = metrics.historyJobSeconds.startTimer({ job });
    try {
      await run();
    } finally {
      stopTimer();
      metrics.historyBufferedRows.set(parts.writer.pendingRows);
    }
  };
}

export function historyServices(o: { parts: HistoryParts; bus: Bus; log: SampleLog | undefined; clock: Clock; logger: Logger; metrics: HubMetrics }): Service[] {
  const { parts, bus, log, clock, logger, metrics } = o;
  const unsubscribes: Array<() => void> = [];
  let subscription: Subscription | undefined;
  return [
    {
      name: "history-writer",
      start: async () => {
        unsubscribes.push(
          bus.onControl((event) => {
            if (event.type === "agent_deleted") parts.writer.forget(event.agent_id);
            if (event.type === "user_deleted") parts.writer.forgetUser(event.user_id);
          }),
        );
        // The promise tells a durable bus when these samples may be committed (HistoryCheckpoints).
        subscription = await bus.subscribeSamples("history", (envelopes) => {
          parts.writer.accept(envelopes);
          return parts.checkpoints.next();
        });
        if (log) await replayJournal(parts, log, logger);
        await recoverRollups(parts, clock, logger);
      },
      stop: async () => {
        unsubscribes.forEach((unsubscribe) => unsubscribe());
        // Closing stops deliveries at once and waits for the delivered batches to settle; the final
        // flush settles them, so a durable bus commits everything before this process leaves its group.
        const closing = subscription?.close();
        await flushAndRollup(parts, clock, logger);
        await closing;
      },
    },
    periodic(
      "history-flush",
      FLUSH_INTERVAL_MS,
      measured("flush_rollup", () => flushAndRollup(parts, clock, logger, { batched: true }), parts, metrics),
      logger,
      // At shutdown every closed minute is rolled up, batch or not.
      { runOnStop: () => flushAndRollup(parts, clock, logger) },
    ),
    periodic("history-retention", RETENTION_INTERVAL_MS, measured("retention", () => pruneHistory(parts, clock), parts, metrics), logger),
  ];
}
