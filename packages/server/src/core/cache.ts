/**
 * The shared short-lived state port: counters for throttling, single-use tickets and small cached
 * values. Embedded it lives in memory; scaled out it is Redis, so every instance agrees.
 */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Reads and deletes in one step: the primitive behind single-use tickets. */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  /** Increments a counter that expires `windowMs` after its first increment. */
  increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
  /** The counter's value without changing it (0 when absent). */
  count(key: string): Promise<{ count: number; resetInMs: number }>;
}
