/** The administration page (admins only): the hub's users, and token clean-up. */
import { MaintenanceCard } from "./maintenance-card";
import { UsersCard } from "./users-card";

export function AdminPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-bold tracking-tight text-slate-900 dark:text-slate-50">Administration</h1>
        <p className="mt-0.5 text-sm text-slate-600 dark:text-slate-400">Accounts and housekeeping of this hub.</p>
      </div>
      <UsersCard />
      <MaintenanceCard />
    </div>
  );
}
