/** The history tab's queries: one per metric plus the summary, keeping the last answer on screen while a new range loads. */
import type { HistoryMetric, HistoryResponse, HistorySummary } from "@statusmonitor/protocol";
import { useQuery, type QueryKey } from "@tanstack/react-query";
import { useApi } from "../auth/auth-context";

export interface ApiRange {
  start: string;
  stop: string;
}

export const historyKeys = {
  agent: (agentId: number) => ["history", agentId] as const,
  metric: (agentId: number, metric: HistoryMetric, range: ApiRange) => ["history", agentId, metric, range.start, range.stop] as const,
  summary: (agentId: number, range: ApiRange) => ["history", agentId, "summary", range.start, range.stop] as const,
};

/**
 * Keeps the previous range's data while the next loads (shown dimmed), but never another agent's:
 * the placeholder is only taken from a query of the same agent.
 */
function sameAgent<T>(agentId: number, previous: T | undefined, previousQuery: { queryKey: QueryKey } | undefined): T | undefined {
  return previousQuery?.queryKey[1] === agentId ? previous : undefined;
}

/**
 * One metric's history. The tab calls this once per metric rather than through useQueries: a
 * changed key there gets a fresh observer, which loses the previous answer the placeholder keeps.
 */
export function useHistoryMetric(agentId: number, metric: HistoryMetric, range: ApiRange) {
  const api = useApi();
  return useQuery<HistoryResponse>({
    queryKey: historyKeys.metric(agentId, metric, range),
    queryFn: ({ signal }) => api.get<HistoryResponse>(`/api/v1/agents/${agentId}/history/${metric}`, { start: range.start, stop: range.stop }, signal),
    placeholderData: (previous, previousQuery) => sameAgent(agentId, previous, previousQuery),
    // A relative range ("-24h") means something new every minute; a new answer comes with Refresh or a revisit.
    staleTime: 30_000,
  });
}

export function useHistorySummary(agentId: number, range: ApiRange) {
  const api = useApi();
  return useQuery<HistorySummary>({
    queryKey: historyKeys.summary(agentId, range),
    queryFn: ({ signal }) => api.get<HistorySummary>(`/api/v1/agents/${agentId}/history/summary`, { start: range.start, stop: range.stop }, signal),
    placeholderData: (previous, previousQuery) => sameAgent(agentId, previous, previousQuery),
    staleTime: 30_000,
  });
}
