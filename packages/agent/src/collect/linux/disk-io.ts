/** Cumulative disk I/O from /proc/diskstats, summed over physical whole disks so no byte is counted twice. */
import type { BatchSample } from "@statusmonitor/protocol";
import type { Collector } from "../collector.js";
import type { SystemSource } from "../source.js";

/** /proc/diskstats counts sectors of 512 bytes whatever the device's real sector size. */
const SECTOR_BYTES = 512;
export type DiskIoCounters = NonNullable<BatchSample["disk_io"]>;

/** Disks come and go rarely (USB, hot-plug): the list is read again after this long. */
export const DISK_DISCOVERY_MS = 60_000;

/**
 * Devices layered on other block devices (their I/O is also the I/O of the disks beneath) or not
 * disks at all. The kernel lists them under /sys/devices/virtual/block; the name patterns cover a
 * tree where that directory is missing.
 */
const STACKED_OR_VIRTUAL = /^(loop|ram|zram|dm-|md|nbd)\d/;

export interface DiskIoState {
  wholeDisks: Set<string>;
  discoveredAt: number;
}

export interface DiskstatsLine {
  name: string;
  readOps: number;
  readSectors: number;
  writeOps: number;
  writeSectors: number;
}

export function parseDiskstats(text: string): DiskstatsLine[] {
  const lines: DiskstatsLine[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [readOps, readSectors, writeOps, writeSectors] = [f[3], f[5], f[7], f[9]].map(Number) as [number, number, number, number];
    if ([readOps, readSectors, writeOps, writeSectors].every(Number.isFinite)) {
      lines.push({ name: f[2]!, readOps, readSectors, writeOps, writeSectors });
    }
  }
  return lines;
}

/** Whole disks: /sys/block lists disks but not partitions; virtual and stacked devices are dropped. */
export async function findWholeDisks(source: SystemSource): Promise<Set<string>> {
  const [block, virtual] = await Promise.all([source.listDir("/sys/block"), source.listDir("/sys/devices/virtual/block")]);
  const virtualSet = new Set(virtual);
  return new Set(block.filter((name) => !virtualSet.has(name) && !STACKED_OR_VIRTUAL.test(name)));
}

export const collectDiskIo: Collector<DiskIoState, DiskIoCounters> = async (source, prev, now) => {
  const state =
    prev && now - prev.discoveredAt < DISK_DISCOVERY_MS ? prev : { wholeDisks: await findWholeDisks(source), discoveredAt: now };
  const text = await source.readText("/proc/diskstats");
  const disks = text === undefined ? [] : parseDiskstats(text).filter((d) => state.wholeDisks.has(d.name));
  if (disks.length === 0) return { state, value: undefined };
  const sum = (pick: (d: DiskstatsLine) => number) => disks.reduce((acc, d) => acc + pick(d), 0);
  return {
    state,
    value: {
      read_bytes: sum((d) => d.readSectors) * SECTOR_BYTES,
      write_bytes: sum((d) => d.writeSectors) * SECTOR_BYTES,
      read_ops: sum((d) => d.readOps),
      write_ops: sum((d) => d.writeOps),
    },
  };
};
