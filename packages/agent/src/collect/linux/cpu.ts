/** The CPU family on Linux: usage from /proc/stat tick deltas, core counts, frequency and load. */
import type { CpuStats } from "@statusmonitor/protocol";
import { MAX_CORES } from "@statusmonitor/protocol/limits";
import { withoutUndefined, type Collector } from "../collector.js";
import { readFrequency, type FrequencyState } from "./cpu-frequency.js";
import { perCoreUsage, usageBetween } from "./cpu-usage.js";
import { parseCpuinfo, physicalCoreCount } from "./cpuinfo.js";
import { parseLoadavg } from "./load.js";
import { parseProcStat, type ProcStat } from "./proc-stat.js";

export interface CpuState {
  ticks: ProcStat | undefined;
  /** Read once per process: the physical core count does not change while the machine runs. */
  physicalCores: number | undefined;
  frequency: FrequencyState;
}

export const collectCpu: Collector<CpuState, CpuStats> = async (source, prev) => {
  const [statText, loadText] = await Promise.all([source.readText("/proc/stat"), source.readText("/proc/loadavg")]);
  const ticks = statText === undefined ? undefined : parseProcStat(statText);
  const cores = ticks?.cores.slice(0, MAX_CORES) ?? [];
  const physicalCores = prev ? prev.physicalCores : physicalCoreCount(parseCpuinfo((await source.readText("/proc/cpuinfo")) ?? ""));
  const frequency = await readFrequency(source, prev?.frequency, cores.map((c) => c.id));

  const before = prev?.ticks;
  const total = before?.total && ticks?.total ? usageBetween(before.total, ticks.total) : undefined;
  const perCore = before && ticks ? perCoreUsage(before.cores.slice(0, MAX_CORES), cores) : undefined;
  const f = frequency.value;
  const value: CpuStats = {
    ...total,
    per_core_usage: perCore,
    per_core_freq_mhz: f.perCore,
    freq_mhz: f.current === undefined && f.min === undefined && f.max === undefined ? undefined : withoutUndefined({ current: f.current, min: f.min, max: f.max }),
    load_avg: loadText === undefined ? undefined : parseLoadavg(loadText),
    count: physicalCores !== undefined && physicalCores <= MAX_CORES ? physicalCores : undefined,
    count_logical: cores.length > 0 ? cores.length : undefined,
  };
  const measured = withoutUndefined(value);
  return { state: { ticks, physicalCores, frequency: frequency.state }, value: Object.keys(measured).length > 0 ? measured : undefined };
};
