/** Queries and mutations of the admin page: the users list, deleting a user, cleaning up expired tokens. */
import type { User } from "@statusmonitor/protocol";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useApi } from "../auth/auth-context";

export const adminKeys = {
  users: ["admin", "users"] as const,
};

export function useUsers() {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.users,
    queryFn: ({ signal }) => api.get<User[]>("/api/v1/users", undefined, signal),
  });
}

export function useDeleteUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete<void>(`/api/v1/users/${id}`),
    // Refresh on failure too: USER_NOT_FOUND means someone else already deleted them.
    onSettled: () => queryClient.invalidateQueries({ queryKey: adminKeys.users }),
  });
}

export function useCleanupTokens() {
  const api = useApi();
  return useMutation({
    mutationFn: () => api.post<{ removed: number }>("/api/v1/admin/cleanup-tokens", {}),
  });
}
