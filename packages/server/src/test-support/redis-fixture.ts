/** Connections to the test Redis with a key prefix no other test uses; `close()` deletes the prefix's keys and disconnects. */
import type { Redis } from "ioredis";
import { createRedisClient } from "../adapters/redis/client.js";
import { createLogger } from "../core/logger.js";
import { serviceUrls, uniqueTestName } from "./services.js";

export interface RedisFixture {
  /** The first connection, opened and ready. */
  redis: Redis;
  /** Ends with ":"; every key a test writes starts with it. */
  keyPrefix: string;
  /** Another connection, as a second hub instance would have; closed with the fixture. */
  connect(): Promise<Redis>;
  /** The fixture's keys still on the server. */
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openRedisFixture(): Promise<RedisFixture> {
  const { redisUrl } = serviceUrls();
  const keyPrefix = `${uniqueTestName("sm")}:`;
  const clients: Redis[] = [];
  const connect = async () => {
    const client = createRedisClient({ url: redisUrl, name: "statusmonitor-test", logger: createLogger({ level: "silent" }) });
    clients.push(client);
    try {
      await client.ping();
    } catch (err) {
      throw new Error(`Redis is not reachable at ${redisUrl} (set TEST_REDIS_URL or run scripts/ensure-services.sh): ${(err as Error).message}`);
    }
    return client;
  };
  const redis = await connect();
  const keys = async () => {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await redis.scan(cursor, "MATCH", `${keyPrefix}*`, "COUNT", 500);
      found.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    return found;
  };
  return {
    redis,
    keyPrefix,
    connect,
    keys,
    close: async () => {
      const left = await keys();
      if (left.length > 0) await redis.del(...left);
      await Promise.all(clients.map((client) => client.quit()));
    },
  };
}
