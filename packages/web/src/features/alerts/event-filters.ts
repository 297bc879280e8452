/**
 * The event log's filters, sort and page as they live in the address bar (so a reload or a shared
 * link keeps them) and as the query of GET /api/v1/alerts/events.
 */
import type { AlertMetric } from "@statusmonitor/protocol";
import { ALERT_METRICS } from "./alert-metrics";

export type EventState = "firing" | "resolved";
export type EventSort = "newest" | "oldest";
export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const EVENT_STATES: readonly EventState[] = ["firing", "resolved"];

export interface EventFilters {
  agentId: number | null;
  metric: AlertMetric | null;
  state: EventState | null;
  sort: EventSort;
  limit: PageSize;
  offset: number;
}

export const DEFAULT_EVENT_FILTERS: EventFilters = { agentId: null, metric: null, state: null, sort: "newest", limit: 25, offset: 0 };

/** Where each filter sits in the address bar: the API's own names, so the URL reads like the request. */
const KEYS = { agentId: "agent_id", metric: "metric", state: "state", sort: "sort", limit: "limit", offset: "offset" } as const;

const oneOf = <T extends string | number>(options: readonly T[], value: unknown): T | null => (options.includes(value as T) ? (value as T) : null);

/** A non-negative integer from the URL, or null for anything else ("", "-1", "2.5", "1e3"). */
function wholeNumber(text: string | null, min: number): number | null {
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  const value = Number(text);
  return value >= min ? value : null;
}

/** Reads the filters from the URL; a value that is not valid (hand-edited, from an older version) falls back to its default. */
export function filtersFromSearch(params: URLSearchParams): EventFilters {
  const limit = oneOf(PAGE_SIZES, wholeNumber(params.get(KEYS.limit), 1)) ?? DEFAULT_EVENT_FILTERS.limit;
  const offset = wholeNumber(params.get(KEYS.offset), 0) ?? 0;
  return {
    agentId: wholeNumber(params.get(KEYS.agentId), 1),
    metric: oneOf(ALERT_METRICS, params.get(KEYS.metric)),
    state: oneOf(EVENT_STATES, params.get(KEYS.state)),
    sort: oneOf<EventSort>(["newest", "oldest"], params.get(KEYS.sort)) ?? "newest",
    limit,
    // Pages start on a multiple of the page size, so "next" and "previous" stay aligned.
    offset: offset - (offset % limit),
  };
}

/** The URL form of the filters, defaults left out so the plain /alerts stays plain. */
export function filtersToSearch(filters: EventFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.agentId !== null) params.set(KEYS.agentId, String(filters.agentId));
  if (filters.metric !== null) params.set(KEYS.metric, filters.metric);
  if (filters.state !== null) params.set(KEYS.state, filters.state);
  if (filters.sort !== DEFAULT_EVENT_FILTERS.sort) params.set(KEYS.sort, filters.sort);
  if (filters.limit !== DEFAULT_EVENT_FILTERS.limit) params.set(KEYS.limit, String(filters.limit));
  if (filters.offset > 0) params.set(KEYS.offset, String(filters.offset));
  return params;
}

/** The query string of GET /api/v1/alerts/events. */
export function eventsQuery(filters: EventFilters): Record<string, string | number | undefined> {
  return {
    agent_id: filters.agentId ?? undefined,
    metric: filters.metric ?? undefined,
    state: filters.state ?? undefined,
    sort: filters.sort,
    limit: filters.limit,
    offset: filters.offset,
  };
}

/** A changed filter, sort or page size starts again at the first page; only `offset` itself moves between pages. */
export function changeFilters(current: EventFilters, change: Partial<Omit<EventFilters, "offset">>): EventFilters {
  return { ...current, ...change, offset: 0 };
}
