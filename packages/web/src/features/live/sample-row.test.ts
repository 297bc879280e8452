import type { HistoryResponse, Sample } from "@statusmonitor/protocol";
import { describe, expect, it } from "vitest";
import { fillMissingRates, historyRows, sampleRow } from "./sample-row";

describe("sampleRow", () => {
  it("flattens every charted field and floors the time to the second", () => {
    const sample: Sample = {
      agent_id: 1,
      timestamp: 1_700_000_000_520,
      cpu: { usage_percent: 12.5, per_core_usage: [10, 15], per_core_freq_mhz: [2400, 2500], freq_mhz: { current: 2450 }, load_avg: [0.5, 0.4, 0.3], user_percent: 8 },
      memory: { total: 1000, used: 250, used_percent: 25, available: 750, swap_total: 0, swap_used: 0 },
      network: { bytes_sent: 10, bytes_recv: 20, bytes_sent_per_s: 1, bytes_recv_per_s: 2 },
      disk_io: { read_bytes: 30, write_bytes: 40, read_bytes_per_s: 3, write_bytes_per_s: 4 },
    };
    expect(sampleRow(sample)).toEqual({
      t: 1_700_000_000_000,
      values: {
        cpu: 12.5, cpu_user: 8, cpu_freq: 2450, "core.0": 10, "core.1": 15, "corefreq.0": 2400, "corefreq.1": 2500,
        load1: 0.5, load5: 0.4, load15: 0.3,
        mem: 25, mem_used: 250, mem_available: 750, mem_total: 1000, swap_used: 0, swap_total: 0,
        net_tx: 1, net_rx: 2, net_tx_total: 10, net_rx_total: 20,
        disk_read: 3, disk_write: 4, disk_read_total: 30, disk_write_total: 40,
      },
    });
  });

  it("leaves out what the agent did not send (absent is not zero), and derives memory % from used/total", () => {
    const row = sampleRow({ agent_id: 1, timestamp: 5000, memory: { used: 1, total: 4 } });
    expect(row.values).toEqual({ mem: 25, mem_used: 1, mem_total: 4 });
    expect(sampleRow({ agent_id: 1, timestamp: 5000 }).values).toEqual({});
  });
});

describe("historyRows", () => {
  const response = (metric: HistoryResponse["metric"], series: HistoryResponse["series"]) => ({ metric, series });
  it("joins the metrics by timestamp, maps per-core series, skips labelled series and null points", () => {
    const rows = historyRows([
      response("cpu", [
        { name: "usage", kind: "gauge", points: [{ t: 2000, v: 5 }, { t: 1000, v: 4 }] },
        { name: "core.3.usage", kind: "gauge", points: [{ t: 1000, v: 40 }] },
        { name: "core.3.freq_mhz", kind: "gauge", points: [{ t: 1000, v: 3000 }] },
        { name: "unknown_thing", kind: "gauge", points: [{ t: 1000, v: 1 }] },
      ]),
      response("network", [
        { name: "bytes_sent_per_s", kind: "gauge", points: [{ t: 1000, v: 100 }, { t: 2000, v: null }] },
        { name: "bytes_sent_per_s", labels: { interface: "eth0" }, kind: "gauge", points: [{ t: 1000, v: 999 }] },
      ]),
      response("disk", [{ name: "used_percent", labels: { mountpoint: "/" }, kind: "gauge", points: [{ t: 1000, v: 50 }] }]),
    ]);
    expect(rows).toEqual([
      { t: 1000, values: { cpu: 4, "core.3": 40, "corefreq.3": 3000, net_tx: 100 } },
      { t: 2000, values: { cpu: 5 } },
    ]);
  });
});

describe("fillMissingRates", () => {
  it("fills only the rates that are missing and computable", () => {
    const row = { t: 2000, values: { net_tx_total: 300, net_rx_total: 50, net_rx: 9, disk_read_total: 5 } as Record<string, number> };
    expect(fillMissingRates({ t: 1000, values: { net_tx_total: 100, net_rx_total: 0, disk_read_total: 10 } }, row)).toBe(true);
    expect(row.values).toEqual({ net_tx_total: 300, net_rx_total: 50, net_rx: 9, disk_read_total: 5, net_tx: 200 });
    expect(fillMissingRates(undefined, row)).toBe(false);
  });
});
