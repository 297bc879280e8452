/**
 * History queries: checks ownership, routes a range to a tier, reads the wanted series and buckets
 * them (avg with min and max per point; counters show their newest value), and summarizes cpu,
 * memory and disk over a range, count-weighted whichever tier answers.
 */
import type { HistoryMetric, HistoryQuery, HistoryResponse, HistorySummary, HistorySummaryQuery } from "@statusmonitor/protocol";
import type { AgentsService } from "../agents/service.js";
import type { Clock } from "../core/clock.js";
import type { HistoryStore } from "./ports.js";
import { ROLLUP_BATCH_MS } from "./jobs.js";
import { formatInterval, pickTier, planQuery } from "./query-plan.js";
import { readSeries, type SeriesBuckets } from "./reader.js";
import { bucketStart, rollupBuckets, summarize, type Bucket } from "./rollup.js";
import { decimalsOf, describeKey, kindOf, keyFilter, parseSeriesKey, roundTo, seriesKey } from "./series.js";
import type { Tier } from "./tiers.js";
import { parseTimeRange, type TimeRange } from "./time-range.js";
import type { HistoryWriter } from "./writer.js";

const byNaturalOrder = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });
/** Totals first, then per-core series, then per-disk / per-interface ones grouped by label; fields naturally ordered. */
const seriesRank = (key: string) => {
  const { field, label } = parseSeriesKey(key);
  return label !== undefined ? 2 : field.startsWith("core.") ? 1 : 0;
};
const bySeriesOrder = (a: string, b: string) => {
  const [pa, pb] = [parseSeriesKey(a), parseSeriesKey(b)];
  return seriesRank(a) - seriesRank(b) || byNaturalOrder(pa.label ?? "", pb.label ?? "") || byNaturalOrder(pa.field, pb.field);
};
/** Mountpoints the disk summary prefers when the caller names none. */
const SYSTEM_MOUNTPOINTS = ["/", "C:\\"];
/**
 * How far behind `now` the rollup job may be: a minute closes, waits 5 s, waits for its batch
 * (ROLLUP_BATCH_MS) and for the next 10 s run; the rest is margin.
 */
const ROLLUP_LAG_MS = ROLLUP_BATCH_MS + 90_000;

export class HistoryService {
  constructor(
    private readonly o: {
      store: HistoryStore;
      tiers: readonly Tier[];
      agents: AgentsService;
      clock: Clock;
      /** The in-process writer, when this process runs it: flushed first so raw reads see every sample. */
      writer?: HistoryWriter;
    },
  ) {}

  async query(userId: number, agentId: number, metric: HistoryMetric, query: HistoryQuery): Promise<HistoryResponse> {
    await this.o.agents.get(userId, agentId);
    const now = this.o.clock.now();
    const range = parseTimeRange(query, now);
    const plan = planQuery(this.o.tiers, range, now, query.interval);
    const wanted = keyFilter(metric, { mountpoint: query.mountpoint, interface: query.interface });
    const stored = await this.read(agentId, plan.tier, range, wanted, now, plan.intervalMs);
    const series = [...stored.keys()].sort(bySeriesOrder).map((key) => {
      const kind = kindOf(key);
      const decimals = decimalsOf(key) + 1;
      return {
        ...describeKey(key),
        kind,
        points: stored.get(key)!.map((b) => ({
          t: b.start,
          v: kind === "counter" ? b.max : roundTo(b.avg, decimals),
          min: b.min,
          max: b.max,
        })),
      };
    });
    return {
      agent_id: agentId,
      metric,
      tier: plan.tier.name,
      interval: formatInterval(plan.intervalMs),
      start: range.start,
      stop: range.stop,
      series,
    };
  }

  async summary(userId: number, agentId: number, query: HistorySummaryQuery): Promise<HistorySummary> {
    await this.o.agents.get(userId, agentId);
    const now = this.o.clock.now();
    const range = parseTimeRange(query, now);
    const tier = pickTier(this.o.tiers, range.start, now);
    const cpuKey = seriesKey("cpu", "usage");
    const memoryKey = seriesKey("mem", "used_percent");
    const isDiskUsage = (key: string) => {
      const { group, field, label } = parseSeriesKey(key);
      return group === "disk" && field === "used_percent" && (query.mountpoint === undefined || label === query.mountpoint);
    };
    const stored = await this.read(agentId, tier, range, (key) => key === cpuKey || key === memoryKey || isDiskUsage(key), now);
    const mountpoints = [...stored.keys()].filter(isDiskUsage).map((key) => parseSeriesKey(key).label!);
    const mountpoint = query.mountpoint ?? SYSTEM_MOUNTPOINTS.find((m) => mountpoints.includes(m)) ?? mountpoints.sort(byNaturalOrder)[0] ?? null;
    return {
      agent_id: agentId,
      tier: tier.name,
      start: range.start,
      stop: range.stop,
      cpu: stats(stored.get(cpuKey)),
      memory: stats(stored.get(memoryKey)),
      disk: { ...stats(mountpoint === null ? undefined : stored.get(seriesKey("disk", "used_percent", mountpoint))), mountpoint },
    };
  }

  /**
   * Reads a tier; its newest stretch, which the rollup job may not have reached yet (the minute
   * still open, the one just closed), comes from the next finer tier, so a range never ends in a hole.
   */
  private async read(
    agentId: number,
    tier: Tier,
    range: TimeRange,
    wanted: (key: string) => boolean,
    now: number,
    intervalMs?: number,
  ): Promise<SeriesBuckets> {
    if (tier.name === "raw") await this.o.writer?.flush(agentId);
    const finer = this.o.tiers[this.o.tiers.indexOf(tier) - 1];
    const cut = bucketStart(now - tier.resolutionMs - ROLLUP_LAG_MS, tier.resolutionMs);
    if (!finer || cut > range.stop) return readSeries(this.o.store, agentId, tier, range, wanted, intervalMs);
    const [older, recent] = await Promise.all([
      cut > range.start ? readSeries(this.o.store, agentId, tier, { start: range.start, stop: cut - 1 }, wanted, intervalMs) : new Map<string, Bucket[]>(),
      this.read(agentId, finer, { start: Math.max(range.start, cut), stop: range.stop }, wanted, now, intervalMs),
    ]);
    for (const [key, buckets] of recent) {
      const joined = [...(older.get(key) ?? []), ...buckets];
      // An interval bucket that spans the cut has a part on each side.
      older.set(key, intervalMs === undefined ? joined : rollupBuckets(joined, intervalMs));
    }
    return older;
  }
}

function stats(buckets: readonly Bucket[] | undefined) {
  const summary = summarize(buckets ?? []);
  const last = buckets && buckets.length > 0 ? buckets[buckets.length - 1]!.avg : null;
  return { ...summary, last };
}
