/**
 * Hands batches to one sample handler in the order they were read, without waiting for a batch's
 * promise before handing over the next (pipelining), and reports how far the batches are processed:
 * only a prefix whose promises all resolved counts, so a commit never passes an unfinished or failed
 * batch. A rejected batch is retried with backoff; while it is, later batches are held back.
 */
import type { SampleEnvelope, SampleHandler } from "../../core/bus.js";
import type { Logger } from "../../core/logger.js";

/** Per partition, the offset after the last record a batch (or a processed prefix) covers. */
export type Positions = Map<number, bigint>;

export interface DeliveryBatch {
  envelopes: SampleEnvelope[];
  /** Includes records that were skipped as malformed: they count as processed with their batch. */
  positions: Positions;
}

export interface OrderedDeliveryOptions {
  handler: SampleHandler;
  /** Called with the positions reached each time the processed prefix grows. */
  onProcessed?(positions: Positions): void;
  /** Called when the unfinished batches drop back below `maxPending` after reaching it. */
  onCapacity?(): void;
  /** Unfinished batches (running, retrying, held, or finished behind an unfinished one) that make it `saturated`. */
  maxPending: number;
  /** Milliseconds before retrying a batch whose handler failed `attempt` times. */
  retryDelayMs(attempt: number): number;
  logger: Logger;
}

type State = "held" | "running" | "retrying" | "done";

interface Entry {
  batch: DeliveryBatch;
  state: State;
  attempts: number;
  /** Failed at least once and not yet finished: later batches wait for it. */
  failing: boolean;
  retryTimer?: NodeJS.Timeout;
}

/** Moves a partition's position forward (never back). */
export function advancePosition(positions: Positions, partition: number, offset: bigint): void {
  const known = positions.get(partition);
  if (known === undefined || offset > known) positions.set(partition, offset);
}

export function mergePositions(into: Positions, from: Positions): Positions {
  for (const [partition, offset] of from) advancePosition(into, partition, offset);
  return into;
}

export class OrderedDelivery {
  private readonly queue: Entry[] = [];
  private readonly settling = new Set<Promise<void>>();
  /** Entries failing right now (retrying or running again). */
  private failing = 0;
  private closing = false;
  private wasSaturated = false;

  constructor(private readonly o: OrderedDeliveryOptions) {}

  get saturated(): boolean {
    return this.queue.length >= this.o.maxPending;
  }

  /** Ignored once closing: a batch never handed over is never counted, so it is read again later. */
  push(batch: DeliveryBatch): void {
    if (this.closing) return;
    const entry: Entry = { batch, state: "held", attempts: 0, failing: false };
    this.queue.push(entry);
    if (this.saturated) this.wasSaturated = true;
    if (batch.envelopes.length === 0) this.finish(entry);
    else if (this.failing === 0) this.run(entry);
  }

  /** Stops retrying and handing over; resolves once no handler call is running (their outcome still counts). */
  async close(): Promise<void> {
    this.closing = true;
    for (const entry of this.queue) {
      if (entry.state === "retrying") clearTimeout(entry.retryTimer);
    }
    while (this.settling.size > 0) await Promise.allSettled([...this.settling]);
  }

  private run(entry: Entry): void {
    entry.state = "running";
    entry.attempts += 1;
    let result: void | Promise<void>;
    try {
      result = this.o.handler(entry.batch.envelopes);
    } catch (err) {
      this.fail(entry, err);
      return;
    }
    if (!isThenable(result)) {
      this.finish(entry);
      return;
    }
    const settled: Promise<void> = Promise.resolve(result).then(
      () => this.finish(entry),
      (err: unknown) => this.fail(entry, err),
    );
    this.settling.add(settled);
    void settled.finally(() => this.settling.delete(settled));
  }

  private fail(entry: Entry, err: unknown): void {
    const samples = entry.batch.envelopes.length;
    if (this.closing) {
      // Not counted: the samples are read again by whoever consumes the partitions next.
      this.o.logger.warn({ err, samples, attempts: entry.attempts }, "sample handler failed while closing; its batch is left unprocessed");
      return;
    }
    const delayMs = this.o.retryDelayMs(entry.attempts);
    this.o.logger.warn({ err, samples, attempts: entry.attempts, retryInMs: delayMs }, "sample handler failed; retrying the batch");
    entry.state = "retrying";
    if (!entry.failing) {
      entry.failing = true;
      this.failing += 1;
    }
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = undefined;
      if (!this.closing) this.run(entry);
    }, delayMs);
    entry.retryTimer.unref();
  }

  private finish(entry: Entry): void {
    entry.state = "done";
    if (entry.failing) {
      entry.failing = false;
      this.failing -= 1;
    }
    this.advance();
    // A snapshot: handlers that finish at once re-enter here and shorten the queue.
    for (const held of this.queue.filter((e) => e.state === "held")) {
      if (this.failing > 0 || this.closing) break;
      if (held.state === "held") this.run(held);
    }
  }

  /** Drops the finished prefix of the queue and reports where it ends. */
  private advance(): void {
    const reached: Positions = new Map();
    while (this.queue.length > 0 && this.queue[0]!.state === "done") mergePositions(reached, this.queue.shift()!.batch.positions);
    if (reached.size > 0) this.o.onProcessed?.(reached);
    if (this.wasSaturated && !this.saturated) {
      this.wasSaturated = false;
      this.o.onCapacity?.();
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<void> {
  return typeof (value as PromiseLike<void> | undefined)?.then === "function";
}
