/** Runs the SampleJournal contract on Redis (two connections, like two hub instances), and checks what keeps its memory bounded. */
import type { Sample } from "@statusmonitor/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeSampleJournalContract } from "../../ingest/sample-journal.contract.js";
import { openRedisFixture, type RedisFixture } from "../../test-support/redis-fixture.js";
import { RedisSampleJournal, type RedisSampleJournalOptions } from "./sample-journal.js";

const HOUR = 3600_000;

describeSampleJournalContract("redis", async () => {
  const redis = await openRedisFixture();
  let agents = 0;
  return {
    journal: new RedisSampleJournal(redis.redis, redis.keyPrefix),
    peer: new RedisSampleJournal(await redis.connect(), redis.keyPrefix),
    traits: { concurrentDuplicate: "published at least once", afterRejectedPublish: "new again" },
    createAgent: async () => (agents += 1),
    close: () => redis.close(),
  };
});

describe("RedisSampleJournal memory", () => {
  const AGENT = 7;
  const WINDOW = 15 * 60_000;
  const R0 = Date.UTC(2026, 2, 10, 10, 0, 0);
  let redis: RedisFixture;
  const publish = async () => {};
  const sampleAt = (timestamp: number): Sample => ({ agent_id: AGENT, timestamp });
  const journalWith = (options: RedisSampleJournalOptions = {}) => new RedisSampleJournal(redis.redis, redis.keyPrefix, options);
  beforeEach(async () => {
    redis = await openRedisFixture();
  });
  afterEach(() => redis.close());

  it("forgets timestamps received longer than the window ago, so their re-sends are published again", async () => {
    const journal = journalWith({ dedupeWindowMs: WINDOW });
    await journal.append(AGENT, [sampleAt(1)], R0, publish);
    await journal.append(AGENT, [sampleAt(2)], R0 + 1, publish);
    expect(await journal.append(AGENT, [sampleAt(1), sampleAt(2)], R0 + WINDOW, publish)).toEqual([]);
    // An arrival a window after the first one trims it, and only it.
    await journal.append(AGENT, [sampleAt(3)], R0 + WINDOW + 1, publish);
    expect(await journal.append(AGENT, [sampleAt(1), sampleAt(2)], R0 + WINDOW + 1, publish)).toEqual([sampleAt(1)]);
  });

  it("remembers a bounded number of timestamps per agent, the most recent arrivals", async () => {
    const journal = journalWith({ maxRememberedPerAgent: 3 });
    for (let i = 1; i <= 4; i++) await journal.append(AGENT, [sampleAt(i)], R0 + i, publish);
    expect(await redis.redis.zcard(`${redis.keyPrefix}journal:agent:{${AGENT}}:seen`)).toBe(3);
    expect(await journal.append(AGENT, [sampleAt(1), sampleAt(2)], R0 + 5, publish)).toEqual([sampleAt(1)]);
  });

  it("lets both of an agent's keys expire: the seen timestamps with the window, the newest sample after its retention", async () => {
    const journal = journalWith({ dedupeWindowMs: WINDOW, newestRetentionMs: HOUR });
    await journal.append(AGENT, [sampleAt(1)], R0, publish);
    const keys = (await redis.keys()).sort();
    expect(keys).toEqual([`${redis.keyPrefix}journal:agent:{${AGENT}}:newest`, `${redis.keyPrefix}journal:agent:{${AGENT}}:seen`]);
    const [newestTtl, seenTtl] = await Promise.all(keys.map((key) => redis.redis.pttl(key)));
    expect(seenTtl).toBeGreaterThan(WINDOW - 60_000);
    expect(seenTtl).toBeLessThanOrEqual(WINDOW);
    expect(newestTtl).toBeGreaterThan(HOUR - 60_000);
    expect(newestTtl).toBeLessThanOrEqual(HOUR);
  });

  it("has nothing to prune", async () => {
    const journal = journalWith();
    await journal.append(AGENT, [sampleAt(1)], R0, publish);
    expect(await journal.prune(Number.MAX_SAFE_INTEGER, 1000)).toBe(0);
    expect(await journal.newest(AGENT)).toEqual(sampleAt(1));
  });
});
