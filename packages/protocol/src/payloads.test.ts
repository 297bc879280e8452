/** Checks the agent payload schemas: both original agents' payloads and our batch parse, and non-finite, negative or oversized data is refused. */
import { describe, expect, it } from "vitest";
import { batchPayload } from "./batch-payload.js";
import { MAX_CORES, MAX_COUNTER, MAX_SAMPLES_PER_BATCH } from "./limits.js";
import { originalGuiPayload, originalHeadlessPayload, originalPayload } from "./original-payload.js";

// The fixtures live with the server's test support; a computed specifier keeps the protocol free of file I/O imports.
const fixturesDir = new URL("../../server/src/test-support/fixtures/", import.meta.url);
async function fixture(name: string): Promise<Record<string, any>> {
  const mod = await import(/* @vite-ignore */ new URL(name, fixturesDir).href, { with: { type: "json" } });
  return structuredClone(mod.default);
}

const headless = await fixture("original-headless.json");
const gui = await fixture("original-gui.json");

function batchExample(samples = 2): Record<string, any> {
  return {
    agent: { hostname: "web-01", os: "linux", arch: "x64", version: "0.1.0", boot_time: 1_764_000_000_000, kernel: "6.8.0" },
    samples: Array.from({ length: samples }, (_, i) => ({
      seq: i,
      timestamp: 1_764_545_441_000 + i * 1000,
      cpu: { usage_percent: 12.5, per_core_usage: [10, 15], load_avg: [0.5, 0.4, 0.3], count: 1, count_logical: 2 },
      memory: { total: 8_000_000_000, available: 6_000_000_000, used: 2_000_000_000, used_percent: 25 },
      disks: [{ mountpoint: "/", device: "/dev/sda1", fstype: "ext4", total: 100, used: 40, free: 60, used_percent: 40 }],
      disk_io: { read_bytes: 1, write_bytes: 2, read_ops: 3, write_ops: 4 },
      network: {
        interfaces: [
          { name: "eth0", bytes_sent: 10, bytes_recv: 20, packets_sent: 1, packets_recv: 2 },
          { name: "wlan0", bytes_sent: 5, bytes_recv: 6, packets_sent: 7, packets_recv: 8, errin: 0 },
        ],
      },
      temperatures: [{ label: "cpu", celsius: 51.5 }],
      uptime_s: 3600,
    })),
  };
}

/** Sets `value` at a dotted path (numeric segments index arrays) in a deep copy of `base`. */
function withValue(base: Record<string, any>, path: string, value: unknown): Record<string, any> {
  const copy = structuredClone(base);
  const keys = path.split(".");
  let node: any = copy;
  for (const key of keys.slice(0, -1)) node = node[key];
  node[keys.at(-1)!] = value;
  return copy;
}

function issuePaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((issue) => issue.path.join("."));
}

