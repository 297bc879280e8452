/** The live connection's state for people: live, connecting, reconnecting (with the next try), offline, with "Retry now". */
import { useSyncExternalStore } from "react";
import type { ConnectionStatus } from "./connection-machine";
import type { LiveSession } from "./live-session";
import { useNow } from "./use-live-session";

const LOOK: Record<ConnectionStatus, { label: string; dot: string; box: string }> = {
  live: { label: "Live", dot: "bg-emerald-500 dark:bg-emerald-400", box: "border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200" },
  connecting: { label: "Connecting…", dot: "bg-sky-500 dark:bg-sky-400 animate-pulse", box: "border-sky-200 bg-sky-50 text-sky-800 dark:border-sky-900 dark:bg-sky-950/50 dark:text-sky-200" },
  reconnecting: { label: "Reconnecting…", dot: "bg-amber-500 dark:bg-amber-400 animate-pulse", box: "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200" },
  offline: { label: "Offline", dot: "bg-slate-400 dark:bg-slate-500", box: "border-slate-200 bg-slate-100 text-slate-700 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300" },
};

function RetryCountdown({ at }: { at: number }) {
  const now = useNow(1_000);
  const seconds = Math.max(0, Math.ceil((at - now) / 1000));
  return <span className="tabular opacity-80">{seconds > 0 ? `retry in ${seconds} s` : "retrying"}</span>;
}

export function ConnectionIndicator({ live }: { live: LiveSession }) {
  // Selects the connection only: a sample alone does not re-render the indicator.
  const connection = useSyncExternalStore(live.subscribe, () => live.getSnapshot().connection);
  const look = LOOK[connection.status];
  const waiting = connection.retryAt !== null && connection.stopReason === null;
  return (
    <div className={`inline-flex items-center gap-2 rounded-full border px-3 py-1 text-sm ${look.box}`}>
      <span aria-hidden className={`size-2 rounded-full ${look.dot}`} />
      {/* Only the state word is announced; the ticking countdown beside it is not. */}
      <span role="status" aria-live="polite" className="font-medium">
        <span className="sr-only">Live connection: </span>
        {look.label}
      </span>
      {waiting && <RetryCountdown at={connection.retryAt!} />}
      {waiting && (
        <button type="button" onClick={() => live.retryNow()} className="rounded font-medium underline underline-offset-2 hover:no-underline focus-visible:outline-2 focus-visible:outline-current">
          Retry now
        </button>
      )}
    </div>
  );
}
