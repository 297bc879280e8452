/** In-memory implementation of the Cache port for the embedded preset; expiry follows the injected clock. */
import type { Cache } from "../../core/cache.js";
import type { Clock } from "../../core/clock.js";

interface Entry {
  value: string;
  expiresAt: number;
}

export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly clock: Clock) {}

  /** Drops expired entries now and then, so keys nobody reads again do not pile up. */
  startSweeping(everyMs = 30_000): void {
    this.sweepTimer = setInterval(() => this.sweep(), everyMs);
    this.sweepTimer.unref();
  }

  stopSweeping(): void {
    clearInterval(this.sweepTimer);
  }

  sweep(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.clock.now() + ttlMs });
  }

  async take(key: string): Promise<string | undefined> {
    const entry = this.live(key);
    this.entries.delete(key);
    return entry?.value;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const now = this.clock.now();
    const entry = this.live(key) ?? { value: "0", expiresAt: now + windowMs };
    entry.value = String(Number(entry.value) + 1);
    this.entries.set(key, entry);
    return { count: Number(entry.value), resetInMs: entry.expiresAt - now };
  }

  async count(key: string): Promise<{ count: number; resetInMs: number }> {
    const entry = this.live(key);
    return entry ? { count: Number(entry.value), resetInMs: entry.expiresAt - this.clock.now() } : { count: 0, resetInMs: 0 };
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const holder = this.live(key)?.value;
    if (holder !== undefined && holder !== owner) return false;
    this.entries.set(key, { value: owner, expiresAt: this.clock.now() + ttlMs });
    return true;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.live(key)?.value === owner) this.entries.delete(key);
  }
}
