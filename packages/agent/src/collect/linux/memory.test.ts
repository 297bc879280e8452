/** Memory collector tests: the fixtures worked out by hand, an old kernel without MemAvailable, and this machine against `free -b`. */
import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { fixtureSource, liveSource, recordedSource } from "../source.js";
import { collectMemory, parseMeminfo } from "./memory.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../../test-fixtures/${name}`, import.meta.url));
const tempDirs: string[] = [];
afterAll(async () => Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true }))));

async function treeWithMeminfo(meminfo: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "sm-meminfo-"));
  tempDirs.push(dir);
  await mkdir(path.join(dir, "proc"));
  await writeFile(path.join(dir, "proc/meminfo"), meminfo);
  return dir;
}

describe("collectMemory on the fixtures", () => {
  test.each([
    // MemTotal 24684084 kB, MemAvailable 23856724 kB → used 827360 kB = 3.35 %; no swap.
    ["vm-2core-debian12", { total: 25_276_502_016, available: 24_429_285_376, used: 847_216_640, used_percent: 3.35, swap_total: 0, swap_used: 0 }],
    // MemTotal 32768000 kB, MemAvailable 21470740 kB → used 11297260 kB = 34.48 %; swap 2097152 kB, 1572864 kB free → 524288 kB used.
    ["desktop-16core-cpufreq", { total: 33_554_432_000, available: 21_986_037_760, used: 11_568_394_240, used_percent: 34.48, swap_total: 2_147_483_648, swap_used: 536_870_912 }],
    // MemTotal 32000000 kB, MemAvailable 27999000 kB → used 4001000 kB = 12.503 % → 12.5; swap 8388604 kB all free.
    ["server-many-mounts", { total: 32_768_000_000, available: 28_670_976_000, used: 4_097_024_000, used_percent: 12.5, swap_total: 8_589_930_496, swap_used: 0 }],
  ])("%s (t1)", async (name, expected) => {
    const { value } = await collectMemory(await recordedSource(fixture(name), "t1"), undefined, 0);
    expect(value).toEqual(expected);
  });

  test("kernels before 3.14 have no MemAvailable: free + buffers + cached stands in", async () => {
    const dir = await treeWithMeminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n");
    const { value } = await collectMemory(fixtureSource(dir), undefined, 0);
    expect(value).toEqual({ total: 1_024_000, available: 409_600, used: 614_400, used_percent: 60, swap_total: 0, swap_used: 0 });
  });

  test("fields without a unit (HugePages_Total) are counts, not KiB; an unreadable meminfo is absent", async () => {
    expect(parseMeminfo("HugePages_Total:       7\nHugepagesize:       2048 kB\n")).toEqual(new Map([["HugePages_Total", 7], ["Hugepagesize", 2_097_152]]));
    expect((await collectMemory(fixtureSource("/nonexistent-statusmonitor-fixture"), undefined, 0)).value).toBeUndefined();
  });
});

describe("collectMemory on this machine", () => {
  test("agrees with free -b: total exactly, available within 3 %", async () => {
    const { value } = await collectMemory(liveSource(), undefined, 0);
    const mem = execFileSync("free", ["-b"], { encoding: "utf8" }).split("\n").find((l) => l.startsWith("Mem:"))!.trim().split(/\s+/);
    const swap = execFileSync("free", ["-b"], { encoding: "utf8" }).split("\n").find((l) => l.startsWith("Swap:"))!.trim().split(/\s+/);
    const [total, available] = [Number(mem[1]), Number(mem[6])];
    expect(value?.total).toBe(total);
    expect(Math.abs(value!.available! - available)).toBeLessThanOrEqual(total * 0.03);
    expect(value?.swap_total).toBe(Number(swap[1]));
    expect(value!.used! + value!.available!).toBe(total);
  });
});
