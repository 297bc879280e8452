/** A fixed-rate schedule: tick n runs at t0 + n·interval, so the period never drifts with the work done in a tick. */

export interface ScheduleTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: ScheduleTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The first slot at or after `now` on the grid of `intervalMs` (whole seconds for a 1 s interval). */
export function firstSlot(now: number, intervalMs: number): number {
  return Math.ceil(now / intervalMs) * intervalMs;
}

/** The next slot strictly after `now`, skipping slots missed while a tick overran (they are not run twice). */
export function nextSlot(previousSlot: number, now: number, intervalMs: number): number {
  const missed = Math.max(0, Math.floor((now - previousSlot) / intervalMs));
  return previousSlot + (missed + 1) * intervalMs;
}

export class FixedRateSchedule {
  private handle: unknown;
  private running = false;
  private slot = 0;

  /** `tick` gets the slot's time (the sample's timestamp); ticks never overlap. */
  constructor(
    private readonly intervalMs: number,
    private readonly tick: (slot: number) => Promise<void>,
    private readonly timers: ScheduleTimers = realTimers,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.slot = firstSlot(this.timers.now(), this.intervalMs);
    this.arm();
  }

  stop(): void {
    this.running = false;
    this.timers.clearTimeout(this.handle);
  }

  private arm(): void {
    if (!this.running) return;
    this.handle = this.timers.setTimeout(() => void this.fire(), Math.max(0, this.slot - this.timers.now()));
  }

  private async fire(): Promise<void> {
    const slot = this.slot;
    try {
      await this.tick(slot);
    } finally {
      this.slot = nextSlot(slot, this.timers.now(), this.intervalMs);
      this.arm();
    }
  }
}
