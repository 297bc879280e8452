/**
 * Current CPU frequency per logical core: cpufreq's scaling_cur_freq (kHz) where the kernel has a
 * cpufreq driver, else the "cpu MHz" lines of /proc/cpuinfo (most VMs); min and max from cpufreq.
 */
import type { SystemSource } from "../source.js";
import { parseCpuinfo } from "./cpuinfo.js";

/** Facts read once: whether cpufreq exists, and the hardware limits it reports. */
export interface FrequencyState {
  hasCpufreq: boolean;
  minMhz: number | undefined;
  maxMhz: number | undefined;
}

export interface Frequency {
  perCore: number[] | undefined;
  current: number | undefined;
  min: number | undefined;
  max: number | undefined;
}

const cpufreqFile = (core: number, name: string) => `/sys/devices/system/cpu/cpu${core}/cpufreq/${name}`;

async function readMhz(source: SystemSource, file: string): Promise<number | undefined> {
  const khz = Number((await source.readText(file))?.trim());
  return Number.isFinite(khz) && khz > 0 ? khz / 1000 : undefined;
}

async function discover(source: SystemSource, coreIds: number[]): Promise<FrequencyState> {
  const first = coreIds[0] ?? 0;
  if ((await source.readText(cpufreqFile(first, "scaling_cur_freq"))) === undefined) {
    return { hasCpufreq: false, minMhz: undefined, maxMhz: undefined };
  }
  const mins = await Promise.all(coreIds.map((id) => readMhz(source, cpufreqFile(id, "cpuinfo_min_freq"))));
  const maxes = await Promise.all(coreIds.map((id) => readMhz(source, cpufreqFile(id, "cpuinfo_max_freq"))));
  const known = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
  const minKnown = known(mins);
  const maxKnown = known(maxes);
  return {
    hasCpufreq: true,
    minMhz: minKnown.length > 0 ? Math.round(Math.min(...minKnown)) : undefined,
    maxMhz: maxKnown.length > 0 ? Math.round(Math.max(...maxKnown)) : undefined,
  };
}

async function currentPerCore(source: SystemSource, state: FrequencyState, coreIds: number[]): Promise<(number | undefined)[]> {
  if (state.hasCpufreq) {
    return Promise.all(coreIds.map((id) => readMhz(source, cpufreqFile(id, "scaling_cur_freq"))));
  }
  const text = await source.readText("/proc/cpuinfo");
  const byProcessor = new Map(parseCpuinfo(text ?? "").map((p) => [p.processor, p.mhz]));
  return coreIds.map((id) => byProcessor.get(id));
}

/** Frequencies for the given logical cores (ids from /proc/stat), whole MHz. */
export async function readFrequency(
  source: SystemSource,
  prev: FrequencyState | undefined,
  coreIds: number[],
): Promise<{ state: FrequencyState; value: Frequency }> {
  const state = prev ?? (await discover(source, coreIds));
  const perCore = await currentPerCore(source, state, coreIds);
  const known = perCore.filter((v): v is number => v !== undefined);
  const complete = known.length === coreIds.length && known.length > 0;
  return {
    state,
    value: {
      perCore: complete ? known.map(Math.round) : undefined,
      current: known.length > 0 ? Math.round(known.reduce((a, b) => a + b, 0) / known.length) : undefined,
      min: state.minMhz,
      max: state.maxMhz,
    },
  };
}