describe("original payloads", () => {
  it("parses the headless fixture with its own schema and with the union schema", () => {
    expect(originalHeadlessPayload.safeParse(headless).success).toBe(true);
    const parsed = originalPayload.parse(headless);
    expect(parsed.timestamp).toBe(1764545441.52);
    expect(parsed.cpu?.load_avg).toEqual([0.52, 0.41, 0.38]);
    expect(parsed.disk?.io?.busy_time).toBe(2212345);
    expect(parsed.disk?.partitions?.[0]?.fstype).toBe("ext4");
    expect(parsed.network?.dropin).toBe(12);
  });

  it("parses the GUI fixture with its own schema and with the union schema", () => {
    expect(originalGuiPayload.safeParse(gui).success).toBe(true);
    const parsed = originalPayload.parse(gui);
    expect(parsed.cpu?.count).toBe(6);
    expect(parsed.cpu?.count_logical).toBe(12);
    expect(parsed.cpu?.frequency_mhz).toBe(3981.2);
    expect(parsed.memory?.used).toBe(22144495616);
    expect(parsed.disk?.partitions?.[0]?.mountpoint).toBe("C:\\");
  });

  it("keeps only `timestamp` required", () => {
    expect(originalPayload.parse({ timestamp: 1 })).toEqual({ timestamp: 1 });
    expect(originalPayload.safeParse({ cpu: { usage_percent: 1 } }).success).toBe(false);
  });

  it("accepts what psutil reports when it cannot tell: empty freq, empty io, empty load, null core count", () => {
    const payload = { timestamp: 1, cpu: { freq: {}, load_avg: [], count: null }, disk: { io: {} } };
    expect(originalPayload.safeParse(payload).success).toBe(true);
  });

  it("drops unknown keys at every level", () => {
    const parsed = originalPayload.parse({
      ...headless,
      hostname: "sneaky",
      cpu: { ...headless.cpu, vendor: "x" },
      network: { ...headless.network, extra: 1 },
    });
    expect(parsed).not.toHaveProperty("hostname");
    expect(parsed.cpu).not.toHaveProperty("vendor");
    expect(parsed.network).not.toHaveProperty("extra");
  });

  const rejected: [string, string, unknown][] = [
    ["timestamp NaN", "timestamp", Number.NaN],
    ["timestamp Infinity", "timestamp", Number.POSITIVE_INFINITY],
    ["timestamp -Infinity", "timestamp", Number.NEGATIVE_INFINITY],
    ["timestamp negative", "timestamp", -1],
    ["timestamp as a string", "timestamp", "1764545441.52"],
    ["timestamp null", "timestamp", null],
    ["usage NaN", "cpu.usage_percent", Number.NaN],
    ["usage Infinity", "cpu.usage_percent", Number.POSITIVE_INFINITY],
    ["usage 150 %", "cpu.usage_percent", 150],
    ["usage negative", "cpu.usage_percent", -0.1],
    ["usage as a string", "cpu.usage_percent", "x"],
    ["per-core NaN", "cpu.per_core_usage", [1, Number.NaN]],
    ["too many cores", "cpu.per_core_usage", Array.from({ length: MAX_CORES + 1 }, () => 1)],
    ["load avg of two values", "cpu.load_avg", [1, 2]],
    ["negative load", "cpu.load_avg", [1, -2, 3]],
    ["negative frequency", "cpu.freq.current", -1],
    ["negative memory total", "memory.total", -1],
    ["memory total Infinity", "memory.total", Number.POSITIVE_INFINITY],
    ["memory total beyond 2^53", "memory.total", MAX_COUNTER * 2],
    ["memory percent 101", "memory.used_percent", 101],
    ["negative partition size", "disk.partitions.0.total", -5],
    ["negative partition free", "disk.partitions.0.free", -1],
    ["partition without mountpoint", "disk.partitions.0.mountpoint", undefined],
    ["negative io counter", "disk.io.read_bytes", -1],
    ["negative bytes sent", "network.bytes_sent", -1],
    ["bytes received NaN", "network.bytes_recv", Number.NaN],
  ];
  it.each(rejected)("refuses %s", (_name, path, value) => {
    for (const schema of [originalPayload, originalHeadlessPayload]) {
      const result = schema.safeParse(withValue(headless, path, value));
      expect(result.success).toBe(false);
      expect(issuePaths(result).some((p) => p === path || p.startsWith(`${path}.`)), issuePaths(result).join()).toBe(true);
    }
  });

  it("names the failing field in the issue path", () => {
    const cases: [string, unknown, string][] = [
      ["cpu.usage_percent", "x", "cpu.usage_percent"],
      ["memory.total", -1, "memory.total"],
      ["disk.partitions.1.percent", 150, "disk.partitions.1.percent"],
      ["cpu.per_core_usage", [1, Number.NaN], "cpu.per_core_usage.1"],
      ["timestamp", Number.POSITIVE_INFINITY, "timestamp"],
    ];
    for (const [path, value, expected] of cases) {
      expect(issuePaths(originalPayload.safeParse(withValue(headless, path, value)))).toContain(expected);
    }
  });

  it("refuses GUI-only fields with impossible values", () => {
    expect(originalGuiPayload.safeParse(withValue(gui, "cpu.count", -1)).success).toBe(false);
    expect(originalGuiPayload.safeParse(withValue(gui, "cpu.count_logical", 1.5)).success).toBe(false);
    expect(originalGuiPayload.safeParse(withValue(gui, "memory.used", -1)).success).toBe(false);
    expect(originalPayload.safeParse(withValue(gui, "cpu.frequency_mhz", Number.NaN)).success).toBe(false);
  });

  it("accepts a percentage just above 100, as racing OS counters report", () => {
    expect(originalPayload.safeParse(withValue(headless, "cpu.usage_percent", 100.5)).success).toBe(true);
    expect(originalPayload.safeParse(withValue(headless, "cpu.usage_percent", 100.6)).success).toBe(false);
  });
});

