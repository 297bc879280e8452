/**
 * When samples given to the history writer count as safely in history, for a bus that commits
 * consumer offsets (Kafka): once a flush that began after they were accepted has succeeded. Minutes
 * whose rollup was still waiting are not lost by committing: each flush saves the oldest of them
 * (ROLLUP_CURSOR) and a restart recomputes from there. One promise covers all samples accepted
 * between two flushes, so the cost does not grow with the sample rate.
 */

export class HistoryCheckpoints {
  private open: { promise: Promise<void>; resolve(): void } | undefined;
  private sealed: Array<() => void> = [];

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
    this.sealed.push(this.open.resolve);
    this.open = undefined;
  }

  /** The flush succeeded: everything sealed before it is safe. */
  release(): void {
    for (const resolve of this.sealed.splice(0)) resolve();
  }

  /** Groups sealed but not yet released (tests). */
  get waiting(): number {
    return this.sealed.length;
  }
}
