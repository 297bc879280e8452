/** The auth state of the app: restores the session from the refresh cookie, signs in, registers and signs out. */
import type { TokenPair, User } from "@statusmonitor/protocol";
import { useQueryClient } from "@tanstack/react-query";
import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { ApiClient } from "../../api/client";
import { Session } from "../../api/session";

export type AuthState =
  | { status: "loading"; user: null }
  | { status: "signed-out"; user: null }
  | { status: "signed-in"; user: User };

interface AuthContextValue {
  state: AuthState;
  api: ApiClient;
  session: Session;
  login(username: string, password: string): Promise<void>;
  register(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session] = useState(() => new Session());
  const [api] = useState(() => new ApiClient(session));
  const [state, setState] = useState<AuthState>({ status: "loading", user: null });

  const loadUser = useCallback(async () => {
    const user = await api.get<User>("/api/v1/users/me");
    setState({ status: "signed-in", user });
  }, [api]);

  useEffect(() => {
    let cancelled = false;
    session
      .refresh()
      .then(async (ok) => {
        if (cancelled) return;
        if (ok) await loadUser();
        else setState({ status: "signed-out", user: null });
      })
      .catch(() => !cancelled && setState({ status: "signed-out", user: null }));
    // A refused refresh (revoked, expired after 30 days, logged out in another tab) ends the session here too.
    const unsubscribe = session.subscribe((signedIn) => {
      if (!signedIn) {
        queryClient.clear();
        setState({ status: "signed-out", user: null });
      }
    });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [session, loadUser, queryClient]);

  const login = useCallback(
    async (username: string, password: string) => {
      const pair = await api.post<TokenPair>("/api/v1/auth/login", { username, password });
      session.accept(pair);
      await loadUser();
    },
    [api, session, loadUser],
  );

  const register = useCallback(
    async (username: string, password: string) => {
      await api.post<User>("/api/v1/auth/register", { username, password });
      await login(username, password);
    },
    [api, login],
  );

  const logout = useCallback(async () => {
    try {
      await api.post("/api/v1/auth/logout", {});
    } catch {
      // The hub may be unreachable; the local session ends regardless.
    }
    session.clear();
    queryClient.clear();
    setState({ status: "signed-out", user: null });
  }, [api, session, queryClient]);

  const value = useMemo(() => ({ state, api, session, login, register, logout }), [state, api, session, login, register, logout]);
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const value = use(AuthContext);
  if (!value) throw new Error("useAuth must be used inside <AuthProvider>");
  return value;
}

/** The API client of the signed-in session. */
export const useApi = (): ApiClient => useAuth().api;

/** The signed-in user; only for pages behind <RequireAuth>. */
export function useUser(): User {
  const { state } = useAuth();
  if (state.status !== "signed-in") throw new Error("useUser needs a signed-in session");
  return state.user;
}
