/** Table-driven tests of per-second rates from cumulative counters: resets, time deltas and per-interface matching. */
import { describe, expect, it } from "vitest";
import type { Sample } from "@statusmonitor/protocol";
import { counterRate, withRates } from "./rates.js";

describe("counterRate", () => {
  const cases: [string, number | undefined, number | undefined, number, number | undefined][] = [
    ["steady growth", 100, 300, 2, 100],
    ["fractional seconds", 0, 150, 1.5, 100],
    ["no change is a rate of zero", 500, 500, 1, 0],
    ["counter reset (current < previous)", 300, 100, 1, undefined],
    ["counter reset to zero", 300, 0, 1, undefined],
    ["missing previous reading", undefined, 300, 1, undefined],
    ["missing current reading", 100, undefined, 1, undefined],
    ["zero time delta", 100, 300, 0, undefined],
    ["negative time delta", 100, 300, -1, undefined],
    ["NaN time delta", 100, 300, Number.NaN, undefined],
    ["1 PB/s, the fastest believable rate", 0, 1e15, 1, 1e15],
    ["faster than any real device (a glitch)", 0, Number.MAX_SAFE_INTEGER, 0.001, undefined],
  ];
  it.each(cases)("%s: (%s → %s over %s s) = %s", (_name, previous, current, seconds, expected) => {
    expect(counterRate(previous, current, seconds)).toBe(expected);
  });
});

describe("withRates", () => {
  const t0 = 1_764_545_441_000;
  const at = (timestamp: number, rest: Partial<Sample> = {}): Sample => ({ agent_id: 1, timestamp, ...rest });

  it("returns the sample unchanged when there is no previous one", () => {
    const current = at(t0, { network: { bytes_sent: 10 }, disk_io: { read_bytes: 5 } });
    expect(withRates(current, undefined)).toStrictEqual(current);
  });

  it.each([
    ["zero", 0],
    ["negative", -1000],
  ])("adds no rate when the time delta is %s", (_name, delta) => {
    const previous = at(t0, { network: { bytes_sent: 10 }, disk_io: { read_bytes: 5 } });
    const current = at(t0 + delta, { network: { bytes_sent: 20 }, disk_io: { read_bytes: 15 } });
    expect(withRates(current, previous)).toStrictEqual(current);
  });

  it("derives network total rates over the elapsed seconds", () => {
    const previous = at(t0, { network: { bytes_sent: 1000, bytes_recv: 5000, packets_sent: 10, packets_recv: 20, errin: 1 } });
    const current = at(t0 + 2000, { network: { bytes_sent: 3000, bytes_recv: 5000, packets_sent: 14, packets_recv: 30, errin: 3 } });
    expect(withRates(current, previous).network).toStrictEqual({
      bytes_sent: 3000,
      bytes_recv: 5000,
      packets_sent: 14,
      packets_recv: 30,
      errin: 3,
      bytes_sent_per_s: 1000,
      bytes_recv_per_s: 0,
      packets_sent_per_s: 2,
      packets_recv_per_s: 5,
    });
  });

  it("leaves out the rate of a counter that went backwards and keeps the others", () => {
    const previous = at(t0, { network: { bytes_sent: 9000, bytes_recv: 100, packets_sent: 50, packets_recv: 50 } });
    const current = at(t0 + 1000, { network: { bytes_sent: 10, bytes_recv: 300, packets_sent: 1, packets_recv: 60 } });
    const network = withRates(current, previous).network!;
    expect(network).not.toHaveProperty("bytes_sent_per_s");
    expect(network).not.toHaveProperty("packets_sent_per_s");
    expect(network.bytes_recv_per_s).toBe(200);
    expect(network.packets_recv_per_s).toBe(10);
  });

  it("adds no network rate when the previous sample had no network", () => {
    const previous = at(t0, { cpu: { usage_percent: 1 } });
    const current = at(t0 + 1000, { network: { bytes_sent: 10, bytes_recv: 20 } });
    expect(withRates(current, previous).network).toStrictEqual({ bytes_sent: 10, bytes_recv: 20 });
  });

  it("derives per-interface rates by name, not by position, and none for a new interface", () => {
    const previous = at(t0, {
      network: {
        bytes_sent: 300,
        interfaces: [
          { name: "eth0", bytes_sent: 100, bytes_recv: 1000 },
          { name: "wlan0", bytes_sent: 200, bytes_recv: 50 },
        ],
      },
    });
    const current = at(t0 + 4000, {
      network: {
        bytes_sent: 1701,
        interfaces: [
          { name: "wlan0", bytes_sent: 600, bytes_recv: 10 },
          { name: "eth0", bytes_sent: 1100, bytes_recv: 1400 },
          { name: "docker0", bytes_sent: 1, bytes_recv: 1 },
        ],
      },
    });
    expect(withRates(current, previous).network).toStrictEqual({
      bytes_sent: 1701,
      bytes_sent_per_s: 350.25,
      interfaces: [
        // wlan0's received counter was reset: its rate is unknown.
        { name: "wlan0", bytes_sent: 600, bytes_recv: 10, bytes_sent_per_s: 100 },
        { name: "eth0", bytes_sent: 1100, bytes_recv: 1400, bytes_sent_per_s: 250, bytes_recv_per_s: 100 },
        { name: "docker0", bytes_sent: 1, bytes_recv: 1 },
      ],
    });
  });

  it("derives totals only when the current sample has no interface list", () => {
    const previous = at(t0, { network: { bytes_sent: 0, interfaces: [{ name: "eth0", bytes_sent: 0 }] } });
    const current = at(t0 + 1000, { network: { bytes_sent: 10 } });
    expect(withRates(current, previous).network).toStrictEqual({ bytes_sent: 10, bytes_sent_per_s: 10 });
  });

  it("derives disk I/O rates, leaving out reset counters", () => {
    const previous = at(t0, { disk_io: { read_bytes: 1000, write_bytes: 5000, read_ops: 10, write_ops: 100 } });
    const current = at(t0 + 500, { disk_io: { read_bytes: 2000, write_bytes: 10, read_ops: 20, write_ops: 100 } });
    expect(withRates(current, previous).disk_io).toStrictEqual({
      read_bytes: 2000,
      write_bytes: 10,
      read_ops: 20,
      write_ops: 100,
      read_bytes_per_s: 2000,
      read_ops_per_s: 20,
      write_ops_per_s: 0,
    });
  });

  it("adds no disk rate when the previous sample had no disk I/O", () => {
    const current = at(t0 + 1000, { disk_io: { read_bytes: 10 } });
    expect(withRates(current, at(t0)).disk_io).toStrictEqual({ read_bytes: 10 });
  });

  it("does not modify its inputs", () => {
    const previous = at(t0, { network: { bytes_sent: 0, interfaces: [{ name: "eth0", bytes_sent: 0 }] }, disk_io: { read_bytes: 0 } });
    const current = at(t0 + 1000, { network: { bytes_sent: 10, interfaces: [{ name: "eth0", bytes_sent: 10 }] }, disk_io: { read_bytes: 10 } });
    const before = structuredClone({ previous, current });
    const result = withRates(current, previous);
    expect({ previous, current }).toStrictEqual(before);
    expect(result.network?.interfaces?.[0]?.bytes_sent_per_s).toBe(10);
  });

  it("leaves the other families alone", () => {
    const cpu = { usage_percent: 50 };
    const current = at(t0 + 1000, { cpu, seq: 3 });
    expect(withRates(current, at(t0, { cpu: { usage_percent: 10 } }))).toStrictEqual({ agent_id: 1, timestamp: t0 + 1000, cpu, seq: 3 });
  });
});
