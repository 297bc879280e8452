/** Table tests of the history series catalog: which keys a sample yields at which precision, key parsing with awkward labels, and the per-metric key filters. */
import type { HistoryMetric, Sample } from "@statusmonitor/protocol";
import { describe, expect, it } from "vitest";
import { decimalsOf, describeKey, keyFilter, kindOf, parseSeriesKey, seriesKey, seriesOf } from "./series.js";

const T = Date.UTC(2026, 10, 23, 12, 0, 0);
const bare: Sample = { agent_id: 7, timestamp: T };

/** Every field history keeps, with values chosen so that rounding is visible and unambiguous. */
const fullSample: Sample = {
  ...bare,
  seq: 42,
  uptime_s: 12_345,
  cpu: {
    usage_percent: 12.3456,
    per_core_usage: [10.004, 99.996],
    per_core_freq_mhz: [2400.4, 3599.5],
    freq_mhz: { current: 2999.7, min: 800, max: 4000 },
    load_avg: [0.456, 1.004, 2],
    user_percent: 7.891,
    system_percent: 3.333,
    iowait_percent: 0.125,
    steal_percent: 0,
    count: 2,
    count_logical: 2,
  },
  memory: {
    used_percent: 51.239,
    used: 4_123_456_789.6,
    available: 3_000_000_000.4,
    total: 8_000_000_000,
    swap_used: 0,
    swap_total: 2_147_483_648,
  },
  disks: [
    { device: "/dev/sda1", mountpoint: "/", fstype: "ext4", used_percent: 40.006, used: 40_000_000_000, free: 59_999_999_999.5, total: 100_000_000_000 },
    { mountpoint: "C:\\", used_percent: 70 },
  ],
  disk_io: {
    read_bytes: 1_000_000,
    write_bytes: 2_000_000,
    read_ops: 300,
    write_ops: 400,
    read_bytes_per_s: 1234.567,
    write_bytes_per_s: 0.004,
    read_ops_per_s: 10.5,
    write_ops_per_s: 3.14159,
  },
  network: {
    bytes_sent: 123_456_789,
    bytes_recv: 987_654_321,
    packets_sent: 1000,
    packets_recv: 2000,
    errin: 1,
    errout: 2,
    dropin: 3,
    dropout: 0,
    bytes_sent_per_s: 1500.256,
    bytes_recv_per_s: 2048,
    packets_sent_per_s: 12.3,
    packets_recv_per_s: 45.678,
    interfaces: [
      {
        name: "eth0",
        bytes_sent: 100,
        bytes_recv: 200,
        packets_sent: 3,
        packets_recv: 4,
        errin: 5,
        errout: 6,
        dropin: 7,
        dropout: 8,
        bytes_sent_per_s: 9.999,
        bytes_recv_per_s: 10.001,
        packets_sent_per_s: 0.5,
        packets_recv_per_s: 0.25,
      },
      { name: "wlan0", bytes_sent: 11, bytes_recv_per_s: 12.345678 },
    ],
  },
  temperatures: [{ label: "Package id 0", celsius: 55 }],
};

