/**
 * In-process implementation of the Bus port for the embedded preset: synchronous fan-out to handlers.
 * A handler whose promise rejects gets its batch again after a growing pause, and closing a
 * subscription waits for the handler calls still running, as the port asks of every bus.
 */
import { doublingDelay } from "../../core/backoff.js";
import type { Bus, ControlEvent, SampleEnvelope, SampleGroup, SampleHandler, Subscription, Unsubscribe } from "../../core/bus.js";
import type { Logger } from "../../core/logger.js";

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 10_000;

export class MemoryBus implements Bus {
  private readonly sampleHandlers = new Set<(samples: SampleEnvelope[]) => void>();
  private readonly controlHandlers = new Set<(event: ControlEvent) => void>();

  constructor(private readonly logger: Logger) {}

  async publishSamples(samples: SampleEnvelope[]): Promise<void> {
    for (const deliver of this.sampleHandlers) deliver(samples);
  }

  /** One process holds every group, so each subscriber sees every sample. */
  async subscribeSamples(_group: SampleGroup, handler: SampleHandler): Promise<Subscription> {
    const running = new Set<Promise<void>>();
    let open = true;
    const deliver = (samples: SampleEnvelope[]) => {
      const run = this.handleUntilDone(handler, samples, () => open);
      running.add(run);
      void run.finally(() => running.delete(run));
    };
    this.sampleHandlers.add(deliver);
    return {
      close: async () => {
        open = false;
        this.sampleHandlers.delete(deliver);
        while (running.size > 0) await Promise.allSettled([...running]);
      },
    };
  }

  async publishControl(event: ControlEvent): Promise<void> {
    for (const handler of this.controlHandlers) {
      try {
        handler(event);
      } catch (err) {
        // One failing consumer must not keep the event from the others.
        this.logger.error({ err }, "bus consumer failed");
      }
    }
  }

  onControl(handler: (event: ControlEvent) => void): Unsubscribe {
    this.controlHandlers.add(handler);
    return () => this.controlHandlers.delete(handler);
  }

  /** Calls the handler now (synchronously, up to its first await) and again after each failure while open. */
  private async handleUntilDone(handler: SampleHandler, samples: SampleEnvelope[], isOpen: () => boolean): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await handler(samples);
        return;
      } catch (err) {
        this.logger.error({ err, attempt }, "bus consumer failed; retrying its batch");
      }
      if (!isOpen()) return;
      await new Promise((resolve) => setTimeout(resolve, doublingDelay(attempt, FIRST_RETRY_MS, MAX_RETRY_MS)).unref());
      if (!isOpen()) return;
    }
  }
}
