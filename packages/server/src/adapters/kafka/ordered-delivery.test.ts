/**
 * Ordered delivery without Kafka: batches handed over in order without waiting, progress reported only
 * for a finished prefix, a rejected batch retried (holding later ones back), and closing. Retry delays
 * run on fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SampleEnvelope } from "../../core/bus.js";
import { createLogger } from "../../core/logger.js";
import { OrderedDelivery, type DeliveryBatch, type Positions } from "./ordered-delivery.js";

const logger = createLogger({ level: "silent" });
const RETRY_MS = 100;

function sample(seq: number): SampleEnvelope {
  return { agent_id: 1, user_id: 1, received_at: seq, backfill: false, sample: { agent_id: 1, timestamp: seq, seq } };
}

/** A batch of samples `seqs` ending at `offset` on partition 0 (and at `offset` on partition 1 when given). */
function batch(seqs: number[], offset: bigint, other?: bigint): DeliveryBatch {
  const positions: Positions = new Map([[0, offset]]);
  if (other !== undefined) positions.set(1, other);
  return { envelopes: seqs.map(sample), positions };
}

/** A handler whose every call returns a promise the test settles. */
function controlledHandler() {
  const calls: { seqs: number[]; resolve(): void; reject(err: Error): void }[] = [];
  const handler = (envelopes: SampleEnvelope[]) =>
    new Promise<void>((resolve, reject) => calls.push({ seqs: envelopes.map((e) => e.sample.seq!), resolve, reject }));
  return { calls, handler };
}

function setup(maxPending = 10) {
  const { calls, handler } = controlledHandler();
  const processed: Positions[] = [];
  let capacityCalls = 0;
  const delivery = new OrderedDelivery({
    handler,
    logger,
    maxPending,
    retryDelayMs: (attempt) => RETRY_MS * attempt,
    onProcessed: (positions) => void processed.push(new Map(positions)),
    onCapacity: () => void capacityCalls++,
  });
  return { delivery, calls, processed, capacity: () => capacityCalls };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe("OrderedDelivery", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("hands batches over in order without waiting for earlier ones", () => {
    const { delivery, calls } = setup();
    delivery.push(batch([1], 1n));
    delivery.push(batch([2], 2n));
    delivery.push(batch([3], 3n));
    expect(calls.map((c) => c.seqs)).toEqual([[1], [2], [3]]);
  });

  it("reports progress only up to the first unfinished batch, merged per partition", async () => {
    const { delivery, calls, processed } = setup();
    delivery.push(batch([1], 5n, 3n));
    delivery.push(batch([2], 9n));
    delivery.push(batch([3], 12n));
    calls[1]!.resolve();
    calls[2]!.resolve();
    await settle();
    expect(processed).toEqual([]);

    calls[0]!.resolve();
    await settle();
    expect(processed).toEqual([new Map([[0, 12n], [1, 3n]])]);
  });

  it("counts a batch with nothing to hand over (all malformed) as processed in its turn", async () => {
    const { delivery, calls, processed } = setup();
    delivery.push(batch([1], 1n));
    delivery.push(batch([], 4n));
    await settle();
    expect(calls).toHaveLength(1);
    expect(processed).toEqual([]);
    calls[0]!.resolve();
    await settle();
    expect(processed).toEqual([new Map([[0, 4n]])]);
  });

  it("retries a rejected batch with backoff, holding later batches back, and never reports past it", async () => {
    const { delivery, calls, processed } = setup();
    delivery.push(batch([1], 1n));
    calls[0]!.reject(new Error("store down"));
    await settle();
    delivery.push(batch([2], 2n));
    await settle();
    expect(calls.map((c) => c.seqs)).toEqual([[1]]);

    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(calls.map((c) => c.seqs)).toEqual([[1], [1]]);
    calls[1]!.reject(new Error("still down"));
    await vi.advanceTimersByTimeAsync(2 * RETRY_MS - 1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.seqs)).toEqual([[1], [1], [1]]);
    expect(processed).toEqual([]);

    calls[2]!.resolve();
    await settle();
    expect(calls.map((c) => c.seqs)).toEqual([[1], [1], [1], [2]]);
    expect(processed).toEqual([new Map([[0, 1n]])]);
    calls[3]!.resolve();
    await settle();
    expect(processed).toEqual([new Map([[0, 1n]]), new Map([[0, 2n]])]);
  });

  it("treats a handler that throws like one that rejects", async () => {
    const tries: number[] = [];
    const delivery = new OrderedDelivery({
      handler: (envelopes) => {
        tries.push(envelopes.length);
        if (tries.length === 1) throw new Error("sync failure");
      },
      logger,
      maxPending: 10,
      retryDelayMs: () => RETRY_MS,
    });
    delivery.push(batch([1, 2], 2n));
    expect(tries).toEqual([2]);
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(tries).toEqual([2, 2]);
  });

  it("is saturated at maxPending unfinished batches and says when there is room again", async () => {
    const { delivery, calls, capacity } = setup(2);
    delivery.push(batch([1], 1n));
    expect(delivery.saturated).toBe(false);
    delivery.push(batch([2], 2n));
    expect(delivery.saturated).toBe(true);
    calls[1]!.resolve();
    await settle();
    // Finished behind an unfinished batch: still pending.
    expect(delivery.saturated).toBe(true);
    expect(capacity()).toBe(0);
    calls[0]!.resolve();
    await settle();
    expect(delivery.saturated).toBe(false);
    expect(capacity()).toBe(1);
  });

  it("closes once running handlers settle, stops retrying, and counts nothing handed over after", async () => {
    const { delivery, calls, processed } = setup();
    delivery.push(batch([1], 1n));
    delivery.push(batch([2], 2n));
    calls[0]!.reject(new Error("down"));
    await settle();

    let closed = false;
    const closing = delivery.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    delivery.push(batch([3], 3n));
    calls[1]!.resolve();
    await closing;
    await vi.advanceTimersByTimeAsync(10 * RETRY_MS);

    expect(calls.map((c) => c.seqs)).toEqual([[1], [2]]);
    expect(processed).toEqual([]);
  });

  it("still reports a batch that finishes while closing", async () => {
    const { delivery, calls, processed } = setup();
    delivery.push(batch([1], 1n));
    const closing = delivery.close();
    calls[0]!.resolve();
    await closing;
    expect(processed).toEqual([new Map([[0, 1n]])]);
  });
});
