/** The disk buffer on real files: order, restarts, the cap, damage of every kind, and a day's outage in 64 MiB. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { BatchSample } from "@statusmonitor/protocol";
import { DiskBuffer } from "./disk-buffer.js";
import { encodeRecord } from "./record-format.js";

const dirs: string[] = [];
const opened: DiskBuffer[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "statusmonitor-buffer-"));
  dirs.push(dir);
  return dir;
};
const openBuffer = async (...args: Parameters<typeof DiskBuffer.open>) => {
  const buffer = await DiskBuffer.open(...args);
  opened.push(buffer);
  return buffer;
};
afterEach(async () => {
  for (const buffer of opened.splice(0)) await buffer.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const T0 = 1_767_225_600_000;
/** A small deterministic PRNG, so every run writes the same bytes. */
const prng = (seed: number) => () => ((seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32);

/** A 1 Hz sample of a 4-core machine with two filesystems, one interface and two sensors: ~1.1 KB of JSON. */
function realisticSample(seq: number, random = prng(seq + 1)): BatchSample {
  const pct = () => Math.round(random() * 1000) / 10;
  return {
    seq,
    timestamp: T0 + seq * 1000,
    cpu: {
      usage_percent: pct(),
      per_core_usage: [pct(), pct(), pct(), pct()],
      per_core_freq_mhz: [0, 0, 0, 0].map(() => Math.round(800 + random() * 2600)),
      load_avg: [0, 0, 0].map(() => Math.round(random() * 400) / 100) as [number, number, number],
      user_percent: pct() / 2,
      system_percent: pct() / 5,
      iowait_percent: pct() / 20,
      steal_percent: 0,
      count: 2,
      count_logical: 4,
    },
    memory: { total: 8_254_636_032, available: 5_000_000_000 + Math.round(random() * 1e8), used: 3_000_000_000 + Math.round(random() * 1e8), used_percent: 36.4, swap_total: 2_147_479_552, swap_used: 12_345_678 },
    disks: [
      { device: "/dev/nvme0n1p2", mountpoint: "/", fstype: "ext4", total: 105_089_261_568, used: 40_000_000_000 + seq * 4096, free: 60_000_000_000 - seq * 4096, used_percent: 40.1 },
      { device: "/dev/nvme0n1p3", mountpoint: "/home", fstype: "btrfs", total: 405_089_261_568, used: 100_000_000_000 + seq * 4096, free: 300_000_000_000 - seq * 4096, used_percent: 25.3 },
    ],
    disk_io: { read_bytes: 12_345_678_901 + seq * 1000, write_bytes: 98_765_432_101 + seq * 5000, read_ops: 1_234_567 + seq, write_ops: 7_654_321 + seq * 3 },
    network: {
      interfaces: [
        { name: "enp3s0", bytes_sent: 123_456_789_012 + seq * 800, bytes_recv: 987_654_321_098 + seq * 1200, packets_sent: 123_456_789 + seq * 5, packets_recv: 234_567_890 + seq * 7, errin: 0, errout: 0, dropin: 12, dropout: 0 },
      ],
    },
    temperatures: [
      { label: "k10temp Tctl", celsius: 40 + pct() / 5 },
      { label: "nvme Composite", celsius: 30 + pct() / 5 },
    ],
    uptime_s: 1_234_567 + seq,
  };
}
const small = (seq: number): BatchSample => ({ seq, timestamp: T0 + seq * 1000, cpu: { usage_percent: (seq % 100) + 0.5 }, uptime_s: seq });
const range = (from: number, count: number, make = small) => Array.from({ length: count }, (_, i) => make(from + i));
const seqs = (samples: BatchSample[]) => samples.map((s) => s.seq);
const segmentFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith(".seg")).sort();
/** Reads everything still buffered, oldest first, consuming it `batch` at a time as the runtime does. */
async function drain(buffer: DiskBuffer, batch = 500): Promise<BatchSample[]> {
  const all: BatchSample[] = [];
  for (;;) {
    const got = await buffer.peek(batch);
    if (got.length === 0) return all;
    all.push(...got);
    await buffer.shift(got.length);
  }
}
/** Byte offset of record `index` in a segment written from `samples` in order. */
const recordOffset = (samples: BatchSample[], index: number) => samples.slice(0, index).reduce((sum, s) => sum + encodeRecord(s).length, 0);

