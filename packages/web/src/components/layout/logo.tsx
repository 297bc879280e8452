/** The StatusMonitor mark and name. */
import { Icon } from "../ui/icons";

export function Logo({ compact = false }: { compact?: boolean }) {
  return (
    <span className="inline-flex items-center gap-2 font-semibold text-slate-900 dark:text-white">
      <span className="grid size-8 place-items-center rounded-lg bg-indigo-600 text-white">
        <Icon name="activity" className="size-5" />
      </span>
      <span className={compact ? "sr-only sm:not-sr-only" : ""}>StatusMonitor</span>
    </span>
  );
}
