/** Memory and swap from /proc/meminfo, with "available" as the kernel estimates it (MemAvailable). */
import type { MemoryStats } from "@statusmonitor/protocol";
import { percentOf, withoutUndefined, type Collector } from "../collector.js";

/** meminfo's fields in bytes (the file says kB and means KiB). */
export function parseMeminfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([^:\s]+):\s+(\d+)(\s+kB)?/.exec(line);
    if (match) fields.set(match[1]!, Number(match[2]) * (match[3] ? 1024 : 1));
  }
  return fields;
}

export const collectMemory: Collector<undefined, MemoryStats> = async (source) => {
  const text = await source.readText("/proc/meminfo");
  if (text === undefined) return { state: undefined, value: undefined };
  const m = parseMeminfo(text);
  const total = m.get("MemTotal");
  // Kernels before 3.14 have no MemAvailable: free + buffers + page cache is the old approximation.
  const fallback = ["MemFree", "Buffers", "Cached"].every((k) => m.has(k))
    ? m.get("MemFree")! + m.get("Buffers")! + m.get("Cached")!
    : undefined;
  const estimate = m.get("MemAvailable") ?? fallback;
  const available = estimate !== undefined && total !== undefined ? Math.min(estimate, total) : estimate;
  const used = total !== undefined && available !== undefined ? Math.max(0, total - available) : undefined;
  const swapTotal = m.get("SwapTotal");
  const swapFree = m.get("SwapFree");
  return {
    state: undefined,
    value: withoutUndefined({
      total,
      available,
      used,
      used_percent: used !== undefined && total !== undefined ? percentOf(used, total) : undefined,
      swap_total: swapTotal,
      swap_used: swapTotal !== undefined && swapFree !== undefined ? Math.max(0, swapTotal - swapFree) : undefined,
    }),
  };
};
