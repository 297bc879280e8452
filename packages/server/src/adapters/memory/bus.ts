/** In-process implementation of the Bus port for the embedded preset: synchronous fan-out to handlers. */
import type { Bus, ControlEvent, SampleEnvelope, Unsubscribe } from "../../core/bus.js";
import type { Logger } from "../../core/logger.js";

export class MemoryBus implements Bus {
  private readonly sampleHandlers = new Set<(samples: SampleEnvelope[]) => void>();
  private readonly controlHandlers = new Set<(event: ControlEvent) => void>();

  constructor(private readonly logger: Logger) {}

  async publishSamples(samples: SampleEnvelope[]): Promise<void> {
    this.deliver(this.sampleHandlers, samples);
  }

  onSamples(handler: (samples: SampleEnvelope[]) => void): Unsubscribe {
    this.sampleHandlers.add(handler);
    return () => this.sampleHandlers.delete(handler);
  }

  async publishControl(event: ControlEvent): Promise<void> {
    this.deliver(this.controlHandlers, event);
  }

  onControl(handler: (event: ControlEvent) => void): Unsubscribe {
    this.controlHandlers.add(handler);
    return () => this.controlHandlers.delete(handler);
  }

  /** One failing consumer must not keep the message from the others. */
  private deliver<T>(handlers: Set<(message: T) => void>, message: T): void {
    for (const handler of handlers) {
      try {
        handler(message);
      } catch (err) {
        this.logger.error({ err }, "bus consumer failed");
      }
    }
  }
}