describe("seriesOf", () => {
  it("keeps every series of a full sample, rounded to its stored precision", () => {
    expect(seriesOf(fullSample)).toStrictEqual({
      "cpu.usage": 12.35,
      "cpu.user": 7.89,
      "cpu.system": 3.33,
      "cpu.iowait": 0.13,
      "cpu.steal": 0,
      "cpu.freq_mhz": 3000,
      "cpu.core.0.usage": 10,
      "cpu.core.1.usage": 100,
      "cpu.core.0.freq_mhz": 2400,
      "cpu.core.1.freq_mhz": 3600,
      "load.load1": 0.46,
      "load.load5": 1,
      "load.load15": 2,
      "mem.used_percent": 51.24,
      "mem.used": 4_123_456_790,
      "mem.available": 3_000_000_000,
      "mem.total": 8_000_000_000,
      "mem.swap_used": 0,
      "mem.swap_total": 2_147_483_648,
      "disk.used_percent|/": 40.01,
      "disk.used|/": 40_000_000_000,
      "disk.free|/": 60_000_000_000,
      "disk.total|/": 100_000_000_000,
      "disk.used_percent|C:\\": 70,
      "diskio.read_bytes_per_s": 1234.57,
      "diskio.write_bytes_per_s": 0,
      "diskio.read_ops_per_s": 10.5,
      "diskio.write_ops_per_s": 3.14,
      "net.bytes_sent": 123_456_789,
      "net.bytes_recv": 987_654_321,
      "net.packets_sent": 1000,
      "net.packets_recv": 2000,
      "net.errin": 1,
      "net.errout": 2,
      "net.dropin": 3,
      "net.dropout": 0,
      "net.bytes_sent_per_s": 1500.26,
      "net.bytes_recv_per_s": 2048,
      "net.packets_sent_per_s": 12.3,
      "net.packets_recv_per_s": 45.68,
      "net.bytes_sent|eth0": 100,
      "net.bytes_recv|eth0": 200,
      "net.packets_sent|eth0": 3,
      "net.packets_recv|eth0": 4,
      "net.errin|eth0": 5,
      "net.errout|eth0": 6,
      "net.dropin|eth0": 7,
      "net.dropout|eth0": 8,
      "net.bytes_sent_per_s|eth0": 10,
      "net.bytes_recv_per_s|eth0": 10,
      "net.packets_sent_per_s|eth0": 0.5,
      "net.packets_recv_per_s|eth0": 0.25,
      "net.bytes_sent|wlan0": 11,
      "net.bytes_recv_per_s|wlan0": 12.35,
    });
  });

  it.each<{ name: string; sample: Sample; expected: Record<string, number> }>([
    { name: "a sample with no measurements", sample: bare, expected: {} },
    { name: "empty groups", sample: { ...bare, cpu: {}, memory: {}, disks: [], disk_io: {}, network: { interfaces: [] } }, expected: {} },
    { name: "cpu usage only", sample: { ...bare, cpu: { usage_percent: 0 } }, expected: { "cpu.usage": 0 } },
    {
      name: "a frequency without a current value",
      sample: { ...bare, cpu: { freq_mhz: { min: 800, max: 4000 } } },
      expected: {},
    },
    {
      name: "a disk that reports its size only",
      sample: { ...bare, disks: [{ mountpoint: "/boot", total: 512 }] },
      expected: { "disk.total|/boot": 512 },
    },
    {
      name: "an interface that reports nothing",
      sample: { ...bare, network: { bytes_recv: 5, interfaces: [{ name: "lo" }] } },
      expected: { "net.bytes_recv": 5 },
    },
    {
      name: "counters without derived rates (the first sample after a start)",
      sample: { ...bare, disk_io: { read_bytes: 10, write_bytes: 20 }, network: { bytes_sent: 30 } },
      expected: { "net.bytes_sent": 30 },
    },
  ])("keeps only what was measured: $name", ({ sample, expected }) => {
    expect(seriesOf(sample)).toStrictEqual(expected);
  });

  it("skips NaN and ±Infinity instead of storing them, and keeps core numbering", () => {
    const sample = {
      ...bare,
      cpu: {
        usage_percent: NaN,
        user_percent: Infinity,
        system_percent: -Infinity,
        per_core_usage: [NaN, 5.555_1],
        load_avg: [Infinity, 1, NaN],
      },
      memory: { used: NaN, total: 16 },
      disks: [{ mountpoint: "/", used_percent: NaN, free: Infinity, total: 3 }],
      network: { bytes_sent_per_s: NaN, interfaces: [{ name: "eth0", bytes_recv: Infinity, errin: 2 }] },
    } as Sample;
    expect(seriesOf(sample)).toStrictEqual({
      "cpu.core.1.usage": 5.56,
      "load.load5": 1,
      "mem.total": 16,
      "disk.total|/": 3,
      "net.errin|eth0": 2,
    });
  });

  it("keeps counters and byte sizes up to 2^53 exactly", () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(seriesOf({ ...bare, memory: { total: big }, network: { bytes_recv: big - 1 } })).toStrictEqual({
      "mem.total": big,
      "net.bytes_recv": big - 1,
    });
  });
});

const AWKWARD_MOUNTPOINTS = ["/", "/mnt/My Disk", "/var/lib/docker/overlay2/a1.b2/merged", "C:\\", "D:\\Program Files (x86)", "/mnt/pipe|inside", "/mnt/||", "/mnt/a:b", "/média/clé usb", ""];
const AWKWARD_INTERFACES = ["eth0", "eth0.100", "vEthernet (Default Switch)", "Wi-Fi 2", "br|lan", "en0:1", "|"];

