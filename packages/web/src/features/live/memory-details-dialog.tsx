/** The memory details dialog: usage, total / used / available, swap, and the usage chart. */
import type { Sample } from "@statusmonitor/protocol";
import { Dialog } from "../../components/ui/dialog";
import { Icon } from "../../components/ui/icons";
import { formatBytes } from "../../format/bytes";
import { formatPercent } from "../../format/numbers";
import { DetailSection, DetailStat } from "./detail-stat";
import { LiveChart } from "./live-chart";
import { MEMORY_SERIES } from "./live-series";
import type { LiveSession } from "./live-session";
import { UsageBar } from "./usage-bar";

const formatValue = (value: number | null) => formatPercent(value);

export function MemoryDetailsDialog({ open, onClose, sample, live, spanMs, maxGapS }: { open: boolean; onClose: () => void; sample: Sample | null; live: LiveSession; spanMs: number; maxGapS: number }) {
  const memory = sample?.memory;
  const swapTotal = memory?.swap_total;
  const swapUsed = memory?.swap_used;
  const swapPercent = swapTotal && swapUsed !== undefined ? (swapUsed / swapTotal) * 100 : undefined;
  return (
    <Dialog open={open} onClose={onClose} title="Memory details" icon={<Icon name="memory" />} width="lg">
      <div className="space-y-5">
        <DetailSection title="Usage" aside={<span className="tabular text-2xl font-semibold text-emerald-600 dark:text-emerald-400">{formatPercent(memory?.used_percent)}</span>}>
          <UsageBar percent={memory?.used_percent} label="Memory usage" className="h-3" />
          <dl className="grid grid-cols-3 gap-2">
            <DetailStat label="Total" value={formatBytes(memory?.total)} />
            <DetailStat label="Used" value={formatBytes(memory?.used)} />
            <DetailStat label="Available" value={formatBytes(memory?.available)} />
          </dl>
        </DetailSection>

        <DetailSection title="Swap" aside={swapPercent !== undefined ? <span className="tabular text-sm font-semibold">{formatPercent(swapPercent)}</span> : undefined}>
          {swapTotal === 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">No swap is configured on this machine.</p>
          ) : (
            <>
              {swapPercent !== undefined && <UsageBar percent={swapPercent} label="Swap usage" />}
              <dl className="grid grid-cols-3 gap-2">
                <DetailStat label="Total" value={formatBytes(swapTotal)} />
                <DetailStat label="Used" value={formatBytes(swapUsed)} />
                <DetailStat label="Free" value={formatBytes(swapTotal !== undefined && swapUsed !== undefined ? swapTotal - swapUsed : undefined)} />
              </dl>
            </>
          )}
        </DetailSection>

        <DetailSection title="Usage over the last minutes">
          <LiveChart live={live} series={MEMORY_SERIES} axis="percent" format={formatValue} spanMs={spanMs} maxGapS={maxGapS} label="Memory used, percent, over the last minutes" height={200} />
        </DetailSection>
      </div>
    </Dialog>
  );
}
