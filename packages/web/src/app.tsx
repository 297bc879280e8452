/** The routes of the dashboard and the providers around them. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { BrowserRouter, Link, Navigate, Route, Routes } from "react-router";
import { ApiError } from "./api/api-error";
import { AppShell } from "./components/layout/app-shell";
import { PageMessage } from "./components/ui/page-message";
import { AdminPage } from "./features/admin/admin-page";
import { AgentDashboardPage } from "./features/agents/agent-dashboard-page";
import { AgentsPage } from "./features/agents/agents-page";
import { AlertsPage } from "./features/alerts/alerts-page";
import { AuthProvider } from "./features/auth/auth-context";
import { LoginPage } from "./features/auth/login-page";
import { RequireAdmin, RequireAuth } from "./features/auth/require-auth";

/** Retry what may pass on a second try (network, 5xx), never a 4xx answer. */
const shouldRetry = (failures: number, error: unknown) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500);

export function App() {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: shouldRetry, staleTime: 5_000, refetchOnWindowFocus: true } } }));
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AuthProvider>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route
              element={
                <RequireAuth>
                  <AppShell />
                </RequireAuth>
              }
            >
              <Route index element={<Navigate to="/agents" replace />} />
              <Route path="/dashboard" element={<Navigate to="/agents" replace />} />
              <Route path="/agents" element={<AgentsPage />} />
              <Route path="/agents/:agentId" element={<AgentDashboardPage />} />
              <Route path="/alerts" element={<AlertsPage />} />
              <Route
                path="/admin"
                element={
                  <RequireAdmin>
                    <AdminPage />
                  </RequireAdmin>
                }
              />
              <Route path="*" element={<PageMessage title="Page not found" body="There is nothing at this address." action={<Link className="text-indigo-600 hover:underline dark:text-indigo-400" to="/agents">Back to your agents</Link>} />} />
            </Route>
          </Routes>
        </AuthProvider>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
