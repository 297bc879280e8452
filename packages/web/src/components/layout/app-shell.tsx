/** The frame of every signed-in page: navigation, theme switch, the user and sign-out. */
import { NavLink, Outlet } from "react-router";
import { useAuth, useUser } from "../../features/auth/auth-context";
import { Icon } from "../ui/icons";
import { Logo } from "./logo";
import { ThemeSwitch } from "./theme-switch";

const linkClass = ({ isActive }: { isActive: boolean }) =>
  `rounded-lg px-3 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-indigo-500 ${
    isActive ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white"
  }`;

export function AppShell() {
  const user = useUser();
  const { logout } = useAuth();
  return (
    <div className="min-h-dvh bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900">
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur dark:border-slate-800 dark:bg-slate-900/90">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-3 py-2 sm:px-6">
          <NavLink to="/agents" aria-label="StatusMonitor home" className="rounded-lg focus-visible:outline-2 focus-visible:outline-indigo-500">
            <Logo compact />
          </NavLink>
          <nav aria-label="Main" className="order-last flex w-full gap-1 overflow-x-auto sm:order-none sm:w-auto">
            <NavLink to="/agents" className={linkClass}>
              Agents
            </NavLink>
            <NavLink to="/alerts" className={linkClass}>
              Alerts
            </NavLink>
            {user.role === "admin" && (
              <NavLink to="/admin" className={linkClass}>
                Admin
              </NavLink>
            )}
          </nav>
          <div className="ml-auto flex items-center gap-1">
            <span className="hidden text-sm text-slate-600 md:inline dark:text-slate-400">
              Signed in as <strong className="font-medium text-slate-900 dark:text-slate-100">{user.username}</strong>
            </span>
            <ThemeSwitch />
            <button
              type="button"
              onClick={() => void logout()}
              className="inline-flex items-center gap-1.5 rounded-lg px-2.5 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white"
            >
              <Icon name="logout" className="size-4" />
              <span>Sign out</span>
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-3 py-4 sm:px-6 sm:py-6">
        <Outlet />
      </main>
    </div>
  );
}
