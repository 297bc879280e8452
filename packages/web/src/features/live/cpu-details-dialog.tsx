/** The CPU details dialog: overall usage, its split, frequency, per-core usage and frequency, per-core history, core counts. */
import type { Sample } from "@statusmonitor/protocol";
import { Dialog } from "../../components/ui/dialog";
import { Icon } from "../../components/ui/icons";
import { formatMhz, formatPercent } from "../../format/numbers";
import { DetailSection, DetailStat } from "./detail-stat";
import { LiveChart } from "./live-chart";
import { coreSeries } from "./live-series";
import type { LiveSession } from "./live-session";
import { UsageBar } from "./usage-bar";

const formatCore = (value: number | null) => formatPercent(value);

export function CpuDetailsDialog({ open, onClose, sample, live, spanMs, maxGapS }: { open: boolean; onClose: () => void; sample: Sample | null; live: LiveSession; spanMs: number; maxGapS: number }) {
  const cpu = sample?.cpu;
  const perCore = cpu?.per_core_usage ?? [];
  const perCoreFreq = cpu?.per_core_freq_mhz ?? [];
  const split = [
    ["User", cpu?.user_percent],
    ["System", cpu?.system_percent],
    ["I/O wait", cpu?.iowait_percent],
    ["Steal", cpu?.steal_percent],
  ] as const;
  return (
    <Dialog open={open} onClose={onClose} title="CPU details" icon={<Icon name="cpu" />} width="lg">
      <div className="space-y-5">
        <DetailSection title="Overall usage" aside={<span className="tabular text-2xl font-semibold text-indigo-600 dark:text-indigo-400">{formatPercent(cpu?.usage_percent)}</span>}>
          <UsageBar percent={cpu?.usage_percent} label="Overall CPU usage" className="h-3" />
          {split.some(([, value]) => value !== undefined) && (
            <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
              {split.map(([label, value]) => (
                <DetailStat key={label} label={label} value={formatPercent(value)} />
              ))}
            </dl>
          )}
        </DetailSection>

        <DetailSection title="Frequency">
          <dl className="grid grid-cols-3 gap-2">
            <DetailStat label="Current" value={formatMhz(cpu?.freq_mhz?.current)} />
            <DetailStat label="Min" value={formatMhz(cpu?.freq_mhz?.min)} />
            <DetailStat label="Max" value={formatMhz(cpu?.freq_mhz?.max)} />
          </dl>
        </DetailSection>

        <DetailSection title={`Per-core usage (${perCore.length} ${perCore.length === 1 ? "core" : "cores"})`}>
          {perCore.length === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">The agent does not report per-core usage.</p>
          ) : (
            <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3 md:grid-cols-4">
              {perCore.map((usage, i) => (
                <li key={i} className="rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-800/60">
                  <div className="flex items-baseline justify-between gap-2 text-sm">
                    <span className="text-slate-600 dark:text-slate-300">Core {i}</span>
                    <span className="tabular font-semibold text-slate-900 dark:text-slate-50">{formatPercent(usage)}</span>
                  </div>
                  <UsageBar percent={usage} label={`Core ${i} usage`} className="mt-1.5" />
                  {perCoreFreq[i] !== undefined && <p className="tabular mt-1 text-xs text-slate-500 dark:text-slate-400">{formatMhz(perCoreFreq[i])}</p>}
                </li>
              ))}
            </ul>
          )}
        </DetailSection>

        {perCore.length > 0 && (
          <DetailSection title="Per-core history">
            <LiveChart live={live} series={coreSeries(perCore.length)} axis="percent" format={formatCore} spanMs={spanMs} maxGapS={maxGapS} label={`Usage of each of the ${perCore.length} cores over the last minutes`} height={220} legendValues={false} />
          </DetailSection>
        )}

        <p className="text-sm text-slate-600 dark:text-slate-300">
          Physical cores: <strong className="tabular">{cpu?.count ?? "—"}</strong> · Logical cores: <strong className="tabular">{cpu?.count_logical ?? "—"}</strong>
        </p>
      </div>
    </Dialog>
  );
}
