/**
 * When samples given to the history writer count as safely in history, for a bus that commits
 * consumer offsets (Kafka): after a flush that began once they were accepted has written them, and
 * late enough that every minute they touched has been rolled up (rollups are batched and wait for
 * minutes to close, up to the allowed clock skew ahead). Until then a crash replays them from the
 * bus, which the writer's merge makes harmless. One promise covers all samples accepted between two
 * flushes, so the cost does not grow with the sample rate.
 */
import type { Clock } from "../core/clock.js";

interface SealedGroup {
  sealedAt: number;
  resolve(): void;
}

export class HistoryCheckpoints {
  private open: { promise: Promise<void>; resolve(): void } | undefined;
  private readonly sealed: SealedGroup[] = [];

  constructor(
    private readonly lagMs: number,
    private readonly clock: Clock,
  ) {}

  /** Resolves once the samples accepted from now until the next flush are safely in history. */
  next(): Promise<void> {
    if (!this.open) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.open = { promise, resolve };
    }
    return this.open.promise;
  }

  /** A flush begins: it writes everything accepted so far. */
  seal(): void {
    if (!this.open) return;
    this.sealed.push({ sealedAt: this.clock.now(), resolve: this.open.resolve });
    this.open = undefined;
  }

  /** A flush succeeded: groups sealed at least the lag ago are safe (all of them on a final flush at shutdown). */
  release(options: { all?: boolean } = {}): void {
    const safeBefore = this.clock.now() - this.lagMs;
    while (this.sealed.length > 0 && (options.all || this.sealed[0]!.sealedAt <= safeBefore)) this.sealed.shift()!.resolve();
  }

  /** Groups written but not yet released (tests, metrics). */
  get waiting(): number {
    return this.sealed.length;
  }
}
