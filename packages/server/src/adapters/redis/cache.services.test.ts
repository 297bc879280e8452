/** Runs the Cache contract on Redis (two connections, like two hub instances, under a key prefix of their own) with real expiry. */
import { describe, expect, it } from "vitest";
import { describeCacheContract, realCacheTime } from "../../core/cache.contract.js";
import { openRedisFixture } from "../../test-support/redis-fixture.js";
import { RedisCache } from "./cache.js";

describeCacheContract("redis", async () => {
  const redis = await openRedisFixture();
  return {
    cache: new RedisCache(redis.redis, redis.keyPrefix),
    peer: new RedisCache(await redis.connect(), redis.keyPrefix),
    time: realCacheTime,
    close: () => redis.close(),
  };
});

describe("RedisCache on a shared server", () => {
  it("keeps its keys under its prefix, apart from another prefix's", async () => {
    const redis = await openRedisFixture();
    try {
      const ours = new RedisCache(redis.redis, `${redis.keyPrefix}ours:`);
      const theirs = new RedisCache(redis.redis, `${redis.keyPrefix}theirs:`);
      await ours.set("a", "ours", 60_000);
      await ours.increment("hits", 60_000);
      expect(await ours.claim("leader", "x", 60_000)).toBe(true);
      expect(await theirs.get("a")).toBeUndefined();
      expect(await theirs.count("hits")).toEqual({ count: 0, resetInMs: 0 });
      expect(await theirs.claim("leader", "y", 60_000)).toBe(true);
      expect((await redis.keys()).sort()).toEqual(
        [`${redis.keyPrefix}ours:a`, `${redis.keyPrefix}ours:hits`, `${redis.keyPrefix}ours:leader`, `${redis.keyPrefix}theirs:leader`].sort(),
      );
    } finally {
      await redis.close();
    }
  });
});
