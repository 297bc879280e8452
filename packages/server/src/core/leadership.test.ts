/** Leadership over the cache's leases: one holder runs the services, a standby takes over when it stops or loses the lease. */
import { describe, expect, it } from "vitest";
import { MemoryCache } from "../adapters/memory/cache.js";
import { ManualClock } from "./clock.js";
import { leadership, type LeadershipOptions } from "./leadership.js";
import { createLogger } from "./logger.js";
import type { Service } from "./run-group.js";

const TTL = 10_000;

function candidate(owner: string, cache: MemoryCache, log: string[]) {
  // Renewal is driven by campaignNow() here; the timer is set far beyond the test.
  const options: LeadershipOptions = { lease: "leader:test", owner, cache, ttlMs: TTL, renewEveryMs: 3600_000, stopTimeoutMs: 1_000, logger: createLogger({ level: "silent" }) };
  const services = (): Service[] => [{ name: "work", start: () => void log.push(`${owner} start`), stop: () => void log.push(`${owner} stop`) }];
  return leadership("test", options, services);
}

describe("leadership", () => {
  it("runs the services in the first candidate only; the second stands by", async () => {
    const cache = new MemoryCache(new ManualClock(0));
    const log: string[] = [];
    const a = candidate("a", cache, log);
    const b = candidate("b", cache, log);
    await a.start();
    await b.start();
    await b.campaignNow();
    expect([a.leading, b.leading]).toEqual([true, false]);
    expect(log).toEqual(["a start"]);
    await a.stop();
    await b.stop();
  });

  it("hands over when the holder stops: it releases the lease and the standby's next step wins", async () => {
    const cache = new MemoryCache(new ManualClock(0));
    const log: string[] = [];
    const a = candidate("a", cache, log);
    const b = candidate("b", cache, log);
    await a.start();
    await b.start();
    await a.stop();
    await b.campaignNow();
    expect(b.leading).toBe(true);
    expect(log).toEqual(["a start", "a stop", "b start"]);
    await b.stop();
  });

  it("hands over after a crashed holder's lease expires, and the holder renews in time to keep it", async () => {
    const clock = new ManualClock(0);
    const cache = new MemoryCache(clock);
    const log: string[] = [];
    const renewing = candidate("renewing", cache, log);
    const standby = candidate("standby", cache, log);
    await renewing.start();
    await standby.start();
    for (let i = 0; i < 5; i += 1) {
      clock.advance(TTL / 2);
      await renewing.campaignNow();
      await standby.campaignNow();
    }
    expect([renewing.leading, standby.leading]).toEqual([true, false]);
    // The holder "crashes": it never renews again. Within one lease lifetime the standby leads.
    clock.advance(TTL + 1);
    await standby.campaignNow();
    expect(standby.leading).toBe(true);
    await standby.stop();
  });

  it("stops the services when another process holds the lease at renewal, and does not release that lease", async () => {
    const clock = new ManualClock(0);
    const cache = new MemoryCache(clock);
    const log: string[] = [];
    const a = candidate("a", cache, log);
    await a.start();
    clock.advance(TTL + 1);
    expect(await cache.claim("leader:test", "intruder", TTL)).toBe(true);
    await a.campaignNow();
    expect(a.leading).toBe(false);
    expect(log).toEqual(["a start", "a stop"]);
    expect(await cache.claim("leader:test", "someone-else", TTL)).toBe(false);
    await a.stop();
  });
});
