/** Portable collector tests with a stand-in `os` module: Windows and macOS quirks, absent values, and the schema. */
import type { CpuInfo } from "node:os";
import { batchSample } from "@statusmonitor/protocol";
import { describe, expect, test } from "vitest";
import { fixtureSource, type SystemSource } from "../source.js";
import { collectPortableCpu } from "./cpu.js";
import { systemVolume } from "./disks.js";
import { readPortableHostFacts, readPortableOsName } from "./host.js";
import { createPortableCollectors } from "./index.js";
import type { OsApi } from "./os-api.js";

const core = (user: number, sys: number, idle: number, irq = 0, nice = 0, speed = 2400): CpuInfo => ({ model: "Test CPU", speed, times: { user, nice, sys, idle, irq } });

function fakeOs(cpus: CpuInfo[][], overrides: Partial<OsApi> = {}): OsApi & { tick(): void } {
  let reading = 0;
  return {
    cpus: () => cpus[Math.min(reading, cpus.length - 1)]!,
    tick: () => void reading++,
    loadavg: () => [1.5, 1.25, 1],
    totalmem: () => 16 * 1024 ** 3,
    freemem: () => 4 * 1024 ** 3,
    uptime: () => 3600,
    release: () => "23.1.0",
    version: () => "Darwin Kernel Version 23.1.0",
    type: () => "Darwin",
    homedir: () => "/Users/me",
    ...overrides,
  };
}

const nothing = fixtureSource("/nonexistent-statusmonitor-fixture");

describe("collectPortableCpu", () => {
  test("usage from os.cpus() time differences; no iowait or steal on these platforms", () => {
    const os = fakeOs([[core(1000, 500, 8000), core(2000, 1000, 7000)], [core(1600, 600, 8300), core(2100, 1100, 7800)]]);
    const first = collectPortableCpu(os, "darwin", undefined);
    expect(first.value.usage_percent).toBeUndefined();
    os.tick();
    const { value } = collectPortableCpu(os, "darwin", first.state);
    // core 0: user 600, sys 100, idle 300 → 70 %; core 1: user 100, sys 100, idle 800 → 20 %; total 900 of 2000 → 45 %.
    expect(value).toEqual({
      usage_percent: 45,
      user_percent: 35,
      system_percent: 10,
      per_core_usage: [70, 20],
      per_core_freq_mhz: [2400, 2400],
      freq_mhz: { current: 2400 },
      load_avg: [1.5, 1.25, 1],
      count_logical: 2,
    });
  });

  test("Windows: irq is already inside sys, and the load average (always zeros there) is absent", () => {
    const os = fakeOs([[core(0, 0, 0, 0)], [core(200, 200, 500, 100)]]);
    const first = collectPortableCpu(os, "win32", undefined);
    os.tick();
    const { value } = collectPortableCpu(os, "win32", first.state);
    // 900 ms in all: busy 400 → 44.44 %; counting irq again would give 500/1000 = 50 %.
    expect(value.usage_percent).toBe(44.44);
    expect(value.system_percent).toBe(22.22);
    expect(value.load_avg).toBeUndefined();
  });

  test("a speed of 0 is unknown, and a change in core count yields no usage", () => {
    const os = fakeOs([[core(0, 0, 0, 0, 0, 0)], [core(10, 0, 10, 0, 0, 0), core(10, 0, 10, 0, 0, 0)]]);
    const first = collectPortableCpu(os, "darwin", undefined);
    os.tick();
    const { value } = collectPortableCpu(os, "darwin", first.state);
    expect(value.per_core_freq_mhz).toBeUndefined();
    expect(value.freq_mhz).toBeUndefined();
    expect(value.usage_percent).toBeUndefined();
    expect(value.count_logical).toBe(2);
  });
});

describe("portable host facts", () => {
  test("macOS name from SystemVersion.plist, read once", async () => {
    const plist = "<dict>\n\t<key>ProductName</key>\n\t<string>macOS</string>\n\t<key>ProductVersion</key>\n\t<string>14.2.1</string>\n</dict>";
    let reads = 0;
    const source: SystemSource = { ...nothing, readText: async (f) => (reads++, f.endsWith("SystemVersion.plist") ? plist : undefined) };
    expect(await readPortableOsName(source, fakeOs([]), "darwin")).toBe("macOS 14.2.1");
    expect(await readPortableOsName(nothing, fakeOs([]), "darwin")).toBe("macOS (Darwin 23.1.0)");
    const collectors = createPortableCollectors(source, "darwin", fakeOs([[core(1, 1, 1)]]), () => 1_700_000_000_400);
    await collectors.facts();
    const facts = await collectors.facts();
    expect(reads).toBe(2);
    // Boot time: now − uptime (3600 s), to the whole second.
    expect(facts).toEqual({ hostname: "fixture", os: "macOS 14.2.1", arch: process.arch, boot_time: 1_699_996_400_000, kernel: "23.1.0" });
  });

  test("Windows 11 is told apart by its build number; other systems say type and release", async () => {
    const win = (release: string) => fakeOs([], { release: () => release, version: () => "Windows 10 Pro", homedir: () => "D:\\Users\\me" });
    expect(await readPortableOsName(nothing, win("10.0.22631"), "win32")).toBe("Windows 11 Pro");
    expect(await readPortableOsName(nothing, win("10.0.19045"), "win32")).toBe("Windows 10 Pro");
    expect(await readPortableOsName(nothing, fakeOs([], { type: () => "FreeBSD", release: () => "14.1-RELEASE" }), "freebsd")).toBe("FreeBSD 14.1-RELEASE");
    expect(systemVolume(win("10.0.22631"), "win32")).toBe("D:\\");
    expect(systemVolume(fakeOs([]), "darwin")).toBe("/");
    expect(readPortableHostFacts(nothing, fakeOs([]), "x", 10_000_000).boot_time).toBe(6_400_000);
  });
});

describe("createPortableCollectors", () => {
  test("samples hold CPU, memory, the system volume and uptime; no swap, disk I/O, network or temperatures", async () => {
    const os = fakeOs([[core(0, 0, 0)], [core(50, 0, 50)]]);
    const source = fixtureSource("/nonexistent-statusmonitor-fixture", { statfs: { "/": { totalBytes: 1000, freeBytes: 400, availableBytes: 300 } } });
    const collectors = createPortableCollectors(source, "darwin", os);
    await collectors.sample(1);
    os.tick();
    const body = await collectors.sample(2);
    expect(body).toEqual({
      timestamp: 2,
      cpu: { usage_percent: 50, user_percent: 50, system_percent: 0, per_core_usage: [50], per_core_freq_mhz: [2400], freq_mhz: { current: 2400 }, load_avg: [1.5, 1.25, 1], count_logical: 1 },
      memory: { total: 17_179_869_184, available: 4_294_967_296, used: 12_884_901_888, used_percent: 75 },
      // used 600, available 300 → 600 / 900 = 66.67 %
      disks: [{ mountpoint: "/", total: 1000, used: 600, free: 300, used_percent: 66.67 }],
      uptime_s: 3600,
    });
    expect(batchSample.safeParse({ ...body, seq: 0 }).success).toBe(true);
  });
});
