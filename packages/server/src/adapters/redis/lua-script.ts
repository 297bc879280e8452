/** A Lua script Redis runs atomically, sent by its SHA-1 digest and in full only when the server does not know it yet. */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      // The script cache is empty after a restart or SCRIPT FLUSH: EVAL sends the source and loads it again.
      if (!(err instanceof Error && err.message.startsWith("NOSCRIPT"))) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
