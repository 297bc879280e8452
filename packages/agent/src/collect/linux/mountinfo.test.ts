/** mountinfo tests: escapes, optional fields, and which mounts count as real filesystems. */
import { describe, expect, test } from "vitest";
import { blockFilesystemTypes, decodeMountField, parseMountinfo, realFilesystems, type Mount } from "./mountinfo.js";

const BLOCK = blockFilesystemTypes("nodev\tsysfs\nnodev\ttmpfs\n\text4\n\txfs\n\tbtrfs\n\tvfat\n\tsquashfs\n\tfuseblk\nnodev\tfuse\nnodev\tnfs4\nnodev\toverlay\nnodev\tzfs\n");
const mount = (device: string, mountpoint: string, fstype = "ext4", root = "/"): Mount => ({ device, root, mountpoint, fstype, source: `/dev/${device}` });

describe("parseMountinfo", () => {
  test("decodes the kernel's octal escapes for space, tab, newline and backslash", () => {
    expect(decodeMountField("/mnt/Backup\\040Disk")).toBe("/mnt/Backup Disk");
    expect(decodeMountField("/a\\011b\\012c\\134d")).toBe("/a\tb\nc\\d");
    expect(decodeMountField("/plain/path")).toBe("/plain/path");
  });

  test("finds fstype and source after any number of optional fields", () => {
    const text = [
      "36 35 98:0 /mnt1 /mnt/my\\040disk rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue",
      "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard",
      "garbage line",
      "",
    ].join("\n");
    expect(parseMountinfo(text)).toEqual([
      { device: "98:0", root: "/mnt1", mountpoint: "/mnt/my disk", fstype: "ext3", source: "/dev/root" },
      { device: "254:0", root: "/", mountpoint: "/", fstype: "ext4", source: "/dev/vda" },
    ]);
  });
});

describe("blockFilesystemTypes", () => {
  test("everything /proc/filesystems does not mark nodev, plus zfs", () => {
    expect([...BLOCK].sort()).toEqual(["btrfs", "ext4", "fuseblk", "squashfs", "vfat", "xfs", "zfs"]);
  });

  test("a known list stands in when /proc/filesystems cannot be read", () => {
    const fallback = blockFilesystemTypes(undefined);
    expect(fallback.has("ext4") && fallback.has("xfs") && fallback.has("btrfs") && fallback.has("zfs")).toBe(true);
    expect(fallback.has("tmpfs") || fallback.has("overlay") || fallback.has("nfs4")).toBe(false);
  });
});

describe("realFilesystems", () => {
  test("drops pseudo, network, fuse, overlay and image filesystems", () => {
    const mounts = [
      mount("254:0", "/"),
      mount("0:21", "/proc", "proc"),
      mount("0:25", "/run", "tmpfs"),
      mount("0:46", "/var/lib/docker/overlay2/x/merged", "overlay"),
      mount("0:43", "/mnt/nas", "nfs4"),
      mount("0:44", "/mnt/remote", "fuse.sshfs"),
      mount("7:0", "/snap/core22/1663", "squashfs"),
      mount("8:2", "/mnt/win", "fuseblk"),
    ];
    expect(realFilesystems(mounts, BLOCK).map((m) => m.mountpoint)).toEqual(["/", "/mnt/win"]);
  });

  test("a bind mount is the same filesystem: reported once, where its root is mounted", () => {
    const mounts = [mount("259:3", "/srv/www", "xfs", "/exports/www"), mount("259:3", "/data", "xfs")];
    expect(realFilesystems(mounts, BLOCK).map((m) => m.mountpoint)).toEqual(["/data"]);
  });

  test("btrfs subvolumes of one filesystem: reported once, at the shortest mountpoint", () => {
    const mounts = [mount("0:40", "/var/log", "btrfs", "/@logs"), mount("0:40", "/home", "btrfs", "/@home")];
    expect(realFilesystems(mounts, BLOCK).map((m) => m.mountpoint)).toEqual(["/home"]);
  });

  test("a mount hidden by a later mount on the same mountpoint is not reported", () => {
    const hidden = [mount("8:33", "/media/usb", "vfat"), mount("0:45", "/media/usb", "tmpfs")];
    expect(realFilesystems(hidden, BLOCK)).toEqual([]);
    const remounted = [mount("8:33", "/media/usb", "vfat"), mount("8:49", "/media/usb", "ext4")];
    expect(realFilesystems(remounted, BLOCK)).toEqual([remounted[1]]);
  });
});
