/** Filesystem usage tests: the fixtures worked out by hand, statfs failures and hangs, and this machine against `df`. */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test, vi } from "vitest";
import { fixtureSource, liveSource, recordedSource, type FsSpace, type SystemSource } from "../source.js";
import { collectFilesystems, STATFS_DEADLINE_MS } from "./filesystems.js";
import { blockFilesystemTypes } from "./mountinfo.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../../test-fixtures/${name}`, import.meta.url));

afterEach(() => {
  vi.useRealTimers();
});

describe("collectFilesystems on the fixtures", () => {
  test("recorded VM: only the ext4 root; devtmpfs, tmpfs, cgroups and the doubly mounted /dev/pts are skipped", async () => {
    const { value } = await collectFilesystems(await recordedSource(fixture("vm-2core-debian12")), undefined, 0);
    // statfs: total 270553174016, free 245664210944, available 84055330816 (the reserve is large on this VM).
    // used = total − free = 24888963072; used % = used / (used + available) = 24888963072 / 108944293888 = 22.85 %.
    expect(value).toEqual([
      { device: "/dev/vda", mountpoint: "/", fstype: "ext4", total: 270_553_174_016, used: 24_888_963_072, free: 84_055_330_816, used_percent: 22.85 },
    ]);
  });

  test("hand-made desktop: btrfs / and /home are one filesystem, reported at /", async () => {
    const { value } = await collectFilesystems(await recordedSource(fixture("desktop-16core-cpufreq")), undefined, 0);
    // /: used 1998694907904 − 1199216944742 = 799477963162; / (799477963162 + 1198143202918) = 40.02 %.
    // /boot/efi: used 627900416 − 607129600 = 20770816; / 627900416 = 3.31 %.
    expect(value).toEqual([
      { device: "/dev/nvme0n1p2", mountpoint: "/", fstype: "btrfs", total: 1_998_694_907_904, used: 799_477_963_162, free: 1_198_143_202_918, used_percent: 40.02 },
      { device: "/dev/nvme0n1p1", mountpoint: "/boot/efi", fstype: "vfat", total: 627_900_416, used: 20_770_816, free: 607_129_600, used_percent: 3.31 },
    ]);
  });

  test("hand-made server with many mounts: the nine real filesystems, in mount order", async () => {
    const { value } = await collectFilesystems(await recordedSource(fixture("server-many-mounts")), undefined, 0);
    // Skipped: sysfs, proc, devtmpfs, devpts, tmpfs ×4, securityfs, cgroup2, pstore, bpf, autofs, mqueue, hugetlbfs,
    // three snap squashfs loops, the /srv/www bind mount of /data, the /var/log subvolume of /home's btrfs,
    // nfs4, fuse.sshfs, overlay, and /media/usb (its vfat hidden under a tmpfs).
    expect(value).toEqual([
      // 300e9 / 475e9 = 63.16 %
      { device: "/dev/nvme0n1p2", mountpoint: "/", fstype: "ext4", total: 500e9, used: 300e9, free: 175e9, used_percent: 63.16 },
      // 64 MiB of 1 GiB = 6.25 %
      { device: "/dev/nvme0n1p1", mountpoint: "/boot/efi", fstype: "vfat", total: 1_073_741_824, used: 67_108_864, free: 1_006_632_960, used_percent: 6.25 },
      { device: "/dev/nvme1n1", mountpoint: "/data", fstype: "xfs", total: 4e12, used: 3e12, free: 1e12, used_percent: 75 },
      // 100e9 / (100e9 + 1800e9) = 5.26 %: the 100 GB reserve counts neither as used nor as available.
      { device: "/dev/sda1", mountpoint: "/mnt/Backup Disk", fstype: "ext4", total: 2e12, used: 100e9, free: 1800e9, used_percent: 5.26 },
      { device: "/dev/sdb", mountpoint: "/home", fstype: "btrfs", total: 1e12, used: 400e9, free: 600e9, used_percent: 40 },
      { device: "tank", mountpoint: "/tank", fstype: "zfs", total: 10e12, used: 6e12, free: 4e12, used_percent: 60 },
      // 3e12 / 7e12 = 42.86 %
      { device: "tank/media", mountpoint: "/tank/media", fstype: "zfs", total: 7e12, used: 3e12, free: 4e12, used_percent: 42.86 },
      // 150e9 / 190e9 = 78.95 %
      { device: "/dev/mapper/vg0-pg", mountpoint: "/var/lib/postgresql", fstype: "ext4", total: 200e9, used: 150e9, free: 40e9, used_percent: 78.95 },
      { device: "/dev/sda2", mountpoint: "/mnt/win", fstype: "fuseblk", total: 256e9, used: 192e9, free: 64e9, used_percent: 75 },
    ]);
  });
});

