/** The original Python agents' recorded payloads (fixtures/), and the sample the hub makes of the headless agent's one. */
import { readFileSync } from "node:fs";
import type { Sample } from "@statusmonitor/protocol";

export type OriginalFixture = "original-headless.json" | "original-gui.json";

/** A recorded payload, byte for byte as the agent sent it. */
export const originalFixtureText = (name: OriginalFixture): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

/** A recorded payload, parsed. */
export const originalFixture = (name: OriginalFixture): Record<string, any> => JSON.parse(originalFixtureText(name));

/** What `original-headless.json` normalizes to, but for `agent_id` and `timestamp`: the shape /latest and the live stream show. */
export const HEADLESS_SAMPLE = {
  cpu: {
    usage_percent: 23.4,
    per_core_usage: [31.0, 15.8],
    // psutil's min and max of 0 mean "unknown": absent, never zero.
    freq_mhz: { current: 2394.454 },
    load_avg: [0.52, 0.41, 0.38],
  },
  memory: {
    total: 25_214_423_040,
    available: 22_301_794_304,
    // The headless agent sends no `used`: it is total - available.
    used: 25_214_423_040 - 22_301_794_304,
    used_percent: 11.6,
  },
  disks: [
    { device: "/dev/vda1", mountpoint: "/", fstype: "ext4", total: 270_465_425_408, used: 24_356_741_120, free: 232_301_613_056, used_percent: 9.5 },
    { device: "/dev/vda15", mountpoint: "/boot/efi", fstype: "vfat", total: 129_718_272, used: 6_429_184, free: 123_289_088, used_percent: 5.0 },
  ],
  // Counts become ops; the Linux-only times and merge counts are not part of the sample.
  disk_io: { read_bytes: 40_229_881_856, write_bytes: 91_227_664_384, read_ops: 1_203_345, write_ops: 2_391_120 },
  network: {
    bytes_sent: 1_823_456_789,
    bytes_recv: 9_923_456_789,
    packets_sent: 12_345_678,
    packets_recv: 23_456_789,
    errin: 0,
    errout: 0,
    dropin: 12,
    dropout: 0,
  },
} satisfies Omit<Sample, "agent_id" | "timestamp">;
