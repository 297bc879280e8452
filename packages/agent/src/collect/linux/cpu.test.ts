/** CPU collector tests: tick parsing and deltas by table, the three fixtures worked out by hand, and this machine against nproc. */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { fixtureSource, liveSource, recordedSource, type SystemSource } from "../source.js";
import { collectCpu, type CpuState } from "./cpu.js";
import { perCoreUsage, usageBetween } from "./cpu-usage.js";
import { parseCpuinfo, physicalCoreCount } from "./cpuinfo.js";
import { parseLoadavg } from "./load.js";
import { parseProcStat, type CpuTicks } from "./proc-stat.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../../test-fixtures/${name}`, import.meta.url));
const snapshots = async (name: string) => Promise.all([recordedSource(fixture(name), "t0"), recordedSource(fixture(name), "t1")]);

/** Counts how often each file is read, to check what is read once per process. */
function counting(source: SystemSource): { source: SystemSource; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    reads,
    source: { ...source, readText: (file) => (reads.set(file, (reads.get(file) ?? 0) + 1), source.readText(file)) },
  };
}

const ticks = (user: number, nice: number, system: number, idle: number, iowait = 0, irq = 0, softirq = 0, steal = 0): CpuTicks => ({
  user, nice, system, idle, iowait, irq, softirq, steal,
});

describe("parseProcStat", () => {
  test("reads the total, every core and btime; guest columns are not part of the ticks", () => {
    const stat = parseProcStat(
      "cpu  100 2 30 400 5 6 7 8 90 1\ncpu0 50 1 15 200 2 3 3 4 45 1\ncpu2 50 1 15 200 3 3 4 4 45 0\nintr 1 2 3\nbtime 1700000000\n",
    );
    expect(stat.total).toEqual(ticks(100, 2, 30, 400, 5, 6, 7, 8));
    expect(stat.cores.map((c) => c.id)).toEqual([0, 2]);
    expect(stat.cores[1]!.ticks).toEqual(ticks(50, 1, 15, 200, 3, 3, 4, 4));
    expect(stat.bootTimeMs).toBe(1_700_000_000_000);
  });

  test("an old kernel's four columns leave the newer ones at zero", () => {
    expect(parseProcStat("cpu 10 20 30 40\n").total).toEqual(ticks(10, 20, 30, 40));
  });
});

describe("usageBetween", () => {
  test.each([
    // [before, after, expected]
    ["all busy in user", ticks(0, 0, 0, 0), ticks(100, 0, 0, 0), { usage_percent: 100, user_percent: 100, system_percent: 0, iowait_percent: 0, steal_percent: 0 }],
    ["nice counts as user, irq and softirq as system", ticks(0, 0, 0, 0), ticks(10, 10, 10, 60, 0, 5, 5, 0), { usage_percent: 40, user_percent: 20, system_percent: 20, iowait_percent: 0, steal_percent: 0 }],
    ["iowait is not busy; steal is", ticks(0, 0, 0, 0), ticks(0, 0, 0, 50, 25, 0, 0, 25), { usage_percent: 25, user_percent: 0, system_percent: 0, iowait_percent: 25, steal_percent: 25 }],
    ["thirds round to two decimals", ticks(0, 0, 0, 0), ticks(1, 0, 0, 2), { usage_percent: 33.33, user_percent: 33.33, system_percent: 0, iowait_percent: 0, steal_percent: 0 }],
  ])("%s", (_name, before, after, expected) => {
    expect(usageBetween(before, after)).toEqual(expected);
  });

  test("guest time, already inside user, is not counted twice", () => {
    // 30 user ticks of which 20 ran a guest, 70 idle: 30 % busy, not 50/120.
    const stat0 = parseProcStat("cpu 100 0 0 100 0 0 0 0 40 0\n");
    const stat1 = parseProcStat("cpu 130 0 0 170 0 0 0 0 60 0\n");
    expect(usageBetween(stat0.total!, stat1.total!)?.usage_percent).toBe(30);
  });

  test("no tick elapsed, or a counter going backwards, yields no usage rather than zero", () => {
    expect(usageBetween(ticks(5, 0, 5, 90), ticks(5, 0, 5, 90))).toBeUndefined();
    expect(usageBetween(ticks(5, 0, 5, 90, 10), ticks(15, 0, 5, 190, 9))).toBeUndefined();
  });

  test("per core: a core appearing, disappearing or going backwards yields no per-core usage", () => {
    const a = [{ id: 0, ticks: ticks(0, 0, 0, 0) }, { id: 1, ticks: ticks(0, 0, 0, 0) }];
    const b = [{ id: 0, ticks: ticks(50, 0, 0, 50) }, { id: 1, ticks: ticks(25, 0, 0, 75) }];
    expect(perCoreUsage(a, b)).toEqual([50, 25]);
    expect(perCoreUsage(a, [...b, { id: 2, ticks: ticks(1, 0, 0, 1) }])).toBeUndefined();
    expect(perCoreUsage(a, [b[0]!, { id: 2, ticks: ticks(25, 0, 0, 75) }])).toBeUndefined();
    expect(perCoreUsage(b, [b[0]!, { id: 1, ticks: ticks(24, 0, 0, 80) }])).toBeUndefined();
  });
});

