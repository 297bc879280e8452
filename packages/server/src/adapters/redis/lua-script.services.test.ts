/** A Lua script runs on a server that has never seen it (sent in full, which loads it) and then by its digest. */
import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import { openRedisFixture } from "../../test-support/redis-fixture.js";
import { uniqueTestName } from "../../test-support/services.js";
import { LuaScript } from "./lua-script.js";

it("sends the source when the server does not know the script, and it is known afterwards", async () => {
  const redis = await openRedisFixture();
  try {
    // A source no server has loaded yet, so the first run meets NOSCRIPT without flushing the shared server's scripts.
    const source = `-- ${uniqueTestName("script")}\nreturn redis.call('INCR', KEYS[1]) + tonumber(ARGV[1])`;
    const digest = createHash("sha1").update(source).digest("hex");
    const script = new LuaScript(source);
    expect(await redis.redis.script("EXISTS", digest)).toEqual([0]);
    expect(await script.run(redis.redis, [`${redis.keyPrefix}n`], [10])).toBe(11);
    expect(await redis.redis.script("EXISTS", digest)).toEqual([1]);
    expect(await script.run(redis.redis, [`${redis.keyPrefix}n`], [10])).toBe(12);
  } finally {
    await redis.close();
  }
});
