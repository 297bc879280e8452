/** A small coloured label (state, metric, status). */
import type { ReactNode } from "react";

export type BadgeTone = "gray" | "green" | "yellow" | "red" | "blue" | "purple" | "orange";
const TONES: Record<BadgeTone, string> = {
  gray: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  green: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/60 dark:text-emerald-200",
  yellow: "bg-amber-100 text-amber-800 dark:bg-amber-900/60 dark:text-amber-200",
  red: "bg-red-100 text-red-800 dark:bg-red-900/60 dark:text-red-200",
  blue: "bg-sky-100 text-sky-800 dark:bg-sky-900/60 dark:text-sky-200",
  purple: "bg-violet-100 text-violet-800 dark:bg-violet-900/60 dark:text-violet-200",
  orange: "bg-orange-100 text-orange-800 dark:bg-orange-900/60 dark:text-orange-200",
};

export function Badge({ tone = "gray", children, className = "" }: { tone?: BadgeTone; children: ReactNode; className?: string }) {
  return <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${TONES[tone]} ${className}`}>{children}</span>;
}