describe("cpuinfo and loadavg", () => {
  test("physical cores are distinct (package, core) pairs; without core ids the count is unknown", () => {
    const twoPackages = [0, 1, 2, 3].map((p) => `processor\t: ${p}\nphysical id\t: ${p >> 1}\ncore id\t\t: ${p & 1}\ncpu MHz\t\t: 1000.5\n`).join("\n");
    expect(physicalCoreCount(parseCpuinfo(twoPackages))).toBe(4);
    const smt = [0, 1, 2, 3].map((p) => `processor\t: ${p}\nphysical id\t: 0\ncore id\t\t: ${p % 2}\n`).join("\n");
    expect(physicalCoreCount(parseCpuinfo(smt))).toBe(2);
    const arm = "processor\t: 0\nBogoMIPS\t: 48.00\nCPU part\t: 0xd0c\n\nprocessor\t: 1\nBogoMIPS\t: 48.00\n";
    expect(physicalCoreCount(parseCpuinfo(arm))).toBeUndefined();
    expect(parseCpuinfo(twoPackages)[0]!.mhz).toBe(1000.5);
  });

  test("load averages", () => {
    expect(parseLoadavg("0.75 0.87 0.84 2/139 25252\n")).toEqual([0.75, 0.87, 0.84]);
    expect(parseLoadavg("garbage")).toBeUndefined();
  });
});

