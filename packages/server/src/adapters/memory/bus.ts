/** In-process implementation of the Bus port for the embedded preset: synchronous fan-out to handlers. */
import type { Bus, ControlEvent, SampleEnvelope, SampleGroup, SampleHandler, Subscription, Unsubscribe } from "../../core/bus.js";
import type { Logger } from "../../core/logger.js";

export class MemoryBus implements Bus {
  private readonly sampleHandlers = new Set<SampleHandler>();
  private readonly controlHandlers = new Set<(event: ControlEvent) => void>();

  constructor(private readonly logger: Logger) {}

  async publishSamples(samples: SampleEnvelope[]): Promise<void> {
    this.deliver(this.sampleHandlers, samples);
  }

  /** One process holds every group, so each subscriber sees every sample; nothing is redelivered. */
  async subscribeSamples(_group: SampleGroup, handler: SampleHandler): Promise<Subscription> {
    // Wrapped, so the same handler can be subscribed twice and closed once each.
    const subscribed: SampleHandler = (samples) => handler(samples);
    this.sampleHandlers.add(subscribed);
    return { close: async () => void this.sampleHandlers.delete(subscribed) };
  }

  async publishControl(event: ControlEvent): Promise<void> {
    this.deliver(this.controlHandlers, event);
  }

  onControl(handler: (event: ControlEvent) => void): Unsubscribe {
    this.controlHandlers.add(handler);
    return () => this.controlHandlers.delete(handler);
  }

  /** One failing consumer must not keep the message from the others. */
  private deliver<T>(handlers: Set<(message: T) => void | Promise<void>>, message: T): void {
    for (const handler of handlers) {
      try {
        const result = handler(message);
        if (result instanceof Promise) result.catch((err: unknown) => this.logger.error({ err }, "bus consumer failed"));
      } catch (err) {
        this.logger.error({ err }, "bus consumer failed");
      }
    }
  }
}