describe("DiskBuffer", () => {
  it("gives back what was appended, in order, until it is shifted away", async () => {
    const buffer = await openBuffer(tempDir());
    await buffer.append(range(0, 3));
    await buffer.append([]);
    await buffer.append(range(3, 2));
    expect(await buffer.peek(10)).toEqual(range(0, 5));
    expect(await buffer.peek(2)).toEqual(range(0, 2));
    expect(buffer.stats()).toMatchObject({ samples: 5, dropped: 0, corrupt: 0 });
    expect(buffer.stats().bytes).toBeGreaterThan(0);
    await buffer.shift(2);
    expect(seqs(await buffer.peek(10))).toEqual([2, 3, 4]);
    await buffer.shift(3);
    expect(await buffer.peek(10)).toEqual([]);
    expect(buffer.stats().samples).toBe(0);
  });

  it("keeps the order across many segments and deletes each one once it is consumed", async () => {
    const dir = tempDir();
    const buffer = await openBuffer(dir, { segmentBytes: 1024 });
    const sizes = [1, 7, 30, 2, 45, 1, 1, 13, 60, 40];
    let next = 0;
    for (const size of sizes) {
      await buffer.append(range(next, size));
      next += size;
    }
    expect(segmentFiles(dir).length).toBeGreaterThan(5);
    expect(buffer.stats().samples).toBe(next);
    const read: BatchSample[] = [];
    for (;;) {
      const got = await buffer.peek(37);
      if (got.length === 0) break;
      read.push(...got);
      await buffer.shift(got.length);
      // Appends keep coming while the back-fill runs.
      if (next < 250) {
        await buffer.append(range(next, 3));
        next += 3;
      }
    }
    expect(seqs(read)).toEqual(seqs(range(0, next)));
    expect(segmentFiles(dir)).toHaveLength(1);
    expect(buffer.stats()).toMatchObject({ samples: 0, dropped: 0, corrupt: 0 });
  });

  it("survives a restart: records, head position and counters", async () => {
    const dir = tempDir();
    let buffer = await openBuffer(dir, { segmentBytes: 1024, capBytes: 4096 });
    for (let i = 0; i < 200; i += 10) await buffer.append(range(i, 10)); // over the cap: the oldest are dropped
    const dropped = buffer.stats().dropped;
    expect(dropped).toBeGreaterThan(0);
    const first = await buffer.peek(10);
    expect(first[0]!.seq).toBe(dropped);
    await buffer.shift(10);
    const before = buffer.stats();
    await buffer.close();

    buffer = await openBuffer(dir, { segmentBytes: 1024, capBytes: 4096 });
    expect(buffer.stats()).toEqual(before);
    expect(seqs(await drain(buffer))).toEqual(seqs(range(dropped + 10, 200 - dropped - 10)));
    await buffer.append(range(200, 5));
    await buffer.close();

    buffer = await openBuffer(dir, { segmentBytes: 1024, capBytes: 4096 });
    expect(buffer.stats()).toMatchObject({ samples: 5, dropped, corrupt: 0 });
    expect(seqs(await buffer.peek(100))).toEqual([200, 201, 202, 203, 204]);
  });

  it("drops whole oldest segments over the cap and counts what they held", async () => {
    const dir = tempDir();
    const buffer = await openBuffer(dir, { capBytes: 8 * 1024, segmentBytes: 2 * 1024 });
    for (let i = 0; i < 1000; i += 10) {
      await buffer.append(range(i, 10));
      expect(buffer.stats().bytes).toBeLessThanOrEqual(8 * 1024);
    }
    const { samples, dropped, bytes } = buffer.stats();
    expect(dropped).toBeGreaterThan(500);
    expect(samples + dropped).toBe(1000);
    expect(bytes).toBe(segmentFiles(dir).reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0));
    expect(seqs(await drain(buffer))).toEqual(seqs(range(dropped, samples)));
  });

  it("never shifts away samples the cap dropped between peek and shift, nor any that were not sent", async () => {
    const buffer = await openBuffer(tempDir(), { capBytes: 4 * 1024, segmentBytes: 1024 });
    await buffer.append(range(0, 10));
    expect(seqs(await buffer.peek(5))).toEqual([0, 1, 2, 3, 4]);
    // While that batch is on the wire, the outage goes on and the cap drops its segment.
    for (let i = 10; i < 200; i += 10) await buffer.append(range(i, 10));
    const { samples, dropped } = buffer.stats();
    expect(dropped).toBeGreaterThan(5);
    await buffer.shift(5);
    expect(buffer.stats().samples).toBe(samples);
    expect((await buffer.peek(1))[0]!.seq).toBe(dropped);
  });

  it("skips a record with a flipped byte, counts it once, and reads the others", async () => {
    const dir = tempDir();
    const samples = range(0, 10, realisticSample);
    let buffer = await openBuffer(dir);
    await buffer.append(samples);
    await buffer.close();
    const [segment] = segmentFiles(dir);
    const file = path.join(dir, segment!);
    const bytes = readFileSync(file);
    bytes[recordOffset(samples, 4) + 40]! ^= 0x20;
    writeFileSync(file, bytes);

    buffer = await openBuffer(dir);
    expect(buffer.stats()).toMatchObject({ samples: 9, corrupt: 1 });
    expect(await buffer.peek(100)).toEqual(samples.filter((s) => s.seq !== 4));
    expect(buffer.stats().corrupt).toBe(1);
    await buffer.close();
    // Not consumed yet: found again on the next open, and still counted once.
    buffer = await openBuffer(dir);
    expect(buffer.stats()).toMatchObject({ samples: 9, corrupt: 1 });
    expect(await drain(buffer, 3)).toHaveLength(9);
    await buffer.close();
    // Consumed: the count is kept in the head file.
    buffer = await openBuffer(dir);
    expect(buffer.stats()).toMatchObject({ samples: 0, corrupt: 1 });
  });

  it("skips a record damaged while the buffer is open, when it is read", async () => {
    const dir = tempDir();
    const samples = range(0, 6, realisticSample);
    const buffer = await openBuffer(dir);
    await buffer.append(samples);
    const file = path.join(dir, segmentFiles(dir)[0]!);
    const bytes = readFileSync(file);
    bytes[recordOffset(samples, 2) + 30]! ^= 0x01;
    writeFileSync(file, bytes);
    expect(seqs(await buffer.peek(100))).toEqual([0, 1, 3, 4, 5]);
    expect(seqs(await buffer.peek(100))).toEqual([0, 1, 3, 4, 5]);
    expect(buffer.stats()).toMatchObject({ samples: 5, corrupt: 1 });
  });

  it("skips a torn record at the tail after a crash, and keeps what is appended after it", async () => {
    const dir = tempDir();
    let buffer = await openBuffer(dir);
    await buffer.append(range(0, 10, realisticSample));
    await buffer.close();
    const file = path.join(dir, segmentFiles(dir)[0]!);
    truncateSync(file, statSync(file).size - 17);

    buffer = await openBuffer(dir);
    expect(buffer.stats()).toMatchObject({ samples: 9, corrupt: 1 });
    await buffer.append(range(10, 5, realisticSample));
    expect(seqs(await buffer.peek(100))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14]);
    await buffer.close();

    buffer = await openBuffer(dir);
    expect(buffer.stats()).toMatchObject({ samples: 14, corrupt: 1 });
    expect(seqs(await drain(buffer))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14]);
  });

  it("carries on after zeros at the end of a segment (a crash with blocks allocated but not written)", async () => {
    const dir = tempDir();
    let buffer = await openBuffer(dir);
    await buffer.append(range(0, 3));
    await buffer.close();
    const file = path.join(dir, segmentFiles(dir)[0]!);
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.alloc(4096)]));
    buffer = await openBuffer(dir);
    await buffer.append(range(3, 2));
    expect(seqs(await drain(buffer))).toEqual([0, 1, 2, 3, 4]);
    expect(buffer.stats().corrupt).toBe(1);
  });

  it("recovers from garbage segment files, stray files and a garbage head file without throwing", async () => {
    const dir = tempDir();
    let buffer = await openBuffer(dir, { segmentBytes: 2048 });
    await buffer.append(range(0, 20));
    await buffer.append(range(20, 20));
    await buffer.shift(0);
    await buffer.close();
    const random = prng(42);
    const noise = Buffer.from(Array.from({ length: 20_000 }, () => Math.floor(random() * 256)));
    writeFileSync(path.join(dir, "99999998.seg"), noise);
    writeFileSync(path.join(dir, "notes.txt"), "not a segment");
    writeFileSync(path.join(dir, "head.json"), noise.subarray(0, 300));

    buffer = await openBuffer(dir, { segmentBytes: 2048 });
    expect(buffer.stats()).toMatchObject({ samples: 40, corrupt: 1 });
    await buffer.append(range(40, 2));
    expect(seqs(await drain(buffer))).toEqual(seqs(range(0, 42)));
    await buffer.close();

    for (const head of ["", "{}", '{"segment":-1,"offset":"x"}', '{"segment":123456,"offset":99,"dropped":0,"corrupt":0}', "null"]) {
      writeFileSync(path.join(dir, "head.json"), head);
      buffer = await openBuffer(dir, { segmentBytes: 2048 });
      // The consumed position is lost, so the oldest segment is read again (the hub drops duplicates); nothing is lost.
      expect((await buffer.peek(1000)).at(-1)?.seq).toBe(41);
      await buffer.close();
    }
  });

  it("creates a missing directory, private to the user", async () => {
    const dir = path.join(tempDir(), "nested", "buffer");
    const buffer = await openBuffer(dir);
    await buffer.append(range(0, 1));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, segmentFiles(dir)[0]!)).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(dir, "head.json"))).toBe(true);
  });

  it("serialises concurrent calls and refuses calls after close", async () => {
    const buffer = await openBuffer(tempDir());
    const appends = Array.from({ length: 20 }, (_, i) => buffer.append(range(i * 5, 5)));
    const peeked = buffer.peek(1000);
    await Promise.all(appends);
    expect(seqs(await peeked)).toEqual(seqs(range(0, 100)));
    await buffer.close();
    await buffer.close();
    await expect(buffer.append(range(100, 1))).rejects.toThrow(/closed/);
  });

  it("holds a day's outage at 1 Hz (86,400 realistic samples) under 64 MiB", async ({ annotate }) => {
    const dir = tempDir();
    const day = 86_400;
    const jsonBytes = Buffer.byteLength(JSON.stringify(realisticSample(0)));
    let buffer = await openBuffer(dir);
    for (let seq = 0; seq < day; seq += 480) await buffer.append(range(seq, Math.min(480, day - seq), realisticSample));
    const { samples, bytes, dropped } = buffer.stats();
    expect({ samples, dropped }).toEqual({ samples: day, dropped: 0 });
    expect(bytes).toBeLessThan(64 * 1024 * 1024);
    const perSample = bytes / day;
    expect(perSample).toBeLessThan(400);
    await annotate(`${jsonBytes} bytes of JSON per sample → ${perSample.toFixed(1)} bytes on disk per sample; a day = ${(bytes / 2 ** 20).toFixed(1)} MiB`);
    await buffer.close();

    buffer = await openBuffer(dir);
    expect(buffer.stats()).toEqual({ samples: day, bytes, dropped: 0, corrupt: 0 });
    expect(await buffer.peek(2)).toEqual([realisticSample(0), realisticSample(1)]);
  });
});
