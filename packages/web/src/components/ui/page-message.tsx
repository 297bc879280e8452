/** A centred message for whole-page states: empty, not found, not allowed, failed to load. */
import type { ReactNode } from "react";

export function PageMessage({ title, body, icon, action }: { title: string; body?: ReactNode; icon?: ReactNode; action?: ReactNode }) {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 px-4 py-16 text-center">
      {icon && <div className="text-slate-400 dark:text-slate-500">{icon}</div>}
      <h2 className="text-lg font-semibold text-slate-900 dark:text-slate-50">{title}</h2>
      {body && <div className="text-sm text-slate-600 dark:text-slate-400">{body}</div>}
      {action}
    </div>
  );
}