describe("collectFilesystems when statfs fails", () => {
  const tree = fixture("server-many-mounts/t0");

  test("a filesystem statfs cannot answer is listed without sizes, never with zeros", async () => {
    const source = fixtureSource(tree, { statfs: (mp) => (mp === "/" ? { totalBytes: 100, freeBytes: 50, availableBytes: 50 } : undefined) });
    const { value } = await collectFilesystems(source, undefined, 0);
    expect(value![0]).toEqual({ device: "/dev/nvme0n1p2", mountpoint: "/", fstype: "ext4", total: 100, used: 50, free: 50, used_percent: 50 });
    expect(value![2]).toEqual({ device: "/dev/nvme1n1", mountpoint: "/data", fstype: "xfs" });
  });

  test("a statfs that hangs is given up after the deadline and not asked again until it returns", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let release: (space: FsSpace) => void = () => undefined;
    const calls: string[] = [];
    const source: SystemSource = {
      ...fixtureSource(tree),
      statfs(mp) {
        calls.push(mp);
        if (mp === "/data" && calls.filter((c) => c === "/data").length === 1) return new Promise((resolve) => (release = resolve));
        return Promise.resolve({ totalBytes: 100, freeBytes: 50, availableBytes: 50 });
      },
    };
    const first = collectFilesystems(source, undefined, 0);
    // The fixture's files are read for real first (slow on a busy machine); the hanging call's
    // deadline timer is set in the same turn as the call, so waiting for the call is enough.
    const waitUntil = Date.now() + 20_000;
    while (!calls.includes("/data")) {
      if (Date.now() > waitUntil) throw new Error("collectFilesystems never called statfs for /data");
      await new Promise((resolve) => setImmediate(resolve));
    }
    await vi.advanceTimersByTimeAsync(STATFS_DEADLINE_MS);
    const { state, value } = await first;
    expect(value!.find((d) => d.mountpoint === "/data")).toEqual({ device: "/dev/nvme1n1", mountpoint: "/data", fstype: "xfs" });
    expect(value!.find((d) => d.mountpoint === "/")?.total).toBe(100);

    const second = await collectFilesystems(source, state, 1000);
    expect(calls.filter((mp) => mp === "/data")).toHaveLength(1);
    expect(second.value!.find((d) => d.mountpoint === "/data")?.total).toBeUndefined();

    release({ totalBytes: 10, freeBytes: 5, availableBytes: 5 });
    await vi.advanceTimersByTimeAsync(0);
    const third = await collectFilesystems(source, second.state, 2000);
    expect(calls.filter((mp) => mp === "/data")).toHaveLength(2);
    expect(third.value!.find((d) => d.mountpoint === "/data")?.total).toBe(100);
  });

  test("/proc/filesystems is read once; mountinfo every time (mounts come and go)", async () => {
    const reads: string[] = [];
    const base = await recordedSource(fixture("server-many-mounts"));
    const source: SystemSource = { ...base, readText: (f) => (reads.push(f), base.readText(f)) };
    let state = (await collectFilesystems(source, undefined, 0)).state;
    state = (await collectFilesystems(source, state, 1000)).state;
    await collectFilesystems(source, state, 2000);
    expect(reads.filter((f) => f === "/proc/filesystems")).toHaveLength(1);
    expect(reads.filter((f) => f === "/proc/self/mountinfo")).toHaveLength(3);
  });
});

describe("collectFilesystems on this machine", () => {
  test("the same real mountpoints as df, with sizes within 1 %", async () => {
    const { value } = await collectFilesystems(liveSource(), undefined, 0);
    // df's own view: local filesystems, one per device (df drops duplicates), with target last since it may hold spaces.
    const lines = execFileSync("df", ["-B1", "-l", "--output=fstype,size,used,avail,target"], { encoding: "utf8" }).trim().split("\n").slice(1);
    const blockTypes = blockFilesystemTypes(execFileSync("cat", ["/proc/filesystems"], { encoding: "utf8" }));
    const images = new Set(["squashfs", "iso9660", "erofs", "cramfs"]);
    const df = lines
      .map((line) => {
        const [fstype, size, used, avail, ...target] = line.trim().split(/\s+/);
        return { fstype: fstype!, size: Number(size), used: Number(used), avail: Number(avail), target: target.join(" ") };
      })
      .filter((d) => blockTypes.has(d.fstype) && !images.has(d.fstype));
    expect(value!.map((d) => d.mountpoint).sort()).toEqual(df.map((d) => d.target).sort());
    for (const d of df) {
      const ours = value!.find((v) => v.mountpoint === d.target)!;
      expect(ours.fstype).toBe(d.fstype);
      expect(Math.abs(ours.total! - d.size)).toBeLessThanOrEqual(d.size * 0.01);
      expect(Math.abs(ours.used! - d.used)).toBeLessThanOrEqual(d.size * 0.01);
      expect(Math.abs(ours.free! - d.avail)).toBeLessThanOrEqual(d.size * 0.01);
    }
    expect(df.length).toBeGreaterThan(0);
  });
});