describe("series keys with awkward labels", () => {
  it.each(AWKWARD_MOUNTPOINTS)("mountpoint %j round-trips", (mountpoint) => {
    const values = seriesOf({ ...bare, disks: [{ mountpoint, used_percent: 1.5, used: 2, free: 3, total: 5 }], disk_io: { read_ops_per_s: 1 } });
    const diskKeys = Object.keys(values).filter((key) => key.startsWith("disk."));
    expect(diskKeys).toEqual(["disk.used_percent", "disk.used", "disk.free", "disk.total"].map((k) => `${k}|${mountpoint}`));
    for (const key of diskKeys) {
      const parsed = parseSeriesKey(key);
      expect(parsed.group).toBe("disk");
      expect(parsed.label).toBe(mountpoint);
      expect(seriesKey(parsed.group, parsed.field, parsed.label)).toBe(key);
      expect(describeKey(key)).toStrictEqual({ name: parsed.field, labels: { mountpoint } });
      expect(kindOf(key)).toBe("gauge");
    }
    expect(values[`disk.used_percent|${mountpoint}`]).toBe(1.5);
    expect(Object.keys(values).filter(keyFilter("disk"))).toEqual([...diskKeys, "diskio.read_ops_per_s"]);
    expect(Object.keys(values).filter(keyFilter("disk", { mountpoint }))).toEqual(diskKeys);
    expect(Object.keys(values).filter(keyFilter("disk", { mountpoint: `${mountpoint}/` }))).toEqual([]);
  });

  it.each(AWKWARD_INTERFACES)("interface %j round-trips", (name) => {
    const values = seriesOf({ ...bare, network: { bytes_recv: 1, interfaces: [{ name, bytes_recv: 2, bytes_recv_per_s: 3.333 }] } });
    expect(values).toStrictEqual({ "net.bytes_recv": 1, [`net.bytes_recv|${name}`]: 2, [`net.bytes_recv_per_s|${name}`]: 3.33 });
    expect(parseSeriesKey(`net.bytes_recv|${name}`)).toStrictEqual({ group: "net", field: "bytes_recv", label: name });
    expect(describeKey(`net.bytes_recv|${name}`)).toStrictEqual({ name: "bytes_recv", labels: { interface: name } });
    expect(describeKey(`net.bytes_recv_per_s|${name}`)).toStrictEqual({ name: "bytes_recv_per_s", labels: { interface: name } });
    expect(kindOf(`net.bytes_recv|${name}`)).toBe("counter");
    expect(kindOf(`net.bytes_recv_per_s|${name}`)).toBe("gauge");
    expect(decimalsOf(`net.bytes_recv_per_s|${name}`)).toBe(2);
    expect(Object.keys(values).filter(keyFilter("network", { interface: name }))).toEqual([`net.bytes_recv|${name}`, `net.bytes_recv_per_s|${name}`]);
  });

  it.each([
    ["cpu.usage", { group: "cpu", field: "usage", label: undefined }, { name: "usage" }],
    ["cpu.core.12.freq_mhz", { group: "cpu", field: "core.12.freq_mhz", label: undefined }, { name: "core.12.freq_mhz" }],
    ["net.bytes_sent", { group: "net", field: "bytes_sent", label: undefined }, { name: "bytes_sent" }],
    ["disk.free|a.b|c", { group: "disk", field: "free", label: "a.b|c" }, { name: "free", labels: { mountpoint: "a.b|c" } }],
    ["net.errin|", { group: "net", field: "errin", label: "" }, { name: "errin", labels: { interface: "" } }],
  ])("parses %j", (key, parsed, described) => {
    expect(parseSeriesKey(key)).toStrictEqual(parsed);
    expect(describeKey(key)).toStrictEqual(described);
  });

  it("builds keys with and without a label", () => {
    expect(seriesKey("mem", "used")).toBe("mem.used");
    expect(seriesKey("disk", "used", "C:\\")).toBe("disk.used|C:\\");
    expect(seriesKey("net", "bytes_recv", "")).toBe("net.bytes_recv|");
  });
});

