/**
 * The distributed preset: PostgreSQL for accounts, alerts and history, Redis for the shared
 * short-lived state (token cache, throttles, tickets, ingest de-duplication, leases) and Kafka as the
 * bus. Any subset of roles can run on it in its own process; they agree through these services.
 */
import { KafkaBus } from "../adapters/kafka/bus.js";
import { PostgresAgentStore } from "../adapters/postgres/agents.js";
import { PostgresAlertStore } from "../adapters/postgres/alert-store.js";
import { createPostgresPool, migratePostgres } from "../adapters/postgres/database.js";
import { PostgresHistoryStore } from "../adapters/postgres/history-store.js";
import { PostgresSessionStore } from "../adapters/postgres/sessions.js";
import { PostgresUserStore } from "../adapters/postgres/users.js";
import { RedisCache } from "../adapters/redis/cache.js";
import { createRedisClient, pingRedis } from "../adapters/redis/client.js";
import { RedisSampleJournal } from "../adapters/redis/sample-journal.js";
import type { DistributedSettings } from "../config/config.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { Adapters } from "./ports.js";

/** Keys of this hub in a Redis server that may be shared. */
const REDIS_KEY_PREFIX = "statusmonitor:";

export async function createDistributedAdapters(o: {
  settings: DistributedSettings;
  instanceId: string;
  clock: Clock;
  logger: Logger;
}): Promise<Adapters> {
  const { settings, logger } = o;
  const pool = createPostgresPool({ url: settings.databaseUrl, maxConnections: settings.databasePoolSize, logger: logger.child({ component: "postgres" }) });
  await migratePostgres(pool, logger.child({ component: "postgres" }));
  const redis = createRedisClient({ url: settings.redisUrl, name: `statusmonitor-${o.instanceId}`, logger: logger.child({ component: "redis" }) });
  const bus = new KafkaBus({
    bootstrapServers: settings.kafka.bootstrapServers,
    clientId: "statusmonitor",
    topicPrefix: settings.kafka.topicPrefix,
    metricsPartitions: settings.kafka.metricsPartitions,
    replicationFactor: settings.kafka.replicationFactor,
    instanceId: o.instanceId,
    logger: logger.child({ component: "kafka" }),
  });
  const cache = new RedisCache(redis, REDIS_KEY_PREFIX);
  return {
    users: new PostgresUserStore(pool),
    sessions: new PostgresSessionStore(pool),
    agents: new PostgresAgentStore(pool),
    journal: new RedisSampleJournal(redis, REDIS_KEY_PREFIX),
    history: new PostgresHistoryStore(pool),
    alerts: new PostgresAlertStore(pool),
    bus,
    cache,
    healthChecks: [
      {
        name: "database",
        check: async () => {
          await pool.query("SELECT 1");
          return { status: "ok", detail: "postgresql" };
        },
      },
      { name: "bus", check: async () => bus.health() },
      {
        name: "cache",
        check: async () => {
          await pingRedis(redis);
          return { status: "ok", detail: "redis" };
        },
      },
    ],
    services: [
      { name: "kafka", start: () => bus.start(), stop: () => bus.stop() },
      { name: "redis", stop: async () => void (await redis.quit()) },
      { name: "postgres", stop: () => pool.end() },
    ],
  };
}
