/** The hub's Redis client: connects from a URL under its connection name, pings, and fails a ping at once while down. */
import { createServer, type AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { createLogger } from "../../core/logger.js";
import { serviceUrls } from "../../test-support/services.js";
import { createRedisClient, pingRedis } from "./client.js";

const logger = createLogger({ level: "silent" });

it("connects under its connection name and answers a ping with the round-trip time", async () => {
  const redis = createRedisClient({ url: serviceUrls().redisUrl, name: "statusmonitor-client-test", logger });
  try {
    // Queued in the offline queue until the connection is ready.
    expect(await redis.client("GETNAME")).toBe("statusmonitor-client-test");
    const ms = await pingRedis(redis);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(5_000);
  } finally {
    await redis.quit();
  }
});

it("fails a ping at once, without throwing from the connection, while nothing listens", async () => {
  // A port that was free a moment ago: connecting is refused, and the client keeps retrying.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const redis = createRedisClient({ url: `redis://127.0.0.1:${port}`, name: "statusmonitor-client-test", logger });
  try {
    await expect(pingRedis(redis)).rejects.toThrow(/redis connection is (connecting|reconnecting|connect)/);
  } finally {
    redis.disconnect();
  }
});
