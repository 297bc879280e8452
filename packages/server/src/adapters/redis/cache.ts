/**
 * Redis implementation of the Cache port, shared by every hub instance: plain commands where one is
 * atomic on its own (SET PX, GETDEL), Lua scripts where a step reads before it writes.
 */
import type { Redis } from "ioredis";
import type { Cache } from "../../core/cache.js";
import { LuaScript } from "./lua-script.js";

/** INCR creates a key without expiry, so a counter without one is new: its window starts now. */
const INCREMENT = new LuaScript(`
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`);

const COUNT = new LuaScript(`
local count = redis.call('GET', KEYS[1])
if not count then return {0, 0} end
return {tonumber(count), math.max(redis.call('PTTL', KEYS[1]), 0)}
`);

const CLAIM = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`);

/** Redis expiries are whole, positive milliseconds. */
const wholeMs = (ms: number) => Math.max(1, Math.ceil(ms));

export class RedisCache implements Cache {
  /** `keyPrefix` keeps this cache's keys apart from others on the same server (other deployments, tests). */
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.keyPrefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.keyPrefix + key, value, "PX", wholeMs(ttlMs));
  }

  async take(key: string): Promise<string | undefined> {
    return (await this.redis.getdel(this.keyPrefix + key)) ?? undefined;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.keyPrefix + key);
  }

  async increment(key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const [count, resetInMs] = (await INCREMENT.run(this.redis, [this.keyPrefix + key], [wholeMs(windowMs)])) as [number, number];
    return { count, resetInMs };
  }

  async count(key: string): Promise<{ count: number; resetInMs: number }> {
    const [count, resetInMs] = (await COUNT.run(this.redis, [this.keyPrefix + key], [])) as [number, number];
    return { count, resetInMs };
  }

  async claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await CLAIM.run(this.redis, [this.keyPrefix + key], [owner, wholeMs(ttlMs)])) === 1;
  }

  async release(key: string, owner: string): Promise<void> {
    await RELEASE.run(this.redis, [this.keyPrefix + key], [owner]);
  }
}
