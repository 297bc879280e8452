/**
 * Back-fills an agent's history the way a real agent does after an outage: batches of past samples
 * posted to /api/v1/ingest with the agent's token, so the history tab has minutes of data at once.
 */
import type { BatchPayload, BatchSample } from "@statusmonitor/protocol";

const GiB = 2 ** 30;

/** Cumulative counters as a machine keeps them: each step adds its rate × the step. */
interface Counters {
  recv: number;
  sent: number;
}

/** A plausible machine: CPU and network follow slow waves so a chart has shape and a zoom has something to show. */
function sampleAt(seq: number, timestamp: number, stepS: number, counters: Counters): BatchSample {
  const wave = (periodS: number, phase = 0) => Math.sin((2 * Math.PI * (seq * stepS)) / periodS + phase);
  const usage = 35 + 25 * wave(300);
  counters.recv += Math.round((60_000 + 40_000 * wave(120)) * stepS);
  counters.sent += Math.round((20_000 + 5_000 * wave(90, 1)) * stepS);
  return {
    seq,
    timestamp,
    cpu: {
      usage_percent: usage,
      per_core_usage: [usage + 5 * wave(60), usage - 5 * wave(60)].map((v) => Math.min(100, Math.max(0, v))),
      per_core_freq_mhz: [2400, 2600],
      user_percent: usage * 0.7,
      system_percent: usage * 0.3,
      load_avg: [1 + wave(600), 1, 0.8],
      count: 2,
      count_logical: 2,
    },
    memory: { total: 16 * GiB, used: (6 + wave(900)) * GiB, available: (10 - wave(900)) * GiB, used_percent: ((6 + wave(900)) / 16) * 100, swap_total: 2 * GiB, swap_used: 0 },
    disks: [{ device: "/dev/vda1", mountpoint: "/", fstype: "ext4", total: 100 * GiB, used: 40 * GiB, free: 60 * GiB, used_percent: 40 }],
    disk_io: { read_bytes: seq * 400_000, write_bytes: seq * 900_000, read_ops: seq * 20, write_ops: seq * 50 },
    network: { interfaces: [{ name: "eth0", bytes_recv: counters.recv, bytes_sent: counters.sent, packets_recv: seq * 50, packets_sent: seq * 30 }] },
    uptime_s: 86_400 + seq * stepS,
  };
}

/** Posts `minutes` of samples, one every `stepS` seconds, ending `endAgoS` seconds before now; resolves with how many were stored. */
export async function backfill(hubUrl: string, agentToken: string, options: { minutes: number; stepS: number; endAgoS: number }): Promise<number> {
  const count = Math.floor((options.minutes * 60) / options.stepS);
  const end = Date.now() - options.endAgoS * 1000;
  const counters: Counters = { recv: 0, sent: 0 };
  const samples = Array.from({ length: count }, (_, i) => sampleAt(i, end - (count - 1 - i) * options.stepS * 1000, options.stepS, counters));
  let stored = 0;
  for (let i = 0; i < samples.length; i += 500) {
    const payload: BatchPayload = {
      agent: { hostname: "e2e-backfill", os: "Linux", arch: "x64", version: "e2e" },
      samples: samples.slice(i, i + 500),
    };
    const response = await fetch(`${hubUrl}/api/v1/ingest`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-agent-token": agentToken },
      body: JSON.stringify(payload),
    });
    if (response.status !== 200) throw new Error(`back-fill: ${response.status} ${await response.text()}`);
    stored += ((await response.json()) as { stored: number }).stored;
  }
  return stored;
}
