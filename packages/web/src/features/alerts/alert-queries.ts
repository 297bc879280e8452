/** Queries and mutations of the alerts API: rules (with an optimistic enable switch), channels and the event log. */
import type { AlertChannels, AlertChannelsInput, AlertEvent, AlertRule, ChannelName } from "@statusmonitor/protocol";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../auth/auth-context";
import { eventsQuery, type EventFilters } from "./event-filters";
import type { RuleBody } from "./rule-form";

const BASE = "/api/v1/alerts";
/** The log refreshes itself this often, so a firing shows up without a click. */
export const EVENTS_REFRESH_MS = 10_000;

export const alertKeys = {
  all: ["alerts"] as const,
  rules: ["alerts", "rules"] as const,
  channels: ["alerts", "channels"] as const,
  events: ["alerts", "events"] as const,
  eventPage: (filters: EventFilters) => ["alerts", "events", filters] as const,
};

export function useAlertRules() {
  const api = useApi();
  return useQuery({ queryKey: alertKeys.rules, queryFn: ({ signal }) => api.get<AlertRule[]>(`${BASE}/rules`, undefined, signal) });
}

export function useSaveRule() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: RuleBody }) =>
      id === null ? api.post<AlertRule>(`${BASE}/rules`, body) : api.patch<AlertRule>(`${BASE}/rules/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.rules }),
  });
}

/** Flips the switch at once and puts it back if the hub refuses, so the table never lies for long. */
export function useToggleRule() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: number; enabled: boolean }) => api.patch<AlertRule>(`${BASE}/rules/${id}`, { enabled }),
    onMutate: async ({ id, enabled }) => {
      await queryClient.cancelQueries({ queryKey: alertKeys.rules });
      const before = queryClient.getQueryData<AlertRule[]>(alertKeys.rules);
      queryClient.setQueryData<AlertRule[]>(alertKeys.rules, (rules) => rules?.map((rule) => (rule.id === id ? { ...rule, enabled } : rule)));
      return { before };
    },
    onError: (_error, _vars, context) => {
      if (context?.before) queryClient.setQueryData(alertKeys.rules, context.before);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: alertKeys.rules }),
  });
}

export function useDeleteRule() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`${BASE}/rules/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.rules }),
  });
}

export function useAlertChannels() {
  const api = useApi();
  return useQuery({ queryKey: alertKeys.channels, queryFn: ({ signal }) => api.get<AlertChannels>(`${BASE}/channels`, undefined, signal) });
}

export function useSaveChannels() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AlertChannelsInput) => api.put<AlertChannels>(`${BASE}/channels`, input),
    onSuccess: (saved) => queryClient.setQueryData(alertKeys.channels, saved),
  });
}

export type ChannelTestResults = { results: { channel: ChannelName; ok: boolean; error?: string }[] };

/** Tests the settings as they are in the form (saved or not); the hub sends with them without storing them. */
export function useTestChannels() {
  const api = useApi();
  return useMutation({ mutationFn: (input: AlertChannelsInput) => api.post<ChannelTestResults>(`${BASE}/channels/test`, input) });
}

export function useAlertEvents(filters: EventFilters) {
  const api = useApi();
  return useQuery({
    queryKey: alertKeys.eventPage(filters),
    queryFn: ({ signal }) => api.get<{ total: number; items: AlertEvent[] }>(`${BASE}/events`, eventsQuery(filters), signal),
    refetchInterval: EVENTS_REFRESH_MS,
    // Keep the old page on screen while the next one loads, so paging does not flash a spinner.
    placeholderData: keepPreviousData,
  });
}

export function useClearEvents() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<{ removed: number }>(`${BASE}/events`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.events }),
  });
}
