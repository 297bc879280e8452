/** History storage benchmark: synthetic 4-core hosts written straight into the built history store (writer, rollup job, SQLite), then sizes, write and rollup cost, query latency and a 24 h back-fill. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Random } from "./lib/random.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = path.join(ROOT, "packages/server/dist");

const HELP = `Usage: npm run bench:history   (or: node bench/history.js after npm run build)

Settings (environment variables):
  BENCH_AGENTS        simulated agents (default 50, which takes ~7 min on 2 vCPUs; 100 takes ~13 min)
  BENCH_DAYS          days of history the store holds at the end (default 30, at most 365)
  BENCH_RAW_HOURS     the newest hours generated at 1 s through the writer and the rollup job (default 24, at most 24)
  BENCH_LIVE_MINUTES  the newest minutes of those written at the production cadence: a flush and rollup every 10 s (default 10)
  BENCH_STEP_S        before that, simulated seconds accepted between two flush-and-rollup runs (default 300 = one raw chunk)
  BENCH_MINUTE_POINTS synthetic points per minute behind each generated 1m bucket within the 1m retention (default 2)
  BENCH_HOUR_POINTS   synthetic points per hour behind each generated 1h bucket beyond it (default 60)
  BENCH_QUERY_RUNS    timed runs per query (default 60, at least 50)
  BENCH_SEED          seed of the synthetic data (default 1)
  BENCH_KEEP=1        keep the SQLite file and print where it is

Profile with: npm run build && node --cpu-prof --cpu-prof-dir /tmp/prof bench/history.js; node bench/profile-top.js /tmp/prof/<file>`;

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(HELP);
  process.exit(0);
}

const env = process.env;
const settings = {
  agents: integer("BENCH_AGENTS", 50, 1, 100_000),
  days: integer("BENCH_DAYS", 30, 1, 365),
  rawHours: integer("BENCH_RAW_HOURS", 24, 1, 24),
  liveMinutes: integer("BENCH_LIVE_MINUTES", 10, 0, 24 * 60),
  stepS: integer("BENCH_STEP_S", 300, 10, 3600),
  minutePoints: integer("BENCH_MINUTE_POINTS", 2, 1, 60),
  hourPoints: integer("BENCH_HOUR_POINTS", 60, 1, 3600),
  queryRuns: integer("BENCH_QUERY_RUNS", 60, 50, 100_000),
  seed: integer("BENCH_SEED", 1, 0, 2 ** 31),
  keep: env.BENCH_KEEP === "1",
};
if (settings.rawHours > settings.days * 24) fail(`BENCH_RAW_HOURS (${settings.rawHours}) is longer than BENCH_DAYS`);
if (settings.liveMinutes > settings.rawHours * 60) fail(`BENCH_LIVE_MINUTES (${settings.liveMinutes}) is longer than BENCH_RAW_HOURS`);
if (3600 % settings.stepS !== 0) fail(`BENCH_STEP_S (${settings.stepS}) must divide an hour`);
if (60 % settings.minutePoints !== 0 || 3600 % settings.hourPoints !== 0) fail("BENCH_MINUTE_POINTS must divide 60 and BENCH_HOUR_POINTS 3600");

function integer(name, fallback, min, max) {
  const text = env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) fail(`${name} must be an integer from ${min} to ${max} (got ${text})`);
  return value;
}

function fail(message) {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
}

/** Imports a module of the built server, with a clear message when the build is missing. */
async function load(relative) {
  const file = path.join(DIST, relative);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first (npm run bench:history does)`);
  return import(pathToFileURL(file).href);
}

const { openDatabase, DATABASE_FILE } = await load("adapters/sqlite/database.js");
const { SqliteHistoryStore } = await load("adapters/sqlite/history-store.js");
const { ManualClock } = await load("core/clock.js");
const { createLogger } = await load("core/logger.js");
const { resolveTiers, tierNamed, windowStart } = await load("history/tiers.js");
const { HistoryWriter } = await load("history/writer.js");
const { RollupJob } = await load("history/rollup-job.js");
const { flushAndRollup, pruneHistory } = await load("history/jobs.js");
const { HistoryService } = await load("history/service.js");
const { seriesOf } = await load("history/series.js");
const { encodeRows } = await load("history/chunk-rows.js");
const { aggregateBucketRows, aggregatePoints, rowOfBuckets } = await load("history/bucket-rows.js");

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The simulated "now" at the end of the generated history (midnight, so tiers and chunks align). */
const NOW = Date.UTC(2026, 10, 24);
const FLUSH_EVERY_S = 10;

// ---------------------------------------------------------------------------------------------
// Synthetic hosts

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const CORES = 4;
const TICKS_PER_S = 100;
const FREQ_STEPS_MHZ = [800, 1200, 1600, 2000, 2400, 2800, 3200, 3600];
const LOAD_DECAY = [60, 300, 900].map((tau) => Math.exp(-5 / tau));

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));
/**
 * One step of a mean-reverting walk (Ornstein–Uhlenbeck, exact for any step): pulled towards `mean`
 * at `rate` per second, with `spread` as its long-run standard deviation; coarse steps stay stable.
 */
function revert(r, value, mean, rate, spread, dt) {
  const keep = Math.exp(-rate * dt);
  return mean + (value - mean) * keep + spread * Math.sqrt(1 - keep * keep) * r.gauss();
}
const blocks = (bytes) => Math.max(0, Math.round(bytes / 4096) * 4096);

/**
 * One simulated 4-core Linux host. `next(timestamp)` advances every process by the time since the
 * previous sample and returns the normalized sample the hub would hand to history: CPU from
 * integer jiffies, rates from counter differences over the real (jittered) interval.
 */
class Host {
  constructor(seed) {
    const r = (this.r = new Random(seed));
    this.previous = undefined;
    this.seq = 0;
    this.uptime = r.uniform(1, 200) * 86_400;
    // CPU: a mean-reverting walk around the host's usual level, plus bursts (mostly on one core).
    this.cpuLevel = r.uniform(3, 35);
    this.cpu = this.cpuLevel;
    this.burst = { left: 0, height: 0, core: 0 };
    this.coreBias = Array.from({ length: CORES }, () => r.gauss() * 4);
    this.coreNoise = new Array(CORES).fill(0);
    this.coreStep = new Array(CORES).fill(1);
    this.userShare = r.uniform(0.6, 0.8);
    const running = (this.cpuLevel / 100) * CORES;
    this.load = [running, running, running];
    this.loadClock = 0;
    // Memory: a slow drift towards a target that jumps now and then (a service restarts, a cache fills).
    this.memTotal = blocks(r.pick([8, 16, 32]) * GiB - r.uniform(150, 400) * MiB);
    this.memUsed = blocks(this.memTotal * r.uniform(0.25, 0.6));
    this.memTarget = this.memUsed;
    this.memPinned = blocks(this.memTotal * r.uniform(0.01, 0.03));
    this.swapTotal = 2 * GiB;
    this.swapUsed = blocks(r.uniform(0, 0.05) * this.swapTotal);
    // Two filesystems filling slowly: the root with logs, a data volume faster; cleanups now and then.
    this.disks = [
      { device: "/dev/nvme0n1p2", mountpoint: "/", fstype: "ext4", total: blocks(r.uniform(100, 500) * 1e9), reserved: 0.05, fill: r.uniform(0.2, 0.6), growth: r.uniform(200, 5_000), changes: 0.3 },
      { device: "/dev/sdb1", mountpoint: "/data", fstype: "xfs", total: blocks(r.uniform(1, 4) * 1e12), reserved: 0, fill: r.uniform(0.2, 0.7), growth: r.uniform(20e3, 300e3), changes: 0.8 },
    ].map((d) => ({ ...d, used: blocks(d.total * d.fill), reservedBytes: blocks(d.total * d.reserved) }));
    // Disk I/O: steady writes with a writeback every 5 s, occasional write bursts and sporadic reads.
    this.io = {
      counters: { read_bytes: Math.round(r.uniform(1e9, 1e12)), write_bytes: Math.round(r.uniform(1e9, 1e12)), read_ops: 0, write_ops: 0 },
      writeLevel: r.uniform(20e3, 2e6),
      writeWalk: 0,
      dirty: 0,
      burst: { left: 0, rate: 0 },
      writebackClock: r.uniform(0, 5),
    };
    this.io.counters.read_ops = Math.round(this.io.counters.read_bytes / 32_768);
    this.io.counters.write_ops = Math.round(this.io.counters.write_bytes / 16_384);
    // Two interfaces: a busy uplink and a quiet second one; cumulative counters since boot.
    this.nics = [
      { name: "eth0", level: r.uniform(20e3, 5e6), txShare: r.uniform(0.1, 2), dropRate: 0.002 },
      { name: "eth1", level: r.uniform(500, 50e3), txShare: r.uniform(0.5, 1.5), dropRate: 0.0002 },
    ].map((nic) => ({
      ...nic,
      walkRx: 0,
      walkTx: 0,
      packetSize: r.uniform(400, 1200),
      burstLeft: 0,
      counters: {
        bytes_sent: Math.round(r.uniform(1e9, 1e12)),
        bytes_recv: Math.round(r.uniform(1e9, 1e12)),
        packets_sent: Math.round(r.uniform(1e6, 1e9)),
        packets_recv: Math.round(r.uniform(1e6, 1e9)),
        errin: 0,
        errout: 0,
        dropin: Math.round(r.uniform(0, 5_000)),
        dropout: 0,
      },
    }));
  }

  next(agentId, timestamp) {
    const dt = this.previous === undefined ? 1 : (timestamp - this.previous) / SECOND;
    this.previous = timestamp;
    this.uptime += dt;
    const cpu = this.stepCpu(dt);
    this.stepMemory(dt);
    const ioDeltas = this.stepIo(dt);
    for (const disk of this.disks) this.stepDisk(disk, dt);
    const nicDeltas = this.nics.map((nic) => this.stepNic(nic, dt));

    const disk_io = { ...this.io.counters };
    for (const key of ["read_bytes", "write_bytes", "read_ops", "write_ops"]) disk_io[`${key}_per_s`] = ioDeltas[key] / dt;
    const interfaces = this.nics.map((nic, i) => ({ name: nic.name, ...nic.counters, ...rates(nicDeltas[i], dt) }));
    const network = {};
    for (const key of Object.keys(this.nics[0].counters)) network[key] = this.nics.reduce((sum, nic) => sum + nic.counters[key], 0);
    const total = {};
    for (const key of Object.keys(nicDeltas[0])) total[key] = nicDeltas.reduce((sum, d) => sum + d[key], 0);
    Object.assign(network, rates(total, dt), { interfaces });

    return {
      agent_id: agentId,
      timestamp,
      seq: this.seq++,
      cpu,
      memory: {
        total: this.memTotal,
        available: this.memTotal - this.memUsed - this.memPinned,
        used: this.memUsed,
        used_percent: (100 * this.memUsed) / this.memTotal,
        swap_total: this.swapTotal,
        swap_used: this.swapUsed,
      },
      disks: this.disks.map((d) => {
        const free = d.total - d.used - d.reservedBytes;
        return { device: d.device, mountpoint: d.mountpoint, fstype: d.fstype, total: d.total, used: d.used, free, used_percent: (100 * d.used) / (d.used + free) };
      }),
      disk_io,
      network,
      uptime_s: Math.floor(this.uptime),
    };
  }

  stepCpu(dt) {
    const r = this.r;
    this.cpu = clamp(revert(r, this.cpu, this.cpuLevel, 0.05, 8, dt), 0.5, 100);
    const burst = this.burst;
    if (burst.left > 0) burst.left -= dt;
    else if (r.within(1 / 600, dt)) Object.assign(burst, { left: r.uniform(5, 120), height: r.uniform(20, 70), core: Math.floor(r.next() * CORES) });
    const extra = burst.left > 0 ? burst.height : 0;
    let busyTicks = 0;
    let totalTicks = 0;
    const perCore = [];
    const freq = [];
    for (let c = 0; c < CORES; c++) {
      this.coreNoise[c] = revert(r, this.coreNoise[c], 0, 0.3, 5, dt);
      const boost = extra === 0 ? 0 : c === burst.core ? extra * 2 : extra * 0.67;
      const usage = clamp(this.cpu + this.coreBias[c] + this.coreNoise[c] + boost, 0, 100);
      const ticks = Math.max(1, Math.round(TICKS_PER_S * dt) + (r.next() < 0.1 ? (r.next() < 0.5 ? -1 : 1) : 0));
      const busy = clamp(Math.round((usage / 100) * ticks + r.gauss() * 0.5), 0, ticks);
      busyTicks += busy;
      totalTicks += ticks;
      perCore.push((100 * busy) / ticks);
      // The governor steps towards the P-state the load asks for, not instantly.
      const wanted = Math.min(FREQ_STEPS_MHZ.length - 1, Math.floor((usage / 100) * FREQ_STEPS_MHZ.length + 0.5));
      if (wanted !== this.coreStep[c] && r.within(0.7, dt)) this.coreStep[c] += Math.sign(wanted - this.coreStep[c]);
      freq.push(FREQ_STEPS_MHZ[this.coreStep[c]] + (r.next() < 0.05 ? Math.round(r.gauss() * 20) : 0));
    }
    const stealTicks = r.next() < 0.02 * dt ? 1 : 0;
    const userTicks = Math.round(busyTicks * clamp(this.userShare + r.gauss() * 0.05, 0, 1));
    const ioPressure = this.io.burst.left > 0 ? 0.04 : 0.005;
    const iowaitTicks = Math.max(0, Math.round(totalTicks * ioPressure * r.next()));
    this.loadClock += dt;
    while (this.loadClock >= 5) {
      this.loadClock -= 5;
      const running = Math.max(0, Math.round(busyTicks / (TICKS_PER_S * dt) + Math.max(0, r.gauss() * 0.6)));
      this.load = this.load.map((value, i) => value * LOAD_DECAY[i] + running * (1 - LOAD_DECAY[i]));
    }
    return {
      usage_percent: (100 * busyTicks) / totalTicks,
      per_core_usage: perCore,
      per_core_freq_mhz: freq,
      freq_mhz: { current: freq.reduce((a, b) => a + b, 0) / CORES, min: 400, max: 3600 },
      load_avg: this.load.map((value) => Math.round(value * 100) / 100),
      user_percent: (100 * userTicks) / totalTicks,
      system_percent: (100 * Math.max(0, busyTicks - userTicks - stealTicks)) / totalTicks,
      iowait_percent: (100 * iowaitTicks) / totalTicks,
      steal_percent: (100 * stealTicks) / totalTicks,
      count: CORES,
      count_logical: CORES,
    };
  }

  stepMemory(dt) {
    const r = this.r;
    if (r.within(1 / 3600, dt)) this.memTarget = clamp(this.memTarget + r.uniform(-1, 1) * GiB, 0.15 * this.memTotal, 0.9 * this.memTotal);
    this.memTarget += r.gauss() * 256 * KiB * Math.sqrt(dt);
    this.memUsed = blocks(clamp(this.memUsed + (this.memTarget - this.memUsed) * (1 - Math.exp(-dt / 120)) + r.gauss() * 64 * KiB * Math.sqrt(dt), 0, this.memTotal - this.memPinned));
    if (r.within(1 / 1800, dt)) this.swapUsed = blocks(clamp(this.swapUsed + r.gauss() * MiB, 0, this.swapTotal));
    if (r.within(1 / 60, dt)) this.memPinned = blocks(this.memPinned + r.gauss() * 16 * KiB);
  }

  stepDisk(disk, dt) {
    const r = this.r;
    if (r.next() < 1 - (1 - disk.changes) ** dt) {
      const grown = disk.growth * dt * Math.exp(r.gauss()) * (this.io.burst.left > 0 ? 5 : 1);
      disk.used = blocks(disk.used + grown - (r.next() < 0.2 ? grown * r.uniform(0.5, 1.5) : 0));
    }
    // A cleanup (log rotation, an old backup deleted) frees a slice now and then, always before the disk is full.
    if (disk.used > 0.95 * (disk.total - disk.reservedBytes) || r.within(1 / (6 * 3600), dt)) disk.used = blocks(disk.used * r.uniform(0.9, 0.99));
  }

  stepIo(dt) {
    const r = this.r;
    const io = this.io;
    io.writeWalk = revert(r, io.writeWalk, 0, 0.01, 1.4, dt);
    io.dirty += io.writeLevel * Math.exp(io.writeWalk) * dt;
    if (io.burst.left > 0) io.burst.left -= dt;
    else if (r.within(1 / 300, dt)) io.burst = { left: r.uniform(3, 60), rate: r.uniform(20e6, 200e6) };
    let written = io.burst.left > 0 ? io.burst.rate * dt * r.uniform(0.5, 1) : 0;
    io.writebackClock += dt;
    if (io.writebackClock >= 5) {
      io.writebackClock %= 5;
      written += io.dirty;
      io.dirty = 0;
    }
    let read = 0;
    if (r.within(0.2, dt)) read += 4096 * Math.ceil(Math.exp(r.uniform(0, 8)));
    if (io.burst.left > 0 && r.next() < 0.3) read += io.burst.rate * dt * r.uniform(0, 0.5);
    const deltas = {
      read_bytes: Math.round(read / 512) * 512,
      write_bytes: Math.round(written / 512) * 512,
    };
    deltas.read_ops = deltas.read_bytes === 0 ? 0 : Math.max(1, Math.round(deltas.read_bytes / r.uniform(4096, 131_072)));
    deltas.write_ops = deltas.write_bytes === 0 ? 0 : Math.max(1, Math.round(deltas.write_bytes / r.uniform(4096, 131_072)));
    for (const key in deltas) io.counters[key] += deltas[key];
    return deltas;
  }

  stepNic(nic, dt) {
    const r = this.r;
    nic.walkRx = revert(r, nic.walkRx, 0, 0.02, 1, dt);
    nic.walkTx = revert(r, nic.walkTx, 0, 0.02, 1, dt);
    nic.packetSize = clamp(nic.packetSize + r.gauss() * 20 * Math.sqrt(dt), 200, 1450);
    if (nic.burstLeft > 0) nic.burstLeft -= dt;
    else if (r.within(1 / 900, dt)) nic.burstLeft = r.uniform(2, 90);
    const burst = nic.burstLeft > 0 ? 10 : 1;
    const recv = Math.round(nic.level * Math.exp(nic.walkRx) * burst * dt);
    const sent = Math.round(nic.level * nic.txShare * Math.exp(nic.walkTx) * dt);
    const deltas = {
      bytes_sent: sent,
      bytes_recv: recv,
      packets_sent: Math.ceil(sent / nic.packetSize),
      packets_recv: Math.ceil(recv / nic.packetSize),
      dropin: r.within(nic.dropRate, dt) ? 1 + Math.floor(r.next() * 3) : 0,
    };
    for (const key in deltas) nic.counters[key] += deltas[key];
    return deltas;
  }
}

/** Per-second rates of counter deltas over `dt` seconds, as the hub derives them. */
function rates(deltas, dt) {
  return {
    bytes_sent_per_s: deltas.bytes_sent / dt,
    bytes_recv_per_s: deltas.bytes_recv / dt,
    packets_sent_per_s: deltas.packets_sent / dt,
    packets_recv_per_s: deltas.packets_recv / dt,
  };
}

/** An agent's sampling schedule: every second at its own phase, a few ms of jitter, a rare late tick. */
class Schedule {
  constructor(r) {
    this.r = r;
    this.phase = Math.floor(r.uniform(0, 900));
    this.last = -Infinity;
  }
  at(second) {
    const r = this.r;
    const late = r.next() < 0.002 ? r.uniform(10, 150) : 0;
    const t = Math.round(second * SECOND + this.phase + r.gauss() * 1.5 + late);
    this.last = Math.max(t, this.last + 1);
    return this.last;
  }
}

// ---------------------------------------------------------------------------------------------
// The store under test

const tmp = mkdtempSync(path.join(os.tmpdir(), "statusmonitor-bench-history-"));
const logger = createLogger({ level: "warn" });
const db = openDatabase({ dataDir: tmp, synchronous: "normal", logger });
const store = new SqliteHistoryStore(db);
const tiers = resolveTiers();
const minuteTier = tierNamed(tiers, "1m");
const clock = new ManualClock(NOW - settings.rawHours * HOUR);

/** Wraps the rollup job to count the minutes and time the work it does. */
function countedRollups() {
  const job = new RollupJob(store, tiers, clock);
  const stats = { minutes: 0, calls: 0, ms: 0 };
  const rollup = job.rollup.bind(job);
  job.rollup = async (agentId, minutes) => {
    const started = performance.now();
    await rollup(agentId, minutes);
    stats.ms += performance.now() - started;
    stats.minutes += minutes.length;
    stats.calls++;
  };
  return { job, stats };
}

const now = () => performance.now();
const userId = db.prepare("INSERT INTO users (username, password_hash, role, created_at) VALUES ('bench', 'x', 'user', ?)").run(NOW).lastInsertRowid;
const insertAgent = db.prepare(
  "INSERT INTO agents (user_id, name, token_hash, token_issued_at, token_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
);
const newAgent = (name) => Number(insertAgent.run(userId, name, `hash-${name}`, NOW - 400 * DAY, NOW + DAY, NOW - 400 * DAY).lastInsertRowid);
const agents = Array.from({ length: settings.agents }, (_, i) => {
  const r = new Random(settings.seed * 1_000_003 + i);
  return { id: newAgent(`host-${i + 1}`), host: new Host(r.next() * 2 ** 32), schedule: new Schedule(new Random(r.next() * 2 ** 32)) };
});

const historyStart = NOW - settings.days * DAY;
const rawStart = NOW - settings.rawHours * HOUR;
const liveStart = NOW - settings.liveMinutes * MINUTE;
const valuesPerSample = Object.keys(seriesOf(new Host(0).next(1, NOW))).length;

console.log(`history benchmark: ${settings.agents} agents × ${settings.days} d ending ${new Date(NOW).toISOString()}, ${valuesPerSample} series per sample; SQLite file in ${tmp}`);
console.log(
  `  ${iso(historyStart)} → ${iso(rawStart)}: 1m/1h rollup chunks written directly (1m only within its ${minuteTier.retentionMs / DAY} d retention), from ${settings.minutePoints} synthetic points per 1m bucket and ${settings.hourPoints} per 1h bucket beyond the 1m retention`,
);
console.log(`  ${iso(rawStart)} → ${iso(liveStart)}: 1 s samples, writer.accept + flush and the rollup job every ${settings.stepS} s of simulated time`);
console.log(`  ${iso(liveStart)} → ${iso(NOW)}: 1 s samples at the production cadence (accept every second, flush + rollup every ${FLUSH_EVERY_S} s)`);

function iso(t) {
  return new Date(t).toISOString().replace(":00.000Z", "Z");
}

// ---------------------------------------------------------------------------------------------
// Phase 1: the rollup tiers before the raw window, as the store holds them after retention

/**
 * Aggregates synthetic points into buckets the way the rollup job does, with the count a full
 * bucket of 1 s samples has (the points only shape avg/min/max).
 */
function bucketsOf(rows, start, count) {
  const buckets = aggregatePoints(rows, start);
  for (const bucket of buckets.values()) bucket.count = count;
  return buckets;
}

async function writeOldTiers() {
  const keepMinutesFrom = NOW - minuteTier.retentionMs;
  const started = now();
  let chunks = 0;
  for (const agent of agents) {
    for (let day = windowStart(historyStart, DAY); day < rawStart; day += DAY) {
      const records = [];
      const hourRows = new Map();
      for (let hour = Math.max(day, historyStart); hour < Math.min(day + DAY, rawStart); hour += HOUR) {
        if (hour + minuteTier.chunkMs > keepMinutesFrom) {
          const minuteRows = new Map();
          for (let minute = hour; minute < hour + HOUR; minute += MINUTE) {
            const points = [];
            for (let p = 0; p < settings.minutePoints; p++) {
              points.push(seriesOf(agent.host.next(agent.id, agent.schedule.at((minute + (p * MINUTE) / settings.minutePoints) / SECOND))));
            }
            minuteRows.set(minute, rowOfBuckets(bucketsOf(points, minute, 60)));
          }
          records.push({ agentId: agent.id, tier: "1m", windowStart: hour, ...encodeRows(minuteRows) });
          hourRows.set(hour, rowOfBuckets(aggregateBucketRows(minuteRows.values(), hour)));
        } else {
          const points = [];
          for (let p = 0; p < settings.hourPoints; p++) {
            points.push(seriesOf(agent.host.next(agent.id, agent.schedule.at((hour + (p * HOUR) / settings.hourPoints) / SECOND))));
          }
          hourRows.set(hour, rowOfBuckets(bucketsOf(points, hour, 3600)));
        }
      }
      records.push({ agentId: agent.id, tier: "1h", windowStart: day, ...encodeRows(hourRows) });
      chunks += records.length;
      await store.putChunks(records);
    }
  }
  return { seconds: (now() - started) / 1000, chunks };
}

// ---------------------------------------------------------------------------------------------
// Phase 2: the raw window through the writer and the rollup job

function samplesFor(agent, fromSecond, toSecond) {
  const entries = [];
  for (let s = fromSecond; s < toSecond; s++) {
    const sample = agent.host.next(agent.id, agent.schedule.at(s));
    entries.push({ agent_id: agent.id, sample, received_at: sample.timestamp + 30 });
  }
  return entries;
}

/** Accepts `seconds` of every agent's samples per step and runs the flush and rollup job after each step. */
async function writeRaw(writer, parts, rollupStats, from, to, stepS) {
  const totals = { samples: 0, generateMs: 0, acceptMs: 0, flushMs: 0, rollupMs: 0, rollupMinutes: 0, flushes: 0 };
  const rollupBefore = { ...rollupStats };
  for (let t = from; t < to; t += stepS * SECOND) {
    const stepEnd = Math.min(to, t + stepS * SECOND);
    let started = now();
    const entries = agents.flatMap((agent) => samplesFor(agent, t / SECOND, stepEnd / SECOND));
    totals.generateMs += now() - started;
    started = now();
    writer.accept(entries);
    totals.acceptMs += now() - started;
    totals.samples += entries.length;
    clock.set(stepEnd);
    started = now();
    await writer.flush();
    totals.flushMs += now() - started;
    totals.flushes++;
    // The real job: its own flush finds nothing left, then it rolls up the minutes closed 5 s ago,
    // batched as the hub's 10 s timer does (at the production cadence).
    await flushAndRollup(parts, clock, logger, { batched: stepS <= 10 });
  }
  totals.rollupMs = rollupStats.ms - rollupBefore.ms;
  totals.rollupMinutes = rollupStats.minutes - rollupBefore.minutes;
  return totals;
}

// ---------------------------------------------------------------------------------------------
// Measurements

/** Busy and total CPU seconds of the whole machine, from /proc/stat (Linux), for the noise of other processes. */
function machineCpuSeconds() {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - fields[3] - fields[4]) / 100, total: total / 100 };
  } catch {
    return undefined;
  }
}

/** What other processes used of the machine while `run` ran, in % of all CPUs (undefined off Linux). */
async function otherCpuDuring(run) {
  const machineBefore = machineCpuSeconds();
  const selfBefore = process.cpuUsage();
  const result = await run();
  const machineAfter = machineCpuSeconds();
  const self = process.cpuUsage(selfBefore);
  if (!machineBefore || !machineAfter) return { result, otherPercent: undefined };
  const busy = machineAfter.busy - machineBefore.busy - (self.user + self.system) / 1e6;
  return { result, otherPercent: Math.max(0, (100 * busy) / (machineAfter.total - machineBefore.total)) };
}

function percentile(sorted, p) {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

async function timeQueries(service, agentId) {
  const ranges = ["-1h", "-24h", "-7d", "-30d", "-365d"];
  const results = [];
  for (const start of ranges) {
    const query = { start, stop: "now()" };
    let response;
    for (let i = 0; i < 5; i++) response = await service.query(userId, agentId, "cpu", query);
    const times = [];
    for (let i = 0; i < settings.queryRuns; i++) {
      const started = now();
      await service.query(userId, agentId, "cpu", query);
      times.push(now() - started);
    }
    times.sort((a, b) => a - b);
    const usage = response.series.find((s) => s.name === "usage" && !s.labels);
    results.push({
      range: start,
      tier: response.tier,
      interval: response.interval,
      series: response.series.length,
      points: usage?.points.length ?? 0,
      p50: percentile(times, 0.5),
      p95: percentile(times, 0.95),
      max: times[times.length - 1],
    });
  }
  return results;
}

async function backfill() {
  const agent = { id: newAgent("backfill"), host: new Host(settings.seed * 7919 + 17), schedule: undefined };
  agent.schedule = new Schedule(new Random(settings.seed * 104_729 + 3));
  const writer = new HistoryWriter(store, tiers, logger);
  const { job, stats } = countedRollups();
  let started = now();
  const entries = samplesFor(agent, (NOW - DAY) / SECOND, NOW / SECOND).filter((e) => e.sample.timestamp < NOW);
  const generateMs = now() - started;
  started = now();
  writer.accept(entries);
  const acceptMs = now() - started;
  started = now();
  await writer.flush();
  const flushMs = now() - started;
  started = now();
  for (const [agentId, minutes] of writer.takeClosedMinutes(Number.MAX_SAFE_INTEGER)) await job.rollup(agentId, minutes);
  const rollupMs = now() - started;
  const service = new HistoryService({ store, tiers, agents: { get: async () => ({}) }, clock, writer });
  const check = await service.query(userId, agent.id, "cpu", { start: "-7d", stop: "now()" });
  const usage = check.series.find((s) => s.name === "usage" && !s.labels);
  return { samples: entries.length, generateMs, acceptMs, flushMs, rollupMs, minutes: stats.minutes, check: { tier: check.tier, interval: check.interval, points: usage?.points.length ?? 0 } };
}

function dbFileBytes() {
  db.pragma("wal_checkpoint(TRUNCATE)");
  const file = path.join(tmp, DATABASE_FILE);
  const pageSize = db.pragma("page_size", { simple: true });
  const freePages = db.pragma("freelist_count", { simple: true });
  return { bytes: statSync(file).size, freeBytes: pageSize * freePages };
}

// ---------------------------------------------------------------------------------------------
// Output

function table(headers, rows) {
  const lines = [`| ${headers.join(" | ")} |`, `|${headers.map(() => "---").join("|")}|`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}

const fmt = (value, digits = 0) => value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (bytes) => `${fmt(bytes / MiB, 1)} MiB`;
const ms = (value) => `${fmt(value, value < 10 ? 2 : 1)} ms`;
const verdict = (ok) => (ok ? "met" : "**missed**");

// ---------------------------------------------------------------------------------------------
// Run

const overall = now();
const writer = new HistoryWriter(store, tiers, logger);
const { job: rollups, stats: rollupStats } = countedRollups();
const parts = { store, writer, rollups, tiers };

const old = rawStart > historyStart ? await writeOldTiers() : { seconds: 0, chunks: 0 };
console.log(`\nphase 1 (rollup tiers written directly): ${old.chunks} chunks in ${fmt(old.seconds, 1)} s`);

const bulk = await writeRaw(writer, parts, rollupStats, rawStart, liveStart, settings.stepS);
console.log(
  `phase 2 (raw, ${settings.stepS} s steps): ${fmt(bulk.samples)} samples; generating them ${fmt(bulk.generateMs / 1000, 1)} s, accept ${fmt(bulk.acceptMs / 1000, 1)} s, flush ${fmt(bulk.flushMs / 1000, 1)} s, rollup ${fmt(bulk.rollupMs / 1000, 1)} s`,
);
const live = await writeRaw(writer, parts, rollupStats, liveStart, NOW, FLUSH_EVERY_S);
console.log(
  `phase 3 (raw, production cadence): ${fmt(live.samples)} samples; generating them ${fmt(live.generateMs / 1000, 1)} s, accept ${fmt(live.acceptMs / 1000, 1)} s, flush ${fmt(live.flushMs / 1000, 1)} s, rollup ${fmt(live.rollupMs / 1000, 1)} s`,
);
clock.set(NOW);
const pruned = await pruneHistory(parts, clock);

const usage = await store.usage();
/** The rollup chunks the rollup job computed from real 1 s data (the raw period), apart from those written directly. */
const rolledUpUsage = db
  .prepare(
    `SELECT tier, COUNT(*) AS chunks, SUM(row_count) AS rows, SUM(value_count) AS "values", SUM(LENGTH(data)) AS bytes
     FROM history_chunks WHERE agent_id IN (SELECT id FROM agents WHERE name LIKE 'host-%')
       AND ((tier = '1m' AND window_start >= ?) OR (tier = '1h' AND window_start >= ?))
     GROUP BY tier ORDER BY tier`,
  )
  .all(rawStart, windowStart(rawStart, DAY));
const file = dbFileBytes();
const blobBytes = usage.reduce((sum, u) => sum + u.bytes, 0);

const service = new HistoryService({ store, tiers, agents: { get: async () => ({}) }, clock, writer });
const { result: queries, otherPercent: queryNoise } = await otherCpuDuring(() => timeQueries(service, agents[0].id));
const fill = await backfill();
const totalSeconds = (now() - overall) / 1000;

// ---------------------------------------------------------------------------------------------
// Report

const rawUsage = usage.find((u) => u.tier === "raw");
const rawBytesPerValue = rawUsage ? rawUsage.bytes / rawUsage.values : NaN;
console.log(`\n### Storage (after the generated ${settings.days} days; retention pruning removed ${pruned} chunks)\n`);
console.log(
  table(
    ["tier", "chunks", "rows", "stored values", "bytes", "bytes / value", "bytes / bucket (avg+min+max+count)", "bytes / row"],
    [...usage, ...rolledUpUsage.map((u) => ({ ...u, tier: `${u.tier}: windows of the 1 s period only` }))].map((u) => [
      u.tier,
      fmt(u.chunks),
      fmt(u.rows),
      fmt(u.values),
      mib(u.bytes),
      fmt(u.bytes / u.values, 3),
      u.tier === "raw" ? "—" : fmt((4 * u.bytes) / u.values, 2),
      fmt(u.bytes / u.rows, 0),
    ]),
  ),
);
console.log(
  `\nSQLite file: ${mib(file.bytes)} after a WAL checkpoint (${mib(file.freeBytes)} free pages), ${mib(file.bytes / settings.agents)} per agent; chunk blobs ${mib(blobBytes)}, so pages, keys and indexes add ${fmt((100 * (file.bytes - blobBytes)) / blobBytes, 1)} %.`,
);

const writeRow = (name, t) => {
  const values = t.samples * valuesPerSample;
  const seconds = (t.acceptMs + t.flushMs) / 1000;
  return [
    name,
    fmt(t.samples),
    fmt(values),
    fmt(values / seconds),
    fmt(t.samples / seconds),
    `${fmt((1e6 * seconds) / t.samples, 1)} µs`,
    fmt(t.rollupMinutes),
    ms(t.rollupMs / t.rollupMinutes),
    ms((60 * t.rollupMs) / t.rollupMinutes),
  ];
};
console.log("\n### Write and rollup cost\n");
console.log(
  table(
    ["phase", "samples", "values", "values/s (accept+flush)", "samples/s", "per sample", "minutes rolled up", "rollup per minute", "rollup per agent-hour"],
    [writeRow(`bulk (${settings.stepS} s between flushes)`, bulk), ...(live.samples > 0 ? [writeRow(`production cadence (flush every ${FLUSH_EVERY_S} s)`, live)] : [])],
  ),
);
if (live.samples > 0) {
  const cpuPerSecond = (live.acceptMs + live.flushMs + live.rollupMs) / (settings.liveMinutes * 60);
  console.log(
    `\nAt the production cadence, ${settings.agents} agents at 1 sample/s cost the history writer and rollups ${ms(cpuPerSecond)} of one thread per simulated second (${fmt(cpuPerSecond / 10, 1)} %).`,
  );
}

const noise = queryNoise === undefined ? "" : `; other processes used ${fmt(queryNoise, 0)} % of the machine's CPUs meanwhile`;
console.log(`\n### Query latency: HistoryService.query(cpu) for one agent, ${settings.queryRuns} runs after 5 warm-ups${noise}\n`);
console.log(
  table(
    ["range", "tier", "interval", "series", "points per series", "p50", "p95", "max", "p95 ≤ 50 ms"],
    queries.map((q) => [q.range, q.tier, q.interval, fmt(q.series), fmt(q.points), ms(q.p50), ms(q.p95), ms(q.max), verdict(q.p95 <= 50)]),
  ),
);

const fillSeconds = (fill.acceptMs + fill.flushMs + fill.rollupMs) / 1000;
console.log("\n### 24 h back-fill of one fresh agent\n");
console.log(
  table(
    ["samples", "accept", "flush (raw chunks)", "rollup (1m + 1h)", "total", "≤ 10 s", "check: -7d query"],
    [[fmt(fill.samples), ms(fill.acceptMs), ms(fill.flushMs), `${ms(fill.rollupMs)} (${fmt(fill.minutes)} minutes)`, `${fmt(fillSeconds, 2)} s`, verdict(fillSeconds <= 10), `${fill.check.tier} at ${fill.check.interval}, ${fmt(fill.check.points)} points`]],
  ),
);

console.log("\n### Targets\n");
console.log(
  table(
    ["target", "figure", "result"],
    [
      ["raw ≤ 2 bytes per value (stretch ≤ 1)", `${fmt(rawBytesPerValue, 3)} B`, rawBytesPerValue <= 1 ? "met, stretch too" : verdict(rawBytesPerValue <= 2)],
      ["every query ≤ 50 ms p95", `worst p95 ${ms(Math.max(...queries.map((q) => q.p95)))}`, verdict(queries.every((q) => q.p95 <= 50))],
      ["24 h back-fill ≤ 10 s", `${fmt(fillSeconds, 2)} s`, verdict(fillSeconds <= 10)],
    ],
  ),
);
console.log(`\n(generating the synthetic samples took ${fmt((bulk.generateMs + live.generateMs + fill.generateMs) / 1000, 1)} s, not counted above; whole run ${fmt(totalSeconds, 1)} s)`);

db.close();
if (settings.keep) console.log(`kept ${path.join(tmp, DATABASE_FILE)}`);
else rmSync(tmp, { recursive: true, force: true });