describe("batch payload", () => {
  it("parses a full example", () => {
    const example = batchExample();
    const parsed = batchPayload.parse(example);
    expect(parsed).toEqual(example);
  });

  it("parses a minimal example: host facts and samples with only seq and timestamp", () => {
    const minimal = { agent: { hostname: "h", os: "linux", arch: "arm64", version: "1" }, samples: [{ seq: 0, timestamp: 1_764_545_441_000 }] };
    expect(batchPayload.parse(minimal)).toEqual(minimal);
  });

  it(`accepts exactly ${MAX_SAMPLES_PER_BATCH} samples and refuses one more`, () => {
    expect(batchPayload.safeParse(batchExample(MAX_SAMPLES_PER_BATCH)).success).toBe(true);
    const result = batchPayload.safeParse(batchExample(MAX_SAMPLES_PER_BATCH + 1));
    expect(result.success).toBe(false);
    expect(issuePaths(result)).toEqual(["samples"]);
  });

  it("refuses an empty batch and a batch without host facts", () => {
    expect(batchPayload.safeParse({ ...batchExample(), samples: [] }).success).toBe(false);
    const { agent: _agent, ...withoutAgent } = batchExample();
    expect(issuePaths(batchPayload.safeParse(withoutAgent))).toEqual(["agent"]);
  });

  const rejected: [string, string, unknown][] = [
    ["timestamp NaN", "samples.0.timestamp", Number.NaN],
    ["timestamp Infinity", "samples.0.timestamp", Number.POSITIVE_INFINITY],
    ["fractional millisecond timestamp", "samples.0.timestamp", 1_764_545_441_000.5],
    ["negative timestamp", "samples.0.timestamp", -1],
    ["negative seq", "samples.0.seq", -1],
    ["fractional seq", "samples.0.seq", 1.5],
    ["usage 150 %", "samples.0.cpu.usage_percent", 150],
    ["usage NaN", "samples.0.cpu.usage_percent", Number.NaN],
    ["negative memory", "samples.1.memory.total", -1],
    ["memory beyond 2^53", "samples.1.memory.used", MAX_COUNTER + 2],
    ["negative disk size", "samples.0.disks.0.total", -100],
    ["disk without mountpoint", "samples.0.disks.0.mountpoint", undefined],
    ["negative io counter", "samples.0.disk_io.write_ops", -3],
    ["negative interface counter", "samples.0.network.interfaces.1.bytes_recv", -1],
    ["interface counter Infinity", "samples.0.network.interfaces.0.bytes_sent", Number.POSITIVE_INFINITY],
    ["interface without name", "samples.0.network.interfaces.0.name", undefined],
    ["temperature below absolute zero", "samples.0.temperatures.0.celsius", -300],
    ["negative uptime", "samples.0.uptime_s", -1],
    ["hostname too long", "agent.hostname", "h".repeat(256)],
    ["hostname not a string", "agent.hostname", 42],
    ["boot time in seconds with a fraction", "agent.boot_time", 1_764_000_000.5],
  ];
  it.each(rejected)("refuses %s", (_name, path, value) => {
    const result = batchPayload.safeParse(withValue(batchExample(), path, value));
    expect(result.success).toBe(false);
    expect(issuePaths(result)).toContain(path);
  });
});