describe("collectCpu on the fixtures", () => {
  test("the first reading primes the deltas: counts, frequency and load but no usage", async () => {
    const [t0] = await snapshots("vm-2core-debian12");
    const { value } = await collectCpu(t0, undefined, 0);
    expect(value).toEqual({ per_core_freq_mhz: [2596, 2596], freq_mhz: { current: 2596 }, load_avg: [0.38, 0.49, 0.67], count: 2, count_logical: 2 });
  });

  test("recorded 2-core VM: usage from the recorded tick deltas, MHz from cpuinfo (no cpufreq)", async () => {
    const [t0, t1] = await snapshots("vm-2core-debian12");
    const first = await collectCpu(t0, undefined, 0);
    const { value } = await collectCpu(t1, first.state, 1000);
    // Total deltas: user 135539-135386 = 153, system 24243-24228 = 15, idle 482011-481978 = 33, the rest 0: 201 ticks.
    // Busy 168/201 = 83.58 %, user 153/201 = 76.12 %, system 15/201 = 7.46 %.
    // cpu0: user 80, system 8, idle 14 → 88/102 = 86.27 %; cpu1: user 74, system 7, idle 20 → 81/101 = 80.20 %.
    expect(value).toEqual({
      usage_percent: 83.58,
      user_percent: 76.12,
      system_percent: 7.46,
      iowait_percent: 0,
      steal_percent: 0,
      per_core_usage: [86.27, 80.2],
      per_core_freq_mhz: [2596, 2596],
      freq_mhz: { current: 2596 },
      load_avg: [0.38, 0.49, 0.67],
      count: 2,
      count_logical: 2,
    });
  });

  test("hand-made 16-thread desktop: guest not double counted, cpufreq per core, min and max", async () => {
    const [t0, t1] = await snapshots("desktop-16core-cpufreq");
    const first = await collectCpu(t0, undefined, 0);
    // t0 frequencies (kHz): cpu0 4 850 000, cpu1 3 800 000, cpu7 3 600 500 (→ 3601 MHz after rounding), the rest 2 200 000.
    // Mean of the unrounded MHz: (4850 + 3800 + 3600.5 + 13 × 2200) / 16 = 40850.5 / 16 = 2553.16 → 2553.
    expect(first.value?.per_core_freq_mhz).toEqual([4850, 3800, 2200, 2200, 2200, 2200, 2200, 3601, 2200, 2200, 2200, 2200, 2200, 2200, 2200, 2200]);
    expect(first.value?.freq_mhz).toEqual({ current: 2553, min: 2200, max: 4850 });

    const { value } = await collectCpu(t1, first.state, 1000);
    // Every core ran 100 ticks. cpu0: user 52 (12 of them guest), system 12, idle 32, iowait 4 → 64 % busy.
    // cpu1: user 20, nice 4, system 4, irq 4, softirq 4, steal 4, idle 60 → 40 %. cpu2–15: user 10, system 6, idle 84 → 16 %.
    // Total over 1600 ticks: user+nice 216 → 13.5 %, system+irq+softirq 108 → 6.75 %, iowait 4 → 0.25 %, steal 4 → 0.25 %,
    // busy 1600 − 1268 idle − 4 iowait = 328 → 20.5 %. Counting guest again would give 340/1612 = 21.09 %.
    // t1 frequencies: cpu0 4 849 512 kHz → 4850, cpu1 3600, the rest 2200; mean (4849.512 + 3600 + 14 × 2200) / 16 = 2453.09 → 2453.
    expect(value).toEqual({
      usage_percent: 20.5,
      user_percent: 13.5,
      system_percent: 6.75,
      iowait_percent: 0.25,
      steal_percent: 0.25,
      per_core_usage: [64, 40, ...Array(14).fill(16)],
      per_core_freq_mhz: [4850, 3600, ...Array(14).fill(2200)],
      freq_mhz: { current: 2453, min: 2200, max: 4850 },
      load_avg: [1.48, 1.21, 0.98],
      count: 8,
      count_logical: 16,
    });
  });

  test("hand-made 4-core server: two packages, frequency from cpuinfo", async () => {
    const [t0, t1] = await snapshots("server-many-mounts");
    const first = await collectCpu(t0, undefined, 0);
    const { value } = await collectCpu(t1, first.state, 1000);
    // Per core (100 ticks each): 25 user + 5 system + 10 iowait | 50 + 10 | 5 + 5 | all idle → 30, 60, 10, 0 %.
    // Total over 400: user 80 → 20 %, system 20 → 5 %, iowait 10 → 2.5 %, busy 100 → 25 %.
    // cpuinfo MHz 2900.000, 2899.998, 1200.321, 1199.500 → 2900, 2900, 1200, 1200; mean 8199.819 / 4 = 2049.95 → 2050.
    expect(value).toEqual({
      usage_percent: 25,
      user_percent: 20,
      system_percent: 5,
      iowait_percent: 2.5,
      steal_percent: 0,
      per_core_usage: [30, 60, 10, 0],
      per_core_freq_mhz: [2900, 2900, 1200, 1200],
      freq_mhz: { current: 2050 },
      load_avg: [3.01, 2.87, 2.64],
      count: 4,
      count_logical: 4,
    });
  });

  test("cpuinfo and the cpufreq limits are read once; cpufreq's current value every time", async () => {
    const [t0, t1] = await snapshots("desktop-16core-cpufreq");
    const a = counting(t0);
    const first = await collectCpu(a.source, undefined, 0);
    const b = counting(t1);
    let state: CpuState = first.state;
    for (let i = 1; i <= 3; i++) state = (await collectCpu(b.source, state, i * 1000)).state;
    expect(a.reads.get("/proc/cpuinfo")).toBe(1);
    expect(b.reads.get("/proc/cpuinfo")).toBeUndefined();
    expect(b.reads.get("/sys/devices/system/cpu/cpu3/cpufreq/cpuinfo_max_freq")).toBeUndefined();
    expect(b.reads.get("/sys/devices/system/cpu/cpu3/cpufreq/scaling_cur_freq")).toBe(3);
  });

  test("a machine without /proc gives no CPU value at all, not zeros", async () => {
    const empty = fixtureSource("/nonexistent-statusmonitor-fixture");
    expect((await collectCpu(empty, undefined, 0)).value).toBeUndefined();
  });
});

describe("collectCpu on this machine", () => {
  test("logical cores match nproc, and usage appears once a tick has elapsed", async () => {
    const source = liveSource();
    const first = await collectCpu(source, undefined, Date.now());
    expect(first.value?.count_logical).toBe(Number(execFileSync("nproc", { encoding: "utf8" }).trim()));
    expect(first.value?.usage_percent).toBeUndefined();

    // Poll, always against the first reading, until every core has advanced by a tick (10 ms at USER_HZ 100).
    let value = first.value;
    const deadline = Date.now() + 5000;
    while (value?.per_core_usage === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      ({ value } = await collectCpu(source, first.state, Date.now()));
    }
    expect(value?.per_core_usage).toHaveLength(first.value!.count_logical!);
    const { usage_percent: usage, user_percent, system_percent, steal_percent } = value!;
    // user + system + steal = usage, give or take the rounding of each to two decimals.
    expect(Math.abs(user_percent! + system_percent! + steal_percent! - usage!)).toBeLessThanOrEqual(0.02);
    expect(usage).toBeGreaterThanOrEqual(0);
    expect(usage).toBeLessThanOrEqual(100);
  });
});
