/** Parses /proc/stat: CPU time counters (total and per core) and the boot time. */

/**
 * Cumulative CPU time in clock ticks. Guest time is left out on purpose: the kernel already counts
 * it inside `user` (and guest_nice inside `nice`), so adding it would count it twice.
 */
export interface CpuTicks {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export interface CoreTicks {
  /** The N of `cpuN`: cores that are offline are missing, so ids may have gaps. */
  id: number;
  ticks: CpuTicks;
}

export interface ProcStat {
  total: CpuTicks | undefined;
  cores: CoreTicks[];
  /** `btime`, epoch milliseconds. */
  bootTimeMs: number | undefined;
}

function ticksOf(fields: string[]): CpuTicks | undefined {
  const n = fields.slice(1, 9).map(Number);
  // Kernels before 2.6.11 lack steal (and older ones iowait/irq): missing columns are zero.
  while (n.length < 8) n.push(0);
  if (n.some((v) => !Number.isFinite(v) || v < 0) || fields.length < 5) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = n as [number, number, number, number, number, number, number, number];
  return { user, nice, system, idle, iowait, irq, softirq, steal };
}

export function parseProcStat(text: string): ProcStat {
  const result: ProcStat = { total: undefined, cores: [], bootTimeMs: undefined };
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/);
    const key = fields[0] ?? "";
    if (key === "cpu") {
      result.total = ticksOf(fields);
    } else if (/^cpu\d+$/.test(key)) {
      const ticks = ticksOf(fields);
      if (ticks) result.cores.push({ id: Number(key.slice(3)), ticks });
    } else if (key === "btime") {
      const seconds = Number(fields[1]);
      if (Number.isFinite(seconds) && seconds > 0) result.bootTimeMs = seconds * 1000;
    }
  }
  return result;
}
