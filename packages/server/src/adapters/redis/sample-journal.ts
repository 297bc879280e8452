/**
 * Redis implementation of the SampleJournal port for the distributed preset, where the durable copy
 * of every sample is the bus (Kafka): Redis only remembers which timestamps each agent had accepted
 * recently, to drop an agent's re-sends, and each agent's newest sample.
 *
 * An append finds the samples not seen before, awaits `publish(fresh)`, and only then records them
 * as seen, so a publish interrupted by a crash or a bus outage leaves them new for the agent's retry.
 * The price is "at least once": two appends of one sample racing each other (on any instances) may
 * both publish it, as may a retry after a crash between publish and record, and a re-send arriving
 * after the de-duplication window is published again. The bus itself delivers at least once
 * (core/bus.ts), so every consumer is idempotent already: a repeat costs a little work, never a wrong
 * result.
 *
 * Memory stays bounded: per agent, the timestamps accepted in the window (at most a fixed number,
 * the key expiring with the window) and one newest sample (expiring after a silence).
 */
import type { Sample } from "@statusmonitor/protocol";
import type { Redis } from "ioredis";
import type { SampleJournal } from "../../ingest/ports.js";
import { LuaScript } from "./lua-script.js";

export interface RedisSampleJournalOptions {
  /** How long after its arrival an accepted timestamp is still recognised as a duplicate. */
  dedupeWindowMs?: number;
  /** Timestamps remembered per agent at most, however many arrive in the window. */
  maxRememberedPerAgent?: number;
  /** How long an agent's newest sample is kept after the last accepted one (the SQLite journal's retention plays this part there). */
  newestRetentionMs?: number;
}

/** An agent retries a failed request within seconds; a quarter of an hour also covers re-sends after a short outage. */
const DEDUPE_WINDOW_MS = 15 * 60_000;
/** A sample every second for the whole window would still fit, with room for a back-fill burst. */
const MAX_REMEMBERED_PER_AGENT = 10_000;
/** Long enough to outlast any outage an agent rides out with its buffer; then its first sample simply has no predecessor. */
const NEWEST_RETENTION_MS = 24 * 3600_000;

/**
 * Records published samples as seen and keeps the newest, atomically so that instances appending for
 * one agent at once can neither lose a timestamp nor put back an older newest sample.
 * KEYS: seen (sorted set: timestamp scored by arrival), newest (hash: ts, sample).
 * ARGV: receivedAt, window, max remembered, newest retention, newest ts, newest JSON, timestamps...
 */
const RECORD = new LuaScript(`
local receivedAt = tonumber(ARGV[1])
for i = 7, #ARGV do
  redis.call('ZADD', KEYS[1], receivedAt, ARGV[i])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (receivedAt - tonumber(ARGV[2])))
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local newest = redis.call('HGET', KEYS[2], 'ts')
if not newest or tonumber(newest) < tonumber(ARGV[5]) then
  redis.call('HSET', KEYS[2], 'ts', ARGV[5], 'sample', ARGV[6])
end
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 0
`);

/** The first sample of each timestamp, in order: a batch that repeats itself counts once, as in SQLite. */
function firstPerTimestamp(samples: Sample[]): Sample[] {
  const seen = new Set<number>();
  return samples.filter((s) => {
    if (seen.has(s.timestamp)) return false;
    seen.add(s.timestamp);
    return true;
  });
}

function newestOf(samples: Sample[]): Sample {
  return samples.reduce((newest, s) => (s.timestamp > newest.timestamp ? s : newest));
}

export class RedisSampleJournal implements SampleJournal {
  private readonly dedupeWindowMs: number;
  private readonly maxRememberedPerAgent: number;
  private readonly newestRetentionMs: number;

  /** `keyPrefix` keeps the keys apart from other deployments (and tests) on the same server; the journal's own start with `journal:`. */
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    options: RedisSampleJournalOptions = {},
  ) {
    this.dedupeWindowMs = options.dedupeWindowMs ?? DEDUPE_WINDOW_MS;
    this.maxRememberedPerAgent = options.maxRememberedPerAgent ?? MAX_REMEMBERED_PER_AGENT;
    this.newestRetentionMs = options.newestRetentionMs ?? NEWEST_RETENTION_MS;
  }

  async append(agentId: number, samples: Sample[], receivedAt: number, publish: (fresh: Sample[]) => Promise<void>): Promise<Sample[]> {
    const candidates = firstPerTimestamp(samples);
    if (candidates.length === 0) return [];
    const keys = this.keysOf(agentId);
    const scores = await this.redis.zmscore(keys.seen, ...candidates.map((s) => s.timestamp));
    const fresh = candidates.filter((_, i) => scores[i] === null);
    if (fresh.length === 0) return [];
    await publish(fresh);
    const newest = newestOf(fresh);
    await RECORD.run(
      this.redis,
      [keys.seen, keys.newest],
      [
        receivedAt,
        this.dedupeWindowMs,
        this.maxRememberedPerAgent,
        this.newestRetentionMs,
        newest.timestamp,
        JSON.stringify(newest),
        ...fresh.map((s) => s.timestamp),
      ],
    );
    return fresh;
  }

  async newest(agentId: number): Promise<Sample | undefined> {
    const body = await this.redis.hget(this.keysOf(agentId).newest, "sample");
    return body === null ? undefined : (JSON.parse(body) as Sample);
  }

  /** Nothing to prune: the samples themselves live on the bus (its retention ages them out) and Redis's keys expire on their own. */
  async prune(_receivedBefore: number, _maxRows: number): Promise<number> {
    return 0;
  }

  /** The braces make both keys of an agent one Redis Cluster hash slot, which a script touching both needs. */
  private keysOf(agentId: number): { seen: string; newest: string } {
    const agent = `${this.keyPrefix}journal:agent:{${agentId}}`;
    return { seen: `${agent}:seen`, newest: `${agent}:newest` };
  }
}
