/** Table-driven tests of the pure normalizers that turn original payloads and batch samples into the one Sample shape. */
import { describe, expect, it } from "vitest";
import { originalPayload, type BatchSample, type OriginalPayload } from "@statusmonitor/protocol";
import { HEADLESS_SAMPLE, originalFixture, type OriginalFixture } from "../test-support/original-agents.js";
import { fromBatch, fromOriginal, totalOf } from "./normalize.js";

const fixture = (name: OriginalFixture): OriginalPayload => originalPayload.parse(originalFixture(name));

/** What a consumer sees after the sample crosses the wire: undefined keys are gone. */
const onTheWire = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("fromOriginal", () => {
  it("normalizes the headless agent's fixture", () => {
    const sample = fromOriginal(7, fixture("original-headless.json"));
    expect(onTheWire(sample)).toStrictEqual({ agent_id: 7, timestamp: 1_764_545_441_520, ...HEADLESS_SAMPLE });
  });

  it("normalizes the GUI agent's fixture", () => {
    const sample = fromOriginal(8, fixture("original-gui.json"));
    expect(onTheWire(sample)).toStrictEqual({
      agent_id: 8,
      timestamp: 1_764_545_441_520,
      cpu: {
        usage_percent: 15.7,
        per_core_usage: [24.3, 13.7, 9.1, 30.2, 11.0, 8.4, 19.9, 12.2, 7.7, 16.1, 10.3, 14.8],
        freq_mhz: { current: 3981.2, max: 2500 },
        count: 6,
        count_logical: 12,
      },
      // The GUI agent's own `used` is kept, not recomputed.
      memory: { total: 34_148_655_104, available: 12_004_159_488, used: 22_144_495_616, used_percent: 64.9 },
      disks: [{ device: "C:\\", mountpoint: "C:\\", total: 249_816_166_400, used: 232_296_390_656, free: 17_519_775_744, used_percent: 93.0 }],
      network: { bytes_sent: 142_723_624_960, bytes_recv: 100_952_891_392, packets_sent: 1, packets_recv: 2 },
    });
  });

  it.each([
    [1_764_545_441.52, 1_764_545_441_520],
    [1_700_000_000, 1_700_000_000_000],
    [1_700_000_000.0004, 1_700_000_000_000],
    [1_700_000_000.0006, 1_700_000_000_001],
    [1_700_000_000.999, 1_700_000_000_999],
  ])("turns %s epoch seconds into %s epoch milliseconds", (seconds, ms) => {
    expect(fromOriginal(1, { timestamp: seconds }).timestamp).toBe(ms);
  });

  const frequencies: [string, OriginalPayload["cpu"], Record<string, number> | undefined][] = [
    ["min and max of 0 are unknown", { freq: { current: 2000, min: 0, max: 0 } }, { current: 2000 }],
    ["all three known", { freq: { current: 2000, min: 800, max: 4000 } }, { current: 2000, min: 800, max: 4000 }],
    ["an empty dict means unsupported", { freq: {} }, undefined],
    ["all zero means unsupported", { freq: { current: 0, min: 0, max: 0 } }, undefined],
    ["the GUI's frequency_mhz when freq has no current", { freq: { min: 0, max: 2500 }, frequency_mhz: 3100 }, { current: 3100, max: 2500 }],
    ["freq.current wins over frequency_mhz", { freq: { current: 3000 }, frequency_mhz: 3100 }, { current: 3000 }],
    ["no freq at all", { usage_percent: 1 }, undefined],
  ];
  it.each(frequencies)("cpu frequency: %s", (_name, cpu, expected) => {
    expect(fromOriginal(1, { timestamp: 1, cpu }).cpu?.freq_mhz).toStrictEqual(expected);
  });

  const loads: [string, OriginalPayload["cpu"], unknown][] = [
    ["three values are kept", { load_avg: [1, 2, 3] }, [1, 2, 3]],
    ["an empty list (Windows without emulation) is absent", { load_avg: [] }, undefined],
    ["no load_avg (GUI agent) is absent", { usage_percent: 1 }, undefined],
  ];
  it.each(loads)("load average: %s", (_name, cpu, expected) => {
    expect(fromOriginal(1, { timestamp: 1, cpu }).cpu?.load_avg).toStrictEqual(expected);
  });

  const memories: [string, OriginalPayload["memory"], unknown][] = [
    ["used is derived from total - available", { total: 100, available: 30 }, 70],
    ["a reported used is kept", { total: 100, available: 30, used: 60 }, 60],
    ["used is never negative", { total: 30, available: 100 }, 0],
    ["used is unknown without total", { available: 30 }, undefined],
    ["used is unknown without available", { total: 100 }, undefined],
  ];
  it.each(memories)("memory: %s", (_name, memory, used) => {
    expect(fromOriginal(1, { timestamp: 1, memory }).memory?.used).toBe(used);
  });

  const ios: [string, NonNullable<OriginalPayload["disk"]>["io"], unknown][] = [
    ["counts map to ops", { read_count: 1, write_count: 2, read_bytes: 3, write_bytes: 4 }, { read_bytes: 3, write_bytes: 4, read_ops: 1, write_ops: 2 }],
    ["an empty dict (unavailable) is absent", {}, undefined],
    ["only time counters is absent", { read_time: 5, write_time: 6, busy_time: 7 }, undefined],
    ["a partial dict keeps what it has", { read_bytes: 3 }, { read_bytes: 3 }],
  ];
  it.each(ios)("disk io: %s", (_name, io, expected) => {
    expect(fromOriginal(1, { timestamp: 1, disk: { io } }).disk_io).toStrictEqual(expected);
  });

  it("drops a null physical core count (psutil could not tell)", () => {
    expect(fromOriginal(1, { timestamp: 1, cpu: { count: null, count_logical: 4 } }).cpu).toStrictEqual({ count_logical: 4 });
  });

  it("renames partition percent to used_percent and keeps the rest", () => {
    const sample = fromOriginal(1, { timestamp: 1, disk: { partitions: [{ mountpoint: "/data", percent: 42 }] } });
    expect(sample.disks).toStrictEqual([{ mountpoint: "/data", used_percent: 42 }]);
  });

  it("leaves out every family a payload does not carry", () => {
    expect(onTheWire(fromOriginal(3, { timestamp: 1_700_000_000 }))).toStrictEqual({ agent_id: 3, timestamp: 1_700_000_000_000 });
    expect(onTheWire(fromOriginal(3, { timestamp: 1_700_000_000, cpu: {}, memory: {}, network: {} }))).toStrictEqual({
      agent_id: 3,
      timestamp: 1_700_000_000_000,
    });
  });
});

