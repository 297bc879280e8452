/** Timers a test drives by hand: `advance` moves the clock, running due callbacks in time order and letting their promise chains settle. */
import type { ScheduleTimers } from "../schedule.js";

export class StepTimers implements ScheduleTimers {
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;

  constructor(public current = 1_700_000_000_300) {}

  now = () => this.current;
  setTimeout = (fn: () => void, ms: number) => {
    this.queue.push({ at: this.current + ms, fn, id: ++this.ids });
    return this.ids;
  };
  clearTimeout = (handle: unknown) => {
    this.queue = this.queue.filter((t) => t.id !== handle);
  };

  /** The callback being run takes this long (the clock moves on inside it). */
  spend(ms: number): void {
    this.current += ms;
  }

  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.current = Math.max(this.current, next.at);
      next.fn();
      await settle();
    }
    this.current = end;
    await settle();
  }
}

/** Lets pending promise chains (and the I/O-free work they start) run to completion. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
}
