/** Compact cards with the range's summary: CPU, memory and disk average, minimum and maximum, and the sample count. */
import type { HistorySummary } from "@statusmonitor/protocol";
import { formatPercent } from "../../format/numbers";

type Stats = HistorySummary["cpu"];

function StatCard({ title, stats, note }: { title: string; stats: Stats; note?: string }) {
  return (
    <div className="min-w-0 rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <h3 className="truncate text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400" title={note ? `${title} (${note})` : title}>
        {title}
        {note && <span className="font-normal normal-case"> · {note}</span>}
      </h3>
      <p className="tabular mt-1 text-2xl font-semibold text-slate-900 dark:text-slate-50">
        {formatPercent(stats.avg)}
        <span className="ml-1.5 text-xs font-normal text-slate-500 dark:text-slate-400">avg</span>
      </p>
      <dl className="tabular mt-1 flex gap-3 text-xs text-slate-600 dark:text-slate-400">
        <div className="flex gap-1">
          <dt>min</dt>
          <dd className="font-medium text-slate-800 dark:text-slate-200">{formatPercent(stats.min)}</dd>
        </div>
        <div className="flex gap-1">
          <dt>max</dt>
          <dd className="font-medium text-slate-800 dark:text-slate-200">{formatPercent(stats.max)}</dd>
        </div>
      </dl>
    </div>
  );
}

export function SummaryCards({ summary }: { summary: HistorySummary }) {
  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <StatCard title="CPU" stats={summary.cpu} />
      <StatCard title="Memory" stats={summary.memory} />
      <StatCard title="Disk" stats={summary.disk} note={summary.disk.mountpoint ?? undefined} />
      <div className="min-w-0 rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h3 className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">Samples</h3>
        <p className="tabular mt-1 text-2xl font-semibold text-slate-900 dark:text-slate-50">{summary.cpu.count.toLocaleString()}</p>
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">behind these figures</p>
      </div>
    </div>
  );
}
