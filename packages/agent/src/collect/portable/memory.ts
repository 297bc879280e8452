/** Memory on macOS and Windows from `os.totalmem()` and `os.freemem()`; swap is not available there without a process. */
import type { MemoryStats } from "@statusmonitor/protocol";
import { percentOf } from "../collector.js";
import type { OsApi } from "./os-api.js";

export function collectPortableMemory(osApi: OsApi): MemoryStats {
  const total = osApi.totalmem();
  const available = Math.min(total, osApi.freemem());
  const used = total - available;
  return { total, available, used, used_percent: percentOf(used, total) };
}
