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
  mountpoint: z.string().max(4096).optional(),
});
export const historyPoint = z.object({
  t: epochMs,
  v: z.number().nullable(),
  min: z.number().optional(),
  max: z.number().optional(),
});
export const historySeries = z.object({ name: z.string(), points: z.array(historyPoint) });
export const historyResponse = z.object({
  agent_id: positiveId,
  metric: historyMetric,
  tier: z.enum(TIER_NAMES),
  /** Bucket width actually used, e.g. `1s`, `1m`, `1h`. */
  interval: z.string(),
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
  cpu: summaryStats,
  memory: summaryStats,
  disk: summaryStats,
});
export type HistoryMetric = z.infer<typeof historyMetric>;
export type HistoryQuery = z.infer<typeof historyQuery>;
export type HistoryResponse = z.infer<typeof historyResponse>;
export type HistorySummary = z.infer<typeof historySummary>;
