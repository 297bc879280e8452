/** CPU usage, count, frequency and load on macOS and Windows, from differences of `os.cpus()` times. */
import type { CpuInfo } from "node:os";
import type { CpuStats } from "@statusmonitor/protocol";
import { percentOf, withoutUndefined } from "../collector.js";
import type { OsApi } from "./os-api.js";

export type CoreTimes = CpuInfo["times"];

export interface PortableCpuState {
  times: CoreTimes[];
}

interface Busy {
  total: number;
  idle: number;
  user: number;
  system: number;
}

/**
 * Milliseconds spent between two readings. Windows already counts interrupt time inside kernel
 * time (libuv reports it a second time as `irq`), so there it is not added again.
 */
function between(before: CoreTimes, after: CoreTimes, irqInSystem: boolean): Busy | undefined {
  const d = {
    user: after.user - before.user,
    nice: after.nice - before.nice,
    sys: after.sys - before.sys,
    idle: after.idle - before.idle,
    irq: irqInSystem ? 0 : after.irq - before.irq,
  };
  if (Object.values(d).some((v) => v < 0)) return undefined;
  const total = d.user + d.nice + d.sys + d.idle + d.irq;
  return total > 0 ? { total, idle: d.idle, user: d.user + d.nice, system: d.sys + d.irq } : undefined;
}

export function collectPortableCpu(osApi: OsApi, platform: NodeJS.Platform, prev: PortableCpuState | undefined): { state: PortableCpuState; value: CpuStats } {
  const cpus = osApi.cpus();
  const times = cpus.map((c) => c.times);
  const irqInSystem = platform === "win32";
  const pairs = prev && prev.times.length === times.length ? times.map((t, i) => between(prev.times[i]!, t, irqInSystem)) : [];
  const sound = pairs.length > 0 && pairs.every((p) => p !== undefined) ? (pairs as Busy[]) : undefined;
  const sum = sound?.reduce((acc, p) => ({ total: acc.total + p.total, idle: acc.idle + p.idle, user: acc.user + p.user, system: acc.system + p.system }));
  const speeds = cpus.map((c) => c.speed);
  // Some machines (Apple silicon under some Node versions, VMs) report speed 0: unknown, not zero.
  const knownSpeeds = speeds.every((s) => s > 0) ? speeds : undefined;
  // Windows has no load average; os.loadavg() answers [0, 0, 0] there.
  const load = platform === "win32" ? undefined : (osApi.loadavg() as [number, number, number]);
  return {
    state: { times },
    value: withoutUndefined<CpuStats>({
      usage_percent: sum && percentOf(sum.total - sum.idle, sum.total),
      user_percent: sum && percentOf(sum.user, sum.total),
      system_percent: sum && percentOf(sum.system, sum.total),
      per_core_usage: sound?.map((p) => percentOf(p.total - p.idle, p.total)!),
      per_core_freq_mhz: knownSpeeds,
      freq_mhz: knownSpeeds && { current: Math.round(knownSpeeds.reduce((a, b) => a + b, 0) / knownSpeeds.length) },
      load_avg: load,
      count_logical: cpus.length > 0 ? cpus.length : undefined,
    }),
  };
}
