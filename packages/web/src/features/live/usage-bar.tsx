/** A horizontal usage bar coloured by level (usage-tone.ts), with its value for screen readers. */
import { usageTone, USAGE_BAR_CLASS } from "./usage-tone";

export function UsageBar({ percent, label, className = "" }: { percent: number | null | undefined; label: string; className?: string }) {
  const value = percent === null || percent === undefined || !Number.isFinite(percent) ? null : Math.min(100, Math.max(0, percent));
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value ?? undefined}
      aria-valuetext={value === null ? "unknown" : `${value.toFixed(1)} %`}
      className={`h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800 ${className}`}
    >
      {/* Scaled, not resized: a width transition re-runs layout every frame on a page that updates every second. */}
      <div className={`h-full w-full origin-left rounded-full transition-transform duration-300 ${USAGE_BAR_CLASS[usageTone(value)]}`} style={{ transform: `scaleX(${(value ?? 0) / 100})` }} />
    </div>
  );
}
