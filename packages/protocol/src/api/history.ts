/** Query parameters and bodies of the history endpoints (served by the history capability). */
import { z } from "zod";
import { epochMs, positiveId } from "../primitives.js";
import { TIER_NAMES } from "../tiers.js";

/** `-30s`, `-5m`, `-24h`, `-7d`, `-2w`, `-3mo`, `-1y`. */
export const RELATIVE_DURATION_PATTERN = /^-(\d{1,9})(s|m|h|d|w|mo|y)$/;
export const historyMetric = z.enum(["cpu", "memory", "disk", "network", "load"]);
export const historyQuery = z.object({
  start: z.string().max(64).default("-1h"),
  stop: z.string().max(64).default("now()"),
  interval: z.string().max(16).optional(),
  /** Disk usage of one mountpoint only (any path: spaces, dots, `C:\\`). */
  mountpoint: z.string().min(1).max(4096).optional(),
  /** Network series of one interface only. */
  interface: z.string().min(1).max(64).optional(),
});
/** The summary's query: the same range (24 h by default, like the original) and an optional mountpoint. */
export const historySummaryQuery = historyQuery.pick({ stop: true, mountpoint: true }).extend({
  start: z.string().max(64).default("-24h"),
});
export const historyPoint = z.object({
  t: epochMs,
  v: z.number().nullable(),
  min: z.number().optional(),
  max: z.number().optional(),
});
export const historySeries = z.object({
  name: z.string(),
  /** `{mountpoint}` for per-disk series, `{interface}` for per-interface network series. */
  labels: z.record(z.string(), z.string()).optional(),
  /** `gauge` points are bucket averages; `counter` points are the newest cumulative value in the bucket. */
  kind: z.enum(["gauge", "counter"]),
  points: z.array(historyPoint),
});
export const historyResponse = z.object({
  agent_id: positiveId,
  metric: historyMetric,
  tier: z.enum(TIER_NAMES),
  /** Bucket width actually used, e.g. `1s`, `1m`, `1h`; each point's `t` is its bucket's start. */
  interval: z.string(),
  start: epochMs,
  stop: epochMs,
  series: z.array(historySeries),
});
const summaryStats = z.object({
  avg: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  last: z.number().nullable(),
  count: z.number().int().min(0),
});
export const historySummary = z.object({
  agent_id: positiveId,
  tier: z.enum(TIER_NAMES),
  start: epochMs,
  stop: epochMs,
  cpu: summaryStats,
  memory: summaryStats,
  /** Used percent of `mountpoint`: the one asked for, else `/` or `C:\\`, else the first one stored. */
  disk: summaryStats.extend({ mountpoint: z.string().nullable() }),
});
export type HistoryMetric = z.infer<typeof historyMetric>;
export type HistoryQuery = z.infer<typeof historyQuery>;
export type HistorySummaryQuery = z.infer<typeof historySummaryQuery>;
export type HistoryResponse = z.infer<typeof historyResponse>;
export type HistorySummary = z.infer<typeof historySummary>;
