/** Counts failures per key in a fixed window (on the shared Cache) and refuses once a limit is reached. */
import type { ErrorCode } from "@statusmonitor/protocol";
import { AppError } from "../core/app-error.js";
import type { Cache } from "../core/cache.js";

export interface ThrottleRule {
  prefix: string;
  limit: number;
  windowMs: number;
}

export class Throttle {
  constructor(
    private readonly cache: Cache,
    private readonly rule: ThrottleRule,
    private readonly code: ErrorCode = "TOO_MANY_REQUESTS",
  ) {}

  /** Throws a 429 with Retry-After when the key has used up its window. */
  async check(key: string): Promise<void> {
    const { count, resetInMs } = await this.cache.count(this.rule.prefix + key);
    if (count >= this.rule.limit) throw this.refusal(resetInMs);
  }

  /** Counts one event; throws when this event went over the limit. */
  async hit(key: string): Promise<void> {
    const { count, resetInMs } = await this.cache.increment(this.rule.prefix + key, this.rule.windowMs);
    if (count > this.rule.limit) throw this.refusal(resetInMs);
  }

  /** Counts one event without refusing it (for failures: the refusal comes on the next attempt). */
  async record(key: string): Promise<void> {
    await this.cache.increment(this.rule.prefix + key, this.rule.windowMs);
  }

  async reset(key: string): Promise<void> {
    await this.cache.delete(this.rule.prefix + key);
  }

  private refusal(resetInMs: number): AppError {
    return new AppError(this.code, undefined, { retryAfterS: Math.max(1, Math.ceil(resetInMs / 1000)) });
  }
}
