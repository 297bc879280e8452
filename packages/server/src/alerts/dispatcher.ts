/**
 * The delivery queue: one lane per (user, channel), each sending its messages strictly in order,
 * retrying the head with backoff (or the far side's `retry_after`) until it is sent or given up,
 * with every attempt saved so a restart carries on where it stopped. Lanes never wait on each
 * other, and nothing here runs on the ingest path.
 */
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { DeliveryResult } from "./channels/channel.js";
import type { DeliveryRecord, DeliveryUpdate, AlertStore } from "./ports.js";
import { nextAttemptDelay, shouldGiveUp } from "./retry-policy.js";

/** How often due retries are looked for when nothing new arrives. */
export const DISPATCH_POLL_MS = 500;
/** Lanes sending at once; a burst of incidents for many users still finishes in well under a second locally. */
export const MAX_IN_FLIGHT = 32;

export interface DispatcherDeps {
  store: AlertStore;
  send: (delivery: DeliveryRecord) => Promise<DeliveryResult>;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** Called once per finished attempt (metrics). */
  onAttempt?: (delivery: DeliveryRecord, result: DeliveryResult) => void;
}

export class DeliveryDispatcher {
  private readonly lanes = new Map<string, DeliveryRecord[]>();
  private readonly busy = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly deps: DispatcherDeps) {}

  async start(): Promise<void> {
    this.enqueue(await this.deps.store.pendingDeliveries());
    this.timer = setInterval(() => this.pump(), DISPATCH_POLL_MS);
    this.timer.unref();
  }

  /** Waits for the attempts in flight; whatever is still pending stays in the store for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await Promise.all(this.busy.values());
  }

  /** Adds deliveries (already saved as pending) behind the ones already queued in their lanes, and starts what is due. */
  enqueue(deliveries: DeliveryRecord[]): void {
    for (const delivery of deliveries) {
      const key = `${delivery.userId}:${delivery.channel}`;
      const lane = this.lanes.get(key);
      if (lane) lane.push(delivery);
      else this.lanes.set(key, [delivery]);
    }
    if (deliveries.length > 0) this.pump();
  }

  /** Messages waiting, in all lanes. */
  backlog(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.length;
    return count;
  }

  /** When the oldest message still waiting was queued, or null when nothing waits. */
  oldestWaitingSince(): number | null {
    let oldest: number | null = null;
    for (const lane of this.lanes.values()) {
      const head = lane[0];
      if (head && (oldest === null || head.createdAt < oldest)) oldest = head.createdAt;
    }
    return oldest;
  }

  /** Starts every lane whose head is due and waits until nothing due is left in flight (tests, admin tools). */
  async deliverDue(): Promise<void> {
    this.pump();
    while (this.busy.size > 0) {
      await Promise.all(this.busy.values());
      this.pump();
    }
  }

  private pump(): void {
    if (this.stopping) return;
    const now = this.deps.clock.now();
    for (const [key, lane] of this.lanes) {
      if (this.busy.size >= MAX_IN_FLIGHT) return;
      if (this.busy.has(key) || lane[0]!.nextAttemptAt > now) continue;
      const run = this.drain(key, lane).finally(() => {
        this.busy.delete(key);
        if (lane.length === 0 && this.lanes.get(key) === lane) this.lanes.delete(key);
      });
      this.busy.set(key, run);
    }
  }

  /** Sends a lane's due messages one after another; stops at the first that must wait. */
  private async drain(key: string, lane: DeliveryRecord[]): Promise<void> {
    while (!this.stopping && lane.length > 0 && lane[0]!.nextAttemptAt <= this.deps.clock.now()) {
      const delivery = lane[0]!;
      const result = await this.attempt(delivery);
      this.deps.onAttempt?.(delivery, result);
      const update = this.outcome(delivery, result);
      Object.assign(delivery, update);
      try {
        await this.deps.store.updateDelivery(delivery.id, update);
      } catch (err) {
        // The message went out (or failed) whatever the store says; a restart may repeat it at worst.
        this.deps.logger.error({ err, deliveryId: delivery.id }, "saving a delivery attempt failed");
      }
      if (update.status !== "pending") lane.shift();
      if (update.status === "failed") {
        this.deps.logger.warn({ deliveryId: delivery.id, channel: delivery.channel, lane: key, error: update.lastError }, "notification given up");
      }
    }
  }

  private async attempt(delivery: DeliveryRecord): Promise<DeliveryResult> {
    try {
      return await this.deps.send(delivery);
    } catch (err) {
      // Channels never throw; a store read failing on the way is worth another try.
      return { ok: false, retryable: true, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private outcome(delivery: DeliveryRecord, result: DeliveryResult): DeliveryUpdate {
    const now = this.deps.clock.now();
    const attempts = delivery.attempts + 1;
    const firstTriedAt = delivery.firstTriedAt ?? now;
    if (result.ok) {
      return { status: "sent", attempts, firstTriedAt, nextAttemptAt: now, lastError: null, finishedAt: now };
    }
    if (!result.retryable || shouldGiveUp(attempts, firstTriedAt, now)) {
      return { status: "failed", attempts, firstTriedAt, nextAttemptAt: now, lastError: result.error, finishedAt: now };
    }
    const delay = nextAttemptDelay(attempts, result, this.deps.random ?? Math.random);
    return { status: "pending", attempts, firstTriedAt, nextAttemptAt: now + delay, lastError: result.error, finishedAt: null };
  }
}