describe("keyFilter", () => {
  const keys = [
    "cpu.usage",
    "cpu.core.0.usage",
    "cpu.freq_mhz",
    "load.load1",
    "load.load15",
    "mem.used_percent",
    "mem.swap_used",
    "disk.used_percent|/",
    "disk.free|/home",
    "disk.used_percent|C:\\",
    "diskio.read_bytes_per_s",
    "net.bytes_sent",
    "net.bytes_sent|eth0",
    "net.errin|wlan0",
  ];

  it.each<[HistoryMetric, { mountpoint?: string; interface?: string } | undefined, string[]]>([
    ["cpu", undefined, ["cpu.usage", "cpu.core.0.usage", "cpu.freq_mhz"]],
    ["load", undefined, ["load.load1", "load.load15"]],
    ["memory", undefined, ["mem.used_percent", "mem.swap_used"]],
    ["disk", undefined, ["disk.used_percent|/", "disk.free|/home", "disk.used_percent|C:\\", "diskio.read_bytes_per_s"]],
    // One mountpoint's usage only: the I/O totals belong to no mountpoint.
    ["disk", { mountpoint: "/" }, ["disk.used_percent|/"]],
    ["disk", { mountpoint: "C:\\" }, ["disk.used_percent|C:\\"]],
    ["disk", { mountpoint: "/home" }, ["disk.free|/home"]],
    ["disk", { mountpoint: "/nowhere" }, []],
    ["disk", { interface: "eth0" }, ["disk.used_percent|/", "disk.free|/home", "disk.used_percent|C:\\", "diskio.read_bytes_per_s"]],
    ["network", undefined, ["net.bytes_sent", "net.bytes_sent|eth0", "net.errin|wlan0"]],
    ["network", { interface: "eth0" }, ["net.bytes_sent|eth0"]],
    ["network", { interface: "eth1" }, []],
    ["network", { mountpoint: "/" }, ["net.bytes_sent", "net.bytes_sent|eth0", "net.errin|wlan0"]],
    ["cpu", { mountpoint: "/", interface: "eth0" }, ["cpu.usage", "cpu.core.0.usage", "cpu.freq_mhz"]],
  ])("%s with %j", (metric, options, expected) => {
    expect(keys.filter(keyFilter(metric, options))).toEqual(expected);
  });

  it("never matches a group by prefix", () => {
    expect(["cpux.usage", "memory.used", "disks.used|/", "network.bytes_sent"].filter((key) => (["cpu", "memory", "disk", "network", "load"] as const).some((m) => keyFilter(m)(key)))).toEqual([]);
  });
});

describe("kindOf", () => {
  it.each([
    ...["bytes_sent", "bytes_recv", "packets_sent", "packets_recv", "errin", "errout", "dropin", "dropout"].flatMap((f) => [
      [`net.${f}`, "counter"],
      [`net.${f}|eth0`, "counter"],
    ]),
    ["net.bytes_sent_per_s", "gauge"],
    ["net.packets_recv_per_s|eth0", "gauge"],
    ["cpu.usage", "gauge"],
    ["cpu.core.0.usage", "gauge"],
    ["mem.used", "gauge"],
    ["disk.used|bytes_sent", "gauge"],
    ["diskio.read_bytes_per_s", "gauge"],
    ["load.load1", "gauge"],
  ])("%s is a %s", (key, kind) => {
    expect(kindOf(key)).toBe(kind);
  });
});

describe("decimalsOf", () => {
  it.each([
    ["cpu.usage", 2],
    ["cpu.user", 2],
    ["cpu.system", 2],
    ["cpu.iowait", 2],
    ["cpu.steal", 2],
    ["cpu.core.31.usage", 2],
    ["cpu.core.31.freq_mhz", 0],
    ["cpu.freq_mhz", 0],
    ["load.load1", 2],
    ["load.load5", 2],
    ["load.load15", 2],
    ["mem.used_percent", 2],
    ["mem.used", 0],
    ["mem.available", 0],
    ["mem.total", 0],
    ["mem.swap_used", 0],
    ["mem.swap_total", 0],
    ["disk.used_percent|/", 2],
    ["disk.used|/mnt/x.used_percent", 0],
    ["disk.free|C:\\", 0],
    ["disk.total|/", 0],
    ["diskio.read_bytes_per_s", 2],
    ["diskio.write_ops_per_s", 2],
    ["net.bytes_sent", 0],
    ["net.dropout|eth0.usage", 0],
    ["net.bytes_recv_per_s", 2],
    ["net.packets_sent_per_s|eth0", 2],
  ])("%s keeps %i decimals", (key, decimals) => {
    expect(decimalsOf(key)).toBe(decimals);
  });
});
