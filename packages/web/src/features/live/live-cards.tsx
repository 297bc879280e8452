/** The stat cards of the live tab: CPU, memory, load, uptime, network speeds and totals, each partition, temperatures. */
import type { Sample } from "@statusmonitor/protocol";
import type { ReactNode } from "react";
import { Icon, type IconName } from "../../components/ui/icons";
import { formatByteRate, formatBytes } from "../../format/bytes";
import { formatCelsius, formatMhz, formatNumber, formatPercent } from "../../format/numbers";
import { formatDateTime, formatDuration } from "../../format/time";
import { UsageBar } from "./usage-bar";

/** Partitions shown as cards; the disks table lists every one. */
const DISK_CARDS = 4;

function StatCard({ icon, title, value, detail, children }: { icon: IconName; title: string; value: ReactNode; detail?: ReactNode; children?: ReactNode }) {
  return (
    <div role="group" aria-label={title} className="min-w-0 rounded-xl border border-slate-200 bg-white p-3 shadow-sm sm:p-4 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex items-center gap-2 text-sm text-slate-500 dark:text-slate-400">
        <Icon name={icon} className="size-4 shrink-0" />
        <h3 className="truncate font-medium">{title}</h3>
      </div>
      <p className="tabular mt-1 truncate text-xl font-semibold text-slate-900 sm:text-2xl dark:text-slate-50">{value}</p>
      {detail && <p className="tabular mt-0.5 truncate text-xs text-slate-500 dark:text-slate-400">{detail}</p>}
      {children}
    </div>
  );
}

export interface LiveRates {
  upload: number | null;
  download: number | null;
}

export function LiveCards({ sample, rates }: { sample: Sample; rates: LiveRates }) {
  const { cpu, memory, network, disks, temperatures } = sample;
  const load = cpu?.load_avg;
  const cores = cpu?.count_logical ?? cpu?.per_core_usage?.length;
  const bootAt = sample.uptime_s === undefined ? null : sample.timestamp - sample.uptime_s * 1000;
  const hottest = temperatures?.length ? temperatures.reduce((a, b) => (b.celsius > a.celsius ? b : a)) : null;
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
      <StatCard icon="cpu" title="CPU" value={formatPercent(cpu?.usage_percent)} detail={[cores ? `${cores} cores` : null, cpu?.freq_mhz?.current !== undefined ? formatMhz(cpu.freq_mhz.current) : null].filter(Boolean).join(" · ") || undefined}>
        <UsageBar className="mt-2" percent={cpu?.usage_percent} label="CPU usage" />
      </StatCard>
      <StatCard icon="memory" title="Memory" value={formatPercent(memory?.used_percent)} detail={memory?.total !== undefined ? `${formatBytes(memory.used)} of ${formatBytes(memory.total)}` : undefined}>
        <UsageBar className="mt-2" percent={memory?.used_percent} label="Memory usage" />
      </StatCard>
      <StatCard icon="load" title="Load average" value={load ? `${formatNumber(load[0])} · ${formatNumber(load[1])} · ${formatNumber(load[2])}` : "—"} detail="1 · 5 · 15 min" />
      <StatCard icon="clock" title="Uptime" value={formatDuration(sample.uptime_s)} detail={bootAt !== null ? `since ${formatDateTime(bootAt)}` : undefined} />
      <StatCard icon="upload" title="Upload speed" value={formatByteRate(rates.upload)} />
      <StatCard icon="download" title="Download speed" value={formatByteRate(rates.download)} />
      <StatCard icon="network" title="Network sent" value={formatBytes(network?.bytes_sent)} detail="since boot" />
      <StatCard icon="network" title="Network received" value={formatBytes(network?.bytes_recv)} detail="since boot" />
      {disks?.slice(0, DISK_CARDS).map((disk) => (
        <StatCard key={disk.mountpoint} icon="disk" title={`Disk ${disk.mountpoint}`} value={formatPercent(disk.used_percent)} detail={disk.total !== undefined ? `${formatBytes(disk.used)} of ${formatBytes(disk.total)}` : undefined}>
          <UsageBar className="mt-2" percent={disk.used_percent} label={`Disk ${disk.mountpoint} usage`} />
        </StatCard>
      ))}
      {hottest && (
        <StatCard icon="thermometer" title="Temperature" value={formatCelsius(hottest.celsius)} detail={`${hottest.label}${temperatures!.length > 1 ? ` (hottest of ${temperatures!.length})` : ""}`} />
      )}
    </div>
  );
}
