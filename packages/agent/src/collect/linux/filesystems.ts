/** Usage of each real mounted filesystem: mounts from /proc/self/mountinfo, sizes from statfs. */
import type { DiskUsage } from "@statusmonitor/protocol";
import { MAX_DISKS } from "@statusmonitor/protocol/limits";
import { withoutUndefined, type Collector } from "../collector.js";
import { usageOf } from "../fs-usage.js";
import type { FsSpace, SystemSource } from "../source.js";
import { blockFilesystemTypes, parseMountinfo, realFilesystems } from "./mountinfo.js";

/** A statfs slower than this is reported without sizes; the mount is skipped until that call returns. */
export const STATFS_DEADLINE_MS = 1000;

export interface FilesystemsState {
  /** Read once per process: which filesystem types the kernel backs with a block device. */
  blockTypes: Set<string>;
  /** Mountpoints whose statfs has not returned yet (a dying disk): not asked again meanwhile. */
  stuck: Set<string>;
}

export const collectFilesystems: Collector<FilesystemsState, DiskUsage[]> = async (source, prev) => {
  const state = prev ?? { blockTypes: blockFilesystemTypes(await source.readText("/proc/filesystems")), stuck: new Set<string>() };
  const text = await source.readText("/proc/self/mountinfo");
  if (text === undefined) return { state, value: undefined };
  const mounts = realFilesystems(parseMountinfo(text), state.blockTypes).slice(0, MAX_DISKS);
  const spaces = await Promise.all(mounts.map((m) => statfsWithDeadline(source, m.mountpoint, state.stuck)));
  const value = mounts.map((mount, i) =>
    withoutUndefined<DiskUsage>({ device: mount.source, mountpoint: mount.mountpoint, fstype: mount.fstype, ...usageOf(spaces[i]) }),
  );
  return { state, value };
};

async function statfsWithDeadline(source: SystemSource, mountpoint: string, stuck: Set<string>): Promise<FsSpace | undefined> {
  if (stuck.has(mountpoint)) return undefined;
  const call = source.statfs(mountpoint);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), STATFS_DEADLINE_MS);
    timer.unref();
  });
  const result = await Promise.race([call, late]);
  clearTimeout(timer);
  if (result !== "late") return result;
  stuck.add(mountpoint);
  void call.catch(() => undefined).finally(() => stuck.delete(mountpoint));
  return undefined;
}
