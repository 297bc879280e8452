/** A labelled value box used inside the detail dialogs. */
import type { ReactNode } from "react";

export function DetailStat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="min-w-0 rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-800/60">
      <dt className="truncate text-xs text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="tabular truncate text-base font-semibold text-slate-900 dark:text-slate-50">{value}</dd>
      {hint && <dd className="tabular truncate text-xs text-slate-500 dark:text-slate-400">{hint}</dd>}
    </div>
  );
}

export function DetailSection({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <section className="space-y-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-sm font-semibold text-slate-700 dark:text-slate-200">{title}</h3>
        {aside}
      </div>
      {children}
    </section>
  );
}
