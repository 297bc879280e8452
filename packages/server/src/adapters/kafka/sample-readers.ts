/**
 * The two ways this process reads the metrics topic. A shared group (`history`, `alerts`): one consumer
 * per subscription, its handler's batches committed in order once processed. The live feed: one
 * consumer of this process's own group, starting at the newest record, fanned out to every live subscription.
 */
import type { SampleHandler, Subscription } from "../../core/bus.js";
import type { Logger } from "../../core/logger.js";
import { doublingDelay } from "../../core/backoff.js";
import { OrderedDelivery, type OrderedDeliveryOptions } from "./ordered-delivery.js";
import { logMalformed, sampleBatch } from "./sample-batch.js";
import { TopicReader, type RawRecord, type TopicReaderOptions } from "./topic-reader.js";

/**
 * Batches handed over but not finished before the consumer stops fetching. History settles its
 * batches at its next flush (every 10 s), so this must hold that long of fetches at full speed.
 */
const MAX_PENDING_BATCHES = 256;
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 10_000;

export type ReaderSettings = Omit<TopicReaderOptions, "from" | "onRecords">;

function deliveryFor(handler: SampleHandler, logger: Logger, hooks: Pick<OrderedDeliveryOptions, "onProcessed" | "onCapacity">): OrderedDelivery {
  return new OrderedDelivery({
    handler,
    logger,
    maxPending: MAX_PENDING_BATCHES,
    retryDelayMs: (attempt) => doublingDelay(attempt, FIRST_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS),
    ...hooks,
  });
}

/** Resolves once the consumer joined the group and has its partitions. */
export async function subscribeSharedGroup(settings: ReaderSettings, handler: SampleHandler): Promise<Subscription> {
  let closing: Promise<void> | undefined;
  const delivery: OrderedDelivery = deliveryFor(handler, settings.logger, {
    onProcessed: (positions) => reader.commit(positions),
    onCapacity: () => {
      if (!closing) reader.resume();
    },
  });
  const reader: TopicReader = new TopicReader({
    ...settings,
    from: "committed",
    onRecords: (records) => {
      if (closing) return;
      delivery.push(readBatch(records, settings));
      if (delivery.saturated) reader.pause();
    },
  });
  await reader.start();
  return {
    close: () =>
      (closing ??= (async () => {
        reader.pause();
        await delivery.close();
        await reader.flushCommits();
        await reader.close();
      })()),
  };
}

export class LiveFeed {
  private readonly subscribers = new Set<OrderedDelivery>();
  private readonly reader: TopicReader;

  constructor(private readonly settings: ReaderSettings) {
    this.reader = new TopicReader({ ...settings, from: "latest", onRecords: (records) => this.fanOut(records) });
  }

  /** Resolves once the feed reads everything published from now on. */
  start(): Promise<void> {
    return this.reader.start();
  }

  subscribe(handler: SampleHandler): Subscription {
    const delivery = deliveryFor(handler, this.settings.logger, { onCapacity: () => this.resumeIfAllHaveRoom() });
    this.subscribers.add(delivery);
    return {
      close: async () => {
        this.subscribers.delete(delivery);
        await delivery.close();
        this.resumeIfAllHaveRoom();
      },
    };
  }

  async close(): Promise<void> {
    const deliveries = [...this.subscribers];
    this.subscribers.clear();
    await Promise.all(deliveries.map((delivery) => delivery.close()));
    await this.reader.close();
  }

  private fanOut(records: RawRecord[]): void {
    const { envelopes, positions } = readBatch(records, this.settings);
    for (const delivery of this.subscribers) {
      delivery.push({ envelopes: [...envelopes], positions });
      // The slowest live subscriber sets the pace: nothing is dropped for it.
      if (delivery.saturated) this.reader.pause();
    }
  }

  private resumeIfAllHaveRoom(): void {
    if (![...this.subscribers].some((delivery) => delivery.saturated)) this.reader.resume();
  }
}

function readBatch(records: RawRecord[], settings: ReaderSettings) {
  const { batch, malformed } = sampleBatch(records);
  logMalformed(settings.logger, settings.topic, malformed);
  return batch;
}
