/**
 * The history tier table: one row per storage tier. The history writer, the retention job and the
 * query router all read this table, so changing a resolution or retention happens here only.
 */
export const HISTORY_TIERS = [
  { name: "raw", resolution_ms: null, retention_ms: 24 * 3600_000, stores: ["value"] },
  { name: "1m", resolution_ms: 60_000, retention_ms: 7 * 24 * 3600_000, stores: ["avg", "min", "max", "count"] },
  { name: "1h", resolution_ms: 3600_000, retention_ms: 365 * 24 * 3600_000, stores: ["avg", "min", "max", "count"] },
] as const;

export type TierName = (typeof HISTORY_TIERS)[number]["name"];
export const TIER_NAMES = HISTORY_TIERS.map((t) => t.name) as [TierName, ...TierName[]];
/** The longest range a history query may ask for. */
export const MAX_HISTORY_RANGE_MS = 365 * 24 * 3600_000;
/** Most points returned per series by one history query. */
export const MAX_POINTS_PER_SERIES = 1500;
