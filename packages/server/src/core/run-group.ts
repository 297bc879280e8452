/** Starts long-running parts in order and stops them in reverse, each stop given a deadline. */
import type { Logger } from "./logger.js";

export interface Service {
  name: string;
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}

export class RunGroup {
  private readonly started: Service[] = [];
  constructor(
    private readonly logger: Logger,
    private readonly stopTimeoutMs = 10_000,
  ) {}

  async start(services: Service[]): Promise<void> {
    for (const service of services) {
      await service.start?.();
      this.started.push(service);
      this.logger.debug({ service: service.name }, "started");
    }
  }

  /** Stops everything started so far, newest first; a failing or hanging stop does not block the rest. */
  async stop(): Promise<void> {
    while (this.started.length > 0) {
      const service = this.started.pop()!;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), this.stopTimeoutMs);
      });
      try {
        const outcome = await Promise.race([Promise.resolve(service.stop?.()), deadline]);
        if (outcome === "timeout") this.logger.warn({ service: service.name }, "stop timed out");
      } catch (err) {
        this.logger.error({ err, service: service.name }, "stop failed");
      } finally {
        clearTimeout(timer);
      }
    }
  }
}
