/** Parses /proc/cpuinfo: per logical processor its physical package, core and current MHz. */

export interface ProcessorInfo {
  processor: number;
  physicalId: string | undefined;
  coreId: string | undefined;
  mhz: number | undefined;
}

export function parseCpuinfo(text: string): ProcessorInfo[] {
  const processors: ProcessorInfo[] = [];
  let current: ProcessorInfo | undefined;
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === "processor") {
      current = { processor: Number(value), physicalId: undefined, coreId: undefined, mhz: undefined };
      processors.push(current);
    } else if (current && key === "physical id") {
      current.physicalId = value;
    } else if (current && key === "core id") {
      current.coreId = value;
    } else if (current && key === "cpu MHz") {
      const mhz = Number(value);
      if (Number.isFinite(mhz) && mhz > 0) current.mhz = mhz;
    }
  }
  return processors;
}

/**
 * Physical cores: distinct (package, core) pairs. Undefined where cpuinfo does not say (most ARM
 * kernels print no core id), rather than guessing from the logical count.
 */
export function physicalCoreCount(processors: ProcessorInfo[]): number | undefined {
  if (processors.length === 0 || processors.some((p) => p.coreId === undefined)) return undefined;
  return new Set(processors.map((p) => `${p.physicalId ?? "0"}:${p.coreId}`)).size;
}
