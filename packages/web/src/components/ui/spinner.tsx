/** A loading indicator with a text label that screen readers announce. */
export function Spinner({ label = "Loading…", className = "" }: { label?: string; className?: string }) {
  return (
    <div role="status" className={`flex items-center gap-2 text-sm text-slate-500 dark:text-slate-400 ${className}`}>
      <span aria-hidden className="size-4 animate-spin rounded-full border-2 border-indigo-500 border-r-transparent" />
      <span>{label}</span>
    </div>
  );
}
