/** The colour of a usage bar: red above 80 %, amber above 50 %, green below (the original's per-core thresholds). */
export type UsageTone = "red" | "amber" | "green" | "none";

export function usageTone(percent: number | null | undefined): UsageTone {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return "none";
  if (percent > 80) return "red";
  if (percent > 50) return "amber";
  return "green";
}

export const USAGE_BAR_CLASS: Record<UsageTone, string> = {
  red: "bg-red-500 dark:bg-red-400",
  amber: "bg-amber-500 dark:bg-amber-400",
  green: "bg-emerald-500 dark:bg-emerald-400",
  none: "bg-slate-300 dark:bg-slate-600",
};
