/** CPU usage between two /proc/stat readings: the share of ticks spent busy, in user, system, iowait and steal. */
import { percentOf } from "../collector.js";
import type { CoreTicks, CpuTicks } from "./proc-stat.js";

export interface CpuUsage {
  usage_percent: number;
  user_percent: number;
  system_percent: number;
  iowait_percent: number;
  steal_percent: number;
}

const FIELDS = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"] as const;

/**
 * Usage over the interval between two readings, or undefined when there is nothing sound to report:
 * no tick elapsed, or a counter went backwards (the kernel's per-core iowait can, and a core that
 * went offline and back restarts from zero). Busy is everything but idle and iowait; user includes
 * nice, system includes irq and softirq, so user + system + steal = usage.
 */
export function usageBetween(before: CpuTicks, after: CpuTicks): CpuUsage | undefined {
  const d = {} as Record<(typeof FIELDS)[number], number>;
  for (const field of FIELDS) {
    d[field] = after[field] - before[field];
    if (d[field] < 0) return undefined;
  }
  const total = FIELDS.reduce((sum, field) => sum + d[field], 0);
  if (total <= 0) return undefined;
  return {
    usage_percent: percentOf(total - d.idle - d.iowait, total)!,
    user_percent: percentOf(d.user + d.nice, total)!,
    system_percent: percentOf(d.system + d.irq + d.softirq, total)!,
    iowait_percent: percentOf(d.iowait, total)!,
    steal_percent: percentOf(d.steal, total)!,
  };
}

/** Per-core usage in core order, or undefined unless every core has a sound pair of readings (same cores, no counter going back). */
export function perCoreUsage(before: CoreTicks[], after: CoreTicks[]): number[] | undefined {
  if (before.length !== after.length || after.length === 0) return undefined;
  const usage: number[] = [];
  for (const [i, core] of after.entries()) {
    const earlier = before[i]!;
    if (earlier.id !== core.id) return undefined;
    const u = usageBetween(earlier.ticks, core.ticks);
    if (!u) return undefined;
    usage.push(u.usage_percent);
  }
  return usage;
}
