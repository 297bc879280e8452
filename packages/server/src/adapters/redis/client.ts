/** Opens the hub's Redis connection from a URL, and the ping behind the cache's health check. */
import { Redis } from "ioredis";
import type { Logger } from "../../core/logger.js";

/** How many reconnection attempts a command waits through before it fails (about four seconds). */
const RETRIES_PER_COMMAND = 5;

/** `name` is the connection name CLIENT LIST shows, so an operator can tell which process holds which connection. */
export function createRedisClient(o: { url: string; name: string; logger: Logger }): Redis {
  const redis = new Redis(o.url, {
    lazyConnect: false,
    connectionName: o.name,
    // Commands issued while connecting (start-up) or reconnecting wait in a queue for the connection...
    enableOfflineQueue: true,
    // ...but not for ever: a request during an outage fails after a few attempts instead of hanging.
    maxRetriesPerRequest: RETRIES_PER_COMMAND,
    retryStrategy: (attempt) => Math.min(attempt * 250, 2_000),
    connectTimeout: 5_000,
  });
  // Without a listener an "error" event would crash the process; the retries are logged instead.
  redis.on("error", (err: Error) => o.logger.warn({ err: err.message }, "redis connection error"));
  redis.on("ready", () => o.logger.info("redis connection ready"));
  return redis;
}

/**
 * One PING with its round-trip time in milliseconds. Fails at once while the connection is down
 * (rather than waiting in the offline queue), so a health check reports the outage without delay.
 */
export async function pingRedis(redis: Redis): Promise<number> {
  if (redis.status !== "ready") throw new Error(`redis connection is ${redis.status}`);
  const started = performance.now();
  await redis.ping();
  return performance.now() - started;
}
