/**
 * The runtime tier table: the protocol's tier table with the configured retentions and the chunk
 * window each tier is stored in. The writer, the rollup job, retention and the query router read it.
 */
import { HISTORY_TIERS, type TierName } from "@statusmonitor/protocol";

export interface Tier {
  name: TierName;
  /** Bucket width; the raw tier's is the finest interval a query may ask for. */
  resolutionMs: number;
  retentionMs: number;
  /** Each stored chunk covers one aligned window of this length for one agent. */
  chunkMs: number;
}

/** Raw chunks hold 5 minutes, 1m chunks an hour (60 buckets), 1h chunks a day (24 buckets). */
const CHUNK_MS: Record<TierName, number> = { raw: 300_000, "1m": 3_600_000, "1h": 86_400_000 };
/** The raw tier keeps every sample; bucketing never goes finer than one second. */
const RAW_RESOLUTION_MS = 1000;

export type Retentions = Record<TierName, number>;

export function resolveTiers(retentionMs: Partial<Retentions> = {}): Tier[] {
  return HISTORY_TIERS.map((t) => ({
    name: t.name,
    resolutionMs: t.resolution_ms ?? RAW_RESOLUTION_MS,
    retentionMs: retentionMs[t.name] ?? t.retention_ms,
    chunkMs: CHUNK_MS[t.name],
  }));
}

export function tierNamed(tiers: readonly Tier[], name: TierName): Tier {
  const tier = tiers.find((t) => t.name === name);
  if (!tier) throw new Error(`unknown history tier ${name}`);
  return tier;
}

export const windowStart = (t: number, chunkMs: number): number => Math.floor(t / chunkMs) * chunkMs;
