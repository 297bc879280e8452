/** Queries and mutations of agents, shared by every page that lists or shows them. */
import type { Agent, AgentWithToken } from "@statusmonitor/protocol";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../auth/auth-context";

export const agentKeys = {
  all: ["agents"] as const,
  one: (id: number) => ["agents", id] as const,
};

/** The caller's agents; polled so status dots and "last seen" stay current without a live socket. */
export function useAgents() {
  const api = useApi();
  return useQuery({
    queryKey: agentKeys.all,
    queryFn: ({ signal }) => api.get<Agent[]>("/api/v1/agents", undefined, signal),
    refetchInterval: 10_000,
  });
}

export function useAgent(id: number) {
  const api = useApi();
  return useQuery({
    queryKey: agentKeys.one(id),
    queryFn: ({ signal }) => api.get<Agent>(`/api/v1/agents/${id}`, undefined, signal),
    refetchInterval: 15_000,
  });
}

export function useCreateAgent() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.post<AgentWithToken>("/api/v1/agents", { name }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: agentKeys.all }),
  });
}

export function useRegenerateToken() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.post<AgentWithToken>(`/api/v1/agents/${id}/token`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: agentKeys.all }),
  });
}

export function useRenameAgent() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, name }: { id: number; name: string }) => api.patch<Agent>(`/api/v1/agents/${id}`, { name }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: agentKeys.all }),
  });
}

export function useDeleteAgent() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/api/v1/agents/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: agentKeys.all }),
  });
}

/**
 * The agent's record polled every 2 s while a new token (received at `since`) waits for its first use:
 * the list's 10 s would make "Agent connected" feel slow. Polling stops once a record fetched after
 * `since` shows the token activated, or when `poll` turns false (the token expired).
 */
export function useAgentActivation(id: number, since: number, poll: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: agentKeys.one(id),
    queryFn: ({ signal }) => api.get<Agent>(`/api/v1/agents/${id}`, undefined, signal),
    enabled: poll,
    staleTime: 0,
    refetchInterval: (query) => (!poll || (query.state.data?.token_activated && query.state.dataUpdatedAt >= since) ? false : 2_000),
  });
}
