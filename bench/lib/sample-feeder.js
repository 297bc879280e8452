/** A load generator playing one agent for the web benchmark: a plausible sample with the current time, posted to /api/v1/ingest at a fixed rate until stopped. */
import http from "node:http";
import { jsonRequest } from "./json-request.js";

const GiB = 2 ** 30;

/** One batch-format sample of a 2-core machine whose CPU and network wander, so every live chart moves. */
export function liveSample(seq, timestamp) {
  const usage = 30 + 20 * Math.sin(seq / 9) + 5 * Math.sin(seq * 1.7);
  return {
    seq,
    timestamp,
    cpu: {
      usage_percent: usage,
      per_core_usage: [usage + 4 * Math.sin(seq), Math.max(0, usage - 4 * Math.sin(seq))],
      per_core_freq_mhz: [2400 + (seq % 7) * 50, 2500],
      user_percent: usage * 0.7,
      system_percent: usage * 0.3,
      iowait_percent: 0.5,
      load_avg: [1 + 0.3 * Math.sin(seq / 20), 1, 0.8],
      count: 2,
      count_logical: 2,
    },
    memory: { total: 16 * GiB, used: 6 * GiB + (seq % 50) * 2 ** 20, available: 10 * GiB - (seq % 50) * 2 ** 20, used_percent: 37.5 + (seq % 50) / 160, swap_total: 2 * GiB, swap_used: 0 },
    disks: [
      { device: "/dev/vda1", mountpoint: "/", fstype: "ext4", total: 100 * GiB, used: 40 * GiB, free: 60 * GiB, used_percent: 40 },
      { device: "/dev/vdb1", mountpoint: "/var/lib/data", fstype: "xfs", total: 500 * GiB, used: 120 * GiB, free: 380 * GiB, used_percent: 24 },
    ],
    disk_io: { read_bytes: seq * 400_000, write_bytes: seq * (900_000 + (seq % 5) * 100_000), read_ops: seq * 20, write_ops: seq * 50 },
    network: { interfaces: [{ name: "eth0", bytes_recv: seq * 80_000 + (seq % 9) * 30_000, bytes_sent: seq * 20_000 + (seq % 4) * 9_000, packets_recv: seq * 60, packets_sent: seq * 30 }] },
    uptime_s: 86_400 + seq,
  };
}

export const BENCH_FACTS = { hostname: "bench-host", os: "Linux 6.1 (bench)", arch: "x64", version: "bench", boot_time: Date.now() - 86_400_000 };

/** Posts one sample every `intervalMs` for the agent with `token`, numbering from `firstSeq`; `stop()` ends it and returns how many were acknowledged. */
export function startSampleFeeder(hub, token, intervalMs = 1000, firstSeq = 0) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const facts = BENCH_FACTS;
  let seq = firstSeq;
  let acked = 0;
  let failed = 0;
  const send = async () => {
    const res = await jsonRequest(agent, hub, "POST", "/api/v1/ingest", { agent: facts, samples: [liveSample(seq++, Date.now())] }, { "x-agent-token": token }).catch(() => ({ status: 0 }));
    if (res.status === 200) acked++;
    else failed++;
  };
  void send();
  const timer = setInterval(() => void send(), intervalMs);
  return {
    get acked() {
      return acked;
    },
    stop() {
      clearInterval(timer);
      agent.destroy();
      return { acked, failed };
    },
  };
}
