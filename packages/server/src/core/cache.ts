/**
 * The shared short-lived state port: counters for throttling, single-use tickets, small cached
 * values and leases. Embedded it lives in memory; scaled out it is Redis, so every instance agrees.
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
  /**
   * Acquires or renews a lease: when `key` is free or already held by `owner`, it is held by `owner`
   * for `ttlMs` from now and the answer is true; while another owner holds it, false and nothing changes.
   * The lease is the key's value, so `get(key)` tells who holds it.
   */
  claim(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Ends `owner`'s lease at once; a lease another owner holds (say, after ours expired) is left alone. */
  release(key: string, owner: string): Promise<void>;
}
