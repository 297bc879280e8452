/** Parses /proc/self/mountinfo and picks the real, visible, distinct filesystems from it. */

export interface Mount {
  /** `major:minor` of the filesystem: the same for every mount of one filesystem (bind mounts, subvolumes). */
  device: string;
  /** The directory of the filesystem that is mounted here ("/" unless a bind mount or subvolume). */
  root: string;
  mountpoint: string;
  fstype: string;
  /** What was mounted: `/dev/sda1`, `tank/data`, `server:/export`. */
  source: string;
}

/** The kernel escapes space, tab, newline and backslash in mountinfo paths as three octal digits. */
export function decodeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMountinfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    // Optional fields (shared:N, master:N …) come between the 6th field and a lone "-".
    const separator = fields.indexOf("-", 6);
    if (separator < 0 || fields.length < separator + 3) continue;
    mounts.push({
      device: fields[2]!,
      root: decodeMountField(fields[3]!),
      mountpoint: decodeMountField(fields[4]!),
      fstype: fields[separator + 1]!,
      source: decodeMountField(fields[separator + 2]!),
    });
  }
  return mounts;
}

/**
 * Read-only images that are always 100 % full (snap packages, live media): reporting them would
 * only raise disk-full alerts nobody can act on.
 */
const IMAGE_FSTYPES = new Set(["squashfs", "iso9660", "erofs", "cramfs"]);

/** Used when /proc/filesystems cannot be read: the common filesystems that live on a block device. */
const KNOWN_BLOCK_FSTYPES = ["ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "vfat", "exfat", "ntfs", "ntfs3", "fuseblk", "jfs", "reiserfs", "bcachefs", "hfsplus"];

/**
 * The filesystem types that store data on a block device: /proc/filesystems marks every other one
 * `nodev` (proc, sysfs, tmpfs, cgroup, overlay, fuse, nfs, cifs …). ZFS is `nodev` too, because it
 * sits on a pool rather than one device, but it is real storage. Network filesystems are left out
 * on purpose: statfs on an unreachable NFS server can hang for minutes.
 */
export function blockFilesystemTypes(procFilesystems: string | undefined): Set<string> {
  if (procFilesystems === undefined) return new Set(KNOWN_BLOCK_FSTYPES);
  const types = new Set<string>(["zfs"]);
  for (const line of procFilesystems.split("\n")) {
    const fields = line.trim().split(/\s+/);
    if (fields.length === 1 && fields[0]) types.add(fields[0]);
  }
  return types;
}

/**
 * The filesystems worth reporting, in mount order:
 * 1. a mount hidden by a later mount on the same mountpoint is dropped (statfs would see the top one);
 * 2. only block-device filesystems (see `blockFilesystemTypes`), minus read-only images;
 * 3. one mount per filesystem: bind mounts and btrfs subvolumes share the device number and the
 *    sizes, so the filesystem is reported once, where its root is mounted, else at the shortest path.
 */
export function realFilesystems(mounts: Mount[], blockTypes: Set<string>): Mount[] {
  const topmost = new Map<string, Mount>();
  for (const mount of mounts) {
    topmost.delete(mount.mountpoint); // re-insert so the map keeps the order of the visible mount
    topmost.set(mount.mountpoint, mount);
  }
  const real = [...topmost.values()].filter((m) => blockTypes.has(m.fstype) && !IMAGE_FSTYPES.has(m.fstype));
  const best = new Map<string, Mount>();
  for (const mount of real) {
    const chosen = best.get(mount.device);
    if (!chosen || preferred(mount, chosen)) best.set(mount.device, mount);
  }
  const kept = new Set(best.values());
  return real.filter((m) => kept.has(m));
}

function preferred(candidate: Mount, chosen: Mount): boolean {
  const rank = (m: Mount) => (m.root === "/" ? 0 : 1);
  if (rank(candidate) !== rank(chosen)) return rank(candidate) < rank(chosen);
  return candidate.mountpoint.length < chosen.mountpoint.length;
}
