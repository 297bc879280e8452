/** The four live charts of the live tab (CPU, memory, network, disk I/O); three open a details dialog. */
import { memo, type MouseEvent } from "react";
import { Button } from "../../components/ui/button";
import { formatByteRate } from "../../format/bytes";
import { formatPercent } from "../../format/numbers";
import { LiveChart, type LiveAxis, type LiveSeries } from "./live-chart";
import { CPU_SERIES, DISK_IO_SERIES, MEMORY_SERIES, NETWORK_SERIES } from "./live-series";
import type { LiveSession } from "./live-session";

export type DetailsKind = "cpu" | "memory" | "network";

const formatPercentValue = (value: number | null) => formatPercent(value);
const formatRateValue = (value: number | null) => formatByteRate(value);

interface ChartCardProps {
  title: string;
  live: LiveSession;
  series: readonly LiveSeries[];
  axis: LiveAxis;
  spanMs: number;
  label: string;
  maxGapS: number;
  onDetails?: () => void;
}

function ChartCard({ title, live, series, axis, spanMs, label, maxGapS, onDetails }: ChartCardProps) {
  // The whole card opens the dialog for a mouse; keyboard and screen-reader users have the button.
  const onCardClick = onDetails ? (event: MouseEvent) => !(event.target as HTMLElement).closest("button") && onDetails() : undefined;
  return (
    <section
      onClick={onCardClick}
      className={`min-w-0 rounded-xl border border-slate-200 bg-white p-3 shadow-sm sm:p-4 dark:border-slate-800 dark:bg-slate-900 ${onDetails ? "cursor-pointer transition-colors hover:border-indigo-300 dark:hover:border-indigo-700" : ""}`}
    >
      <div className="mb-1 flex items-center justify-between gap-2">
        <h3 className="text-sm font-semibold text-slate-900 dark:text-slate-50">{title}</h3>
        {onDetails && (
          <Button variant="ghost" size="sm" onClick={onDetails} aria-haspopup="dialog" aria-label={`${title} details`}>
            Details
          </Button>
        )}
      </div>
      <LiveChart live={live} series={series} axis={axis} format={axis === "percent" ? formatPercentValue : formatRateValue} spanMs={spanMs} label={label} maxGapS={maxGapS} />
    </section>
  );
}

export const LiveCharts = memo(function LiveCharts({ live, spanMs, maxGapS, onDetails }: { live: LiveSession; spanMs: number; maxGapS: number; onDetails: (kind: DetailsKind) => void }) {
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <ChartCard title="CPU" live={live} series={CPU_SERIES} axis="percent" spanMs={spanMs} maxGapS={maxGapS} label="CPU usage, percent, over the last minutes" onDetails={() => onDetails("cpu")} />
      <ChartCard title="Memory" live={live} series={MEMORY_SERIES} axis="percent" spanMs={spanMs} maxGapS={maxGapS} label="Memory used, percent, over the last minutes" onDetails={() => onDetails("memory")} />
      <ChartCard title="Network" live={live} series={NETWORK_SERIES} axis="bytes" spanMs={spanMs} maxGapS={maxGapS} label="Network upload and download speed over the last minutes" onDetails={() => onDetails("network")} />
      <ChartCard title="Disk I/O" live={live} series={DISK_IO_SERIES} axis="bytes" spanMs={spanMs} maxGapS={maxGapS} label="Disk read and write speed over the last minutes" />
    </div>
  );
});
