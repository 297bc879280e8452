/** Route guards: pages behind sign-in, and admin-only pages. */
import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { PageMessage } from "../../components/ui/page-message";
import { Spinner } from "../../components/ui/spinner";
import { useAuth } from "./auth-context";

export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === "loading") {
    return (
      <div className="grid min-h-dvh place-items-center">
        <Spinner label="Restoring your session…" />
      </div>
    );
  }
  if (state.status === "signed-out") {
    const next = location.pathname + location.search;
    return <Navigate to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return children;
}

export function RequireAdmin({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  if (state.status === "signed-in" && state.user.role !== "admin") {
    return <PageMessage title="Administrators only" body="Your account cannot open this page. Ask an administrator if you need access." />;
  }
  return children;
}
