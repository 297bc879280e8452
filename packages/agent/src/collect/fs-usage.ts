/** Turns statfs figures into the wire's disk usage the way `df` does, on every platform. */
import type { DiskUsage } from "@statusmonitor/protocol";
import { percentOf } from "./collector.js";
import type { FsSpace } from "./source.js";

/** What `df` shows: used counts root's reserve as used, the percentage is of what users can reach. */
export function usageOf(space: FsSpace | undefined): Pick<DiskUsage, "total" | "used" | "free" | "used_percent"> {
  if (!space || space.totalBytes <= 0) return {};
  const used = Math.max(0, space.totalBytes - space.freeBytes);
  return {
    total: space.totalBytes,
    used,
    free: space.availableBytes,
    used_percent: percentOf(used, used + space.availableBytes),
  };
}
