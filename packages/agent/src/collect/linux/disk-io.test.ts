/** Disk I/O tests: whole disks only, summed by hand on the fixtures, and this machine against each disk's own stat file. */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { fixtureSource, liveSource, recordedSource, type SystemSource } from "../source.js";
import { collectDiskIo, DISK_DISCOVERY_MS, findWholeDisks, parseDiskstats } from "./disk-io.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../../test-fixtures/${name}`, import.meta.url));

describe("collectDiskIo on the fixtures", () => {
  test("recorded VM: vda only (loop0–7 and zram0 are virtual)", async () => {
    const { value } = await collectDiskIo(await recordedSource(fixture("vm-2core-debian12"), "t1"), undefined, 0);
    // vda: 133906 reads, 5358114 sectors read, 495724 writes, 55483440 sectors written; sectors are 512 bytes.
    expect(value).toEqual({ read_bytes: 2_743_354_368, write_bytes: 28_407_521_280, read_ops: 133_906, write_ops: 495_724 });
  });

  test("hand-made desktop: the NVMe disk, not its partitions again, not the snap loops", async () => {
    const { value } = await collectDiskIo(await recordedSource(fixture("desktop-16core-cpufreq"), "t1"), undefined, 0);
    // nvme0n1: 2400250 reads, 180064000 sectors → 92192768000 B; 3600100 writes, 300020480 sectors → 153610485760 B.
    expect(value).toEqual({ read_bytes: 92_192_768_000, write_bytes: 153_610_485_760, read_ops: 2_400_250, write_ops: 3_600_100 });
  });

  test("hand-made server: nvme0n1 + nvme1n1 + sda + sdb + sr0; partitions, loops, dm-0, md127 and zram0 left out", async () => {
    const source = await recordedSource(fixture("server-many-mounts"), "t1");
    expect([...(await findWholeDisks(source))].sort()).toEqual(["nvme0n1", "nvme1n1", "sda", "sdb", "sr0"]);
    const { value } = await collectDiskIo(source, undefined, 0);
    // reads 1000100 + 300000 + 5000 + 20000 + 12 = 1325112
    // sectors read 80008000 + 24000000 + 400000 + 1600000 + 96 = 106008096 → × 512 = 54276145152
    // writes 2000200 + 100000 + 1000 + 40000 + 0 = 2141200
    // sectors written 160016000 + 8000000 + 80000 + 3200000 + 0 = 171296000 → × 512 = 87703552000
    expect(value).toEqual({ read_bytes: 54_276_145_152, write_bytes: 87_703_552_000, read_ops: 1_325_112, write_ops: 2_141_200 });
  });

  test("without /sys/devices/virtual/block the names of loop, dm, md, zram, ram and nbd devices still exclude them", async () => {
    const source: SystemSource = {
      ...fixtureSource("/nonexistent-statusmonitor-fixture"),
      listDir: async (dir) => (dir === "/sys/block" ? ["sda", "loop0", "dm-1", "md0", "zram0", "ram0", "nbd0", "mmcblk0"] : []),
    };
    expect([...(await findWholeDisks(source))]).toEqual(["sda", "mmcblk0"]);
  });

  test("the disk list is kept for a minute, then looked at again", async () => {
    const base = await recordedSource(fixture("server-many-mounts"), "t1");
    let listings = 0;
    const source: SystemSource = { ...base, listDir: (dir) => (dir === "/sys/block" && listings++, base.listDir(dir)) };
    let state = (await collectDiskIo(source, undefined, 0)).state;
    state = (await collectDiskIo(source, state, DISK_DISCOVERY_MS - 1)).state;
    expect(listings).toBe(1);
    await collectDiskIo(source, state, DISK_DISCOVERY_MS);
    expect(listings).toBe(2);
  });

  test("no diskstats, no value", async () => {
    expect((await collectDiskIo(fixtureSource("/nonexistent-statusmonitor-fixture"), undefined, 0)).value).toBeUndefined();
    expect(parseDiskstats("short line\n")).toEqual([]);
  });
});

describe("collectDiskIo on this machine", () => {
  test("equals the sum of each whole disk's /sys/block/<disk>/stat, read before and after", async () => {
    const source = liveSource();
    const disks = [...(await findWholeDisks(source))];
    expect(disks.length).toBeGreaterThan(0);
    // /sys/block/<disk>/stat: reads, reads merged, sectors read, ms, writes, writes merged, sectors written, …
    const sysStat = async () => {
      let readSectors = 0;
      let readOps = 0;
      for (const disk of disks) {
        const f = (await readFile(`/sys/block/${disk}/stat`, "utf8")).trim().split(/\s+/).map(Number);
        readOps += f[0]!;
        readSectors += f[2]!;
      }
      return { readOps, readBytes: readSectors * 512 };
    };
    const before = await sysStat();
    const { value } = await collectDiskIo(source, undefined, Date.now());
    const after = await sysStat();
    expect(value!.read_ops).toBeGreaterThanOrEqual(before.readOps);
    expect(value!.read_ops).toBeLessThanOrEqual(after.readOps);
    expect(value!.read_bytes).toBeGreaterThanOrEqual(before.readBytes);
    expect(value!.read_bytes).toBeLessThanOrEqual(after.readBytes);
  });
});
