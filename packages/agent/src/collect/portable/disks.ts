/**
 * Disk usage on macOS and Windows: statfs of the system volume only. Listing every volume would
 * need a platform command, so the rest is absent rather than sampled by spawning a process.
 */
import path from "node:path";
import type { DiskUsage } from "@statusmonitor/protocol";
import { usageOf } from "../fs-usage.js";
import type { SystemSource } from "../source.js";
import type { OsApi } from "./os-api.js";

/** "/" on macOS (APFS volumes in a container share its space), the drive holding the home folder on Windows. */
export function systemVolume(osApi: OsApi, platform: NodeJS.Platform): string {
  if (platform !== "win32") return "/";
  return path.win32.parse(osApi.homedir()).root || "C:\\";
}

export async function collectPortableDisks(source: SystemSource, mountpoint: string): Promise<DiskUsage[] | undefined> {
  const space = await source.statfs(mountpoint);
  return space ? [{ mountpoint, ...usageOf(space) }] : undefined;
}