describe("totalOf", () => {
  const cases: [string, Parameters<typeof totalOf>[0], unknown][] = [
    ["no interfaces", [], {}],
    ["one interface", [{ bytes_sent: 1, bytes_recv: 2 }], { bytes_sent: 1, bytes_recv: 2 }],
    [
      "sums every counter all interfaces report",
      [
        { bytes_sent: 1, bytes_recv: 2, packets_sent: 3, packets_recv: 4, errin: 1, errout: 0, dropin: 5, dropout: 6 },
        { bytes_sent: 10, bytes_recv: 20, packets_sent: 30, packets_recv: 40, errin: 2, errout: 3, dropin: 0, dropout: 1 },
      ],
      { bytes_sent: 11, bytes_recv: 22, packets_sent: 33, packets_recv: 44, errin: 3, errout: 3, dropin: 5, dropout: 7 },
    ],
    ["leaves out a counter one interface lacks", [{ bytes_sent: 1, errin: 4 }, { bytes_sent: 2 }], { bytes_sent: 3 }],
    ["sums up to exactly 2^53 - 1", [{ bytes_sent: Number.MAX_SAFE_INTEGER - 1 }, { bytes_sent: 1 }], { bytes_sent: Number.MAX_SAFE_INTEGER }],
    [
      "leaves out a sum that would lose precision beyond 2^53",
      [
        { bytes_sent: Number.MAX_SAFE_INTEGER, bytes_recv: 1 },
        { bytes_sent: 1, bytes_recv: 2 },
      ],
      { bytes_recv: 3 },
    ],
  ];
  it.each(cases)("%s", (_name, interfaces, expected) => {
    expect(totalOf(interfaces)).toStrictEqual(expected);
  });
});

describe("fromBatch", () => {
  const base: BatchSample = { seq: 41, timestamp: 1_764_545_441_000 };

  it("keeps seq and the millisecond timestamp as is", () => {
    expect(fromBatch(5, base)).toStrictEqual({ agent_id: 5, timestamp: 1_764_545_441_000, seq: 41 });
  });

  it("adds network totals across interfaces and keeps the interfaces", () => {
    const interfaces = [
      { name: "eth0", bytes_sent: 1000, bytes_recv: 2000, packets_sent: 10, packets_recv: 20 },
      { name: "wlan0", bytes_sent: 500, bytes_recv: 700, packets_sent: 5, packets_recv: 7, errin: 1 },
      { name: "docker0", bytes_sent: 1, bytes_recv: 2, packets_sent: 3, packets_recv: 4 },
    ];
    const sample = fromBatch(5, { ...base, network: { interfaces } });
    expect(sample.network).toStrictEqual({
      bytes_sent: 1501,
      bytes_recv: 2702,
      packets_sent: 18,
      packets_recv: 31,
      interfaces,
    });
  });

  it("has an empty total for an empty interface list", () => {
    expect(fromBatch(5, { ...base, network: { interfaces: [] } }).network).toStrictEqual({ interfaces: [] });
  });

  it("passes every other family through and drops empty ones", () => {
    // A fresh copy for the input and another for the expectation, so that a change to the input cannot go unseen.
    const families = (): Omit<BatchSample, "seq" | "timestamp"> => ({
      cpu: { usage_percent: 5, load_avg: [1, 2, 3] },
      memory: { total: 10, used: 4 },
      disks: [{ mountpoint: "/", used_percent: 50 }],
      disk_io: { read_bytes: 1 },
      temperatures: [{ label: "cpu", celsius: 40 }],
      uptime_s: 12,
    });
    const full: BatchSample = { ...base, ...families() };
    expect(fromBatch(2, full)).toStrictEqual({ agent_id: 2, timestamp: base.timestamp, seq: 41, ...families() });
    expect(fromBatch(2, { ...base, cpu: {}, memory: {}, disk_io: {} })).toStrictEqual({ agent_id: 2, timestamp: base.timestamp, seq: 41 });
  });
});
