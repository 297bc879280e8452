/** Alerts benchmark: the built hub as a child process with a local recording Telegram API, 1,000 agents at 1 Hz with 10 rules each; evaluation CPU, sample → Telegram latency and messages per incident. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openLoop, poll, pool } from "./lib/concurrency.js";
import { cpuSecondsOf, rssMiBOf, startHub, stopHub } from "./lib/hub-process.js";
import { expectStatus, jsonRequest, postIngest } from "./lib/json-request.js";
import { machineCpuSeconds, machineInfo, waitQuiet } from "./lib/machine.js";
import { percentiles } from "./lib/percentiles.js";
import { Random } from "./lib/random.js";
import { fmt, printTable } from "./lib/text-table.js";
import { inclusiveTime, printTop } from "./profile-top.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_HUB = path.join(ROOT, "packages/server/dist/main.js");
/** The hub's limit (MAX_ALERT_RULES_PER_USER): rules are spread over as many users as that needs. */
const MAX_RULES_PER_USER = 1000;
/** The hub allows 20 registrations per client address and hour. */
const MAX_REGISTRATIONS = 20;
/** An `offline` rule with threshold 0 fires after max(3 intervals, 30 s) of silence; the agents report every second. */
const OFFLINE_AFTER_MS = 30_000;
const BOT_TOKEN = "123456789:BENCH-bot-token-for-the-recorder";
const PASSWORD = "correct horse battery staple";

const HELP = `Usage: npm run bench:alerts -- [options]   (or: node bench/alerts.js [options] after npm run build)

  --agents N            agents with rules, each posting one sample per second (default 1000); as many again
                        without rules post in the baseline slices of the evaluation phase
  --rules-per-agent N   rules per agent, the first N of the ten below (default 10); 1000 rules per user
  --duration S          evaluation phase: slices alternating agents with rules and agents without (default 120)
  --slice S             length of one evaluation slice (default 10)
  --crossing S          crossing phase length (default 45; the offline check needs at least 42)
  --crossings-per-s N   agents per second whose values cross a threshold (default 20)
  --hold S              samples (seconds) a crossing stays above its threshold (default 3)
  --offline-agents N    agents that go silent for 36 s in the crossing phase (default 10)
  --warmup S            unreported warm-up per agent group (default 5)
  --connections N       keep-alive HTTP connections the simulated agents share (default 256)
  --hub FILE            the hub's main.js to run, for A/B comparisons (default packages/server/dist/main.js)
  --wait-quiet S        before each measured phase, wait up to S s for other processes to leave the CPUs idle (default 0)
  --profile             run the hub with --cpu-prof; print its top self-time functions and the time inside the evaluator
  --seed N              seed of the simulated values and of the crossing schedule (default 1)
  --json FILE           also write the results as JSON

Rules per agent (duration_s 0, cooldown_s 0, so every crossing must give exactly one message):
  cpu > 90, memory > 95, disk (fullest) > 90, load1 > 8, network_rx > 100 MB/s, network_tx > 100 MB/s,
  offline (automatic: 30 s at 1 Hz), disk /data > 80, memory >= 85, cpu < 1`;

const { values: flags } = parseArgs({
  options: {
    agents: { type: "string", default: "1000" },
    "rules-per-agent": { type: "string", default: "10" },
    duration: { type: "string", default: "120" },
    slice: { type: "string", default: "10" },
    crossing: { type: "string", default: "45" },
    "crossings-per-s": { type: "string", default: "20" },
    hold: { type: "string", default: "3" },
    "offline-agents": { type: "string", default: "10" },
    warmup: { type: "string", default: "5" },
    connections: { type: "string", default: "256" },
    hub: { type: "string", default: DEFAULT_HUB },
    "wait-quiet": { type: "string", default: "0" },
    profile: { type: "boolean", default: false },
    seed: { type: "string", default: "1" },
    json: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}

function number(text, name, { min = 0, integer = false } = {}) {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    console.error(`${name} must be ${integer ? "an integer" : "a number"} >= ${min} (got ${text})\n\n${HELP}`);
    process.exit(2);
  }
  return value;
}

const settings = {
  agents: number(flags.agents, "--agents", { min: 1, integer: true }),
  rulesPerAgent: number(flags["rules-per-agent"], "--rules-per-agent", { min: 1, integer: true }),
  durationS: number(flags.duration, "--duration", { min: 0 }),
  sliceS: number(flags.slice, "--slice", { min: 1 }),
  crossingS: number(flags.crossing, "--crossing", { min: 10 }),
  crossingsPerS: number(flags["crossings-per-s"], "--crossings-per-s", { min: 0 }),
  holdS: number(flags.hold, "--hold", { min: 1, integer: true }),
  offlineAgents: number(flags["offline-agents"], "--offline-agents", { min: 0, integer: true }),
  warmupS: number(flags.warmup, "--warmup", { min: 0 }),
  connections: number(flags.connections, "--connections", { min: 1, integer: true }),
  hub: path.resolve(flags.hub),
  waitQuietS: number(flags["wait-quiet"], "--wait-quiet", { min: 0 }),
  profile: flags.profile,
  seed: number(flags.seed, "--seed", { integer: true }),
};

// ---------------------------------------------------------------------------------------------
// Rules and the crossings that fire them

const RULES = [
  { key: "cpu-high", metric: "cpu", operator: ">", threshold: 90 },
  { key: "memory-critical", metric: "memory", operator: ">", threshold: 95 },
  { key: "disk-fullest", metric: "disk", operator: ">", threshold: 90 },
  { key: "load", metric: "load1", operator: ">", threshold: 8 },
  { key: "network-in", metric: "network_rx", operator: ">", threshold: 100e6 },
  { key: "network-out", metric: "network_tx", operator: ">", threshold: 100e6 },
  { key: "offline", metric: "offline", operator: ">", threshold: 0 },
  { key: "disk-data", metric: "disk", operator: ">", threshold: 80, mountpoint: "/data" },
  { key: "memory-warning", metric: "memory", operator: ">=", threshold: 85 },
  { key: "cpu-idle", metric: "cpu", operator: "<", threshold: 1 },
];
if (settings.rulesPerAgent > RULES.length) {
  console.error(`--rules-per-agent is at most ${RULES.length} (the rule set above)`);
  process.exit(2);
}
const ACTIVE_RULES = RULES.slice(0, settings.rulesPerAgent);
const isActive = (key) => ACTIVE_RULES.some((rule) => rule.key === key);

/**
 * What a crossing sets (a range drawn from per sample) and every rule those values breach; the
 * simulated values otherwise stay far enough inside every threshold and its hysteresis band.
 */
const SCENARIOS = [
  { key: "cpu-high", set: { cpu: [95, 99] }, fires: ["cpu-high"] },
  { key: "cpu-idle", set: { cpu: [0.1, 0.8] }, fires: ["cpu-idle"] },
  { key: "memory-warning", set: { memory: [86, 89] }, fires: ["memory-warning"] },
  { key: "memory-critical", set: { memory: [96, 99] }, fires: ["memory-critical", "memory-warning"] },
  { key: "disk-root", set: { root: [93, 97] }, fires: ["disk-fullest"] },
  { key: "disk-data", set: { data: [82, 86] }, fires: ["disk-data"] },
  { key: "load", set: { load1: [10, 14] }, fires: ["load"] },
  { key: "network-in", set: { rx: [150e6, 200e6] }, fires: ["network-in"] },
  { key: "network-out", set: { tx: [150e6, 200e6] }, fires: ["network-out"] },
]
  .map((scenario) => ({ ...scenario, fires: scenario.fires.filter(isActive) }))
  .filter((scenario) => scenario.fires.length > 0);

const ruleName = (agent, key) => `${agent.name}.${key}`;

// ---------------------------------------------------------------------------------------------
// Simulated agents

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));
const GiB = 2 ** 30;

/**
 * One 4-core Linux host in our agent's batch format. Its values wander (mean-reverting) inside
 * ranges that breach no rule; a crossing overrides some of them for `hold` samples, a silence
 * skips its sends. Network counters advance by rate × the real time between samples, so the rates
 * the hub derives are the ones intended.
 */
class SimAgent {
  constructor({ name, id, token, seed }) {
    Object.assign(this, { name, id, token });
    const r = (this.r = new Random(seed));
    this.lastTimestamp = 0;
    this.seq = 0;
    this.level = { cpu: r.uniform(8, 45), memory: r.uniform(30, 60), root: r.uniform(35, 65), data: r.uniform(25, 60), load1: r.uniform(0.3, 2), rx: r.uniform(50e3, 5e6), tx: r.uniform(20e3, 2e6) };
    this.value = { ...this.level };
    this.memTotal = [8, 16, 32][Math.floor(r.next() * 3)] * GiB;
    this.disks = [
      { device: "/dev/nvme0n1p2", mountpoint: "/", fstype: "ext4", total: Math.round(r.uniform(100, 500) * 1e9) },
      { device: "/dev/sdb1", mountpoint: "/data", fstype: "xfs", total: Math.round(r.uniform(1, 4) * 1e12) },
    ];
    this.counters = { rx: Math.round(r.uniform(1e9, 1e12)), tx: Math.round(r.uniform(1e9, 1e12)), rx2: 1e6, tx2: 1e6, readBytes: 5e9, writeBytes: 9e9 };
    this.load = [this.level.load1, this.level.load1, this.level.load1];
    this.uptime = Math.round(r.uniform(1, 100) * 86_400);
    /** Crossing in the crossing phase: { scenario, startAt, left, firstBreachAt, firstBreachOk, firstClearAt, firstClearOk }. */
    this.crossing = undefined;
    /** Silence in the crossing phase: { from, until, lastAckAt, resumeAt, resumeOk }. */
    this.silence = undefined;
    this.lastAckAt = undefined;
  }

  /** A strictly increasing millisecond timestamp. */
  nextTimestamp() {
    this.lastTimestamp = Math.max(Date.now(), this.lastTimestamp + 1);
    return this.lastTimestamp;
  }

  /** The next request body; `override` holds the values a crossing sets. */
  body(timestamp, override) {
    const r = this.r;
    const dt = this.previousTimestamp === undefined ? 1 : Math.max(0.001, (timestamp - this.previousTimestamp) / 1000);
    this.previousTimestamp = timestamp;
    this.uptime += dt;
    const walk = (key, low, high, spread) => {
      const v = this.value[key] + (this.level[key] - this.value[key]) * 0.1 + spread * (r.next() - 0.5);
      return (this.value[key] = clamp(v, low, high));
    };
    const v = {
      cpu: walk("cpu", 3, 70, 8),
      memory: walk("memory", 20, 70, 0.5),
      root: walk("root", 30, 75, 0.02),
      data: walk("data", 20, 70, 0.05),
      load1: walk("load1", 0.05, 4, 0.3),
      rx: walk("rx", 1e3, 20e6, this.level.rx * 0.4),
      tx: walk("tx", 1e3, 20e6, this.level.tx * 0.4),
    };
    if (override) for (const [key, [low, high]] of Object.entries(override)) v[key] = r.uniform(low, high);
    this.load = [v.load1, this.load[1] * 0.8 + v.load1 * 0.2, this.load[2] * 0.93 + v.load1 * 0.07];
    this.counters.rx += Math.round(v.rx * dt);
    this.counters.tx += Math.round(v.tx * dt);
    this.counters.rx2 += Math.round(2_000 * dt);
    this.counters.tx2 += Math.round(1_000 * dt);
    this.counters.readBytes += Math.round(r.uniform(0, 2e6) * dt);
    this.counters.writeBytes += Math.round(r.uniform(1e5, 5e6) * dt);
    const usedMemory = Math.round((this.memTotal * v.memory) / 100);
    const perCore = [0, 1, 2, 3].map(() => clamp(v.cpu + (r.next() - 0.5) * 6, 0, 100));
    const disk = (d, percent) => {
      const used = Math.round((d.total * percent) / 100);
      return { device: d.device, mountpoint: d.mountpoint, fstype: d.fstype, total: d.total, used, free: d.total - used, used_percent: percent };
    };
    const c = this.counters;
    const sample = {
      seq: this.seq++,
      timestamp,
      cpu: {
        usage_percent: v.cpu,
        per_core_usage: perCore,
        load_avg: this.load.map((l) => Math.round(l * 100) / 100),
        user_percent: v.cpu * 0.7,
        system_percent: v.cpu * 0.3,
        iowait_percent: 0.4,
        count: 4,
        count_logical: 4,
      },
      memory: { total: this.memTotal, available: this.memTotal - usedMemory, used: usedMemory, used_percent: v.memory, swap_total: 2 * GiB, swap_used: 0 },
      disks: [disk(this.disks[0], v.root), disk(this.disks[1], v.data)],
      disk_io: { read_bytes: c.readBytes, write_bytes: c.writeBytes, read_ops: Math.round(c.readBytes / 32_768), write_ops: Math.round(c.writeBytes / 16_384) },
      network: {
        interfaces: [
          { name: "eth0", bytes_recv: c.rx, bytes_sent: c.tx, packets_recv: Math.round(c.rx / 900), packets_sent: Math.round(c.tx / 900), errin: 0, errout: 0, dropin: 3, dropout: 0 },
          { name: "eth1", bytes_recv: c.rx2, bytes_sent: c.tx2, packets_recv: Math.round(c.rx2 / 500), packets_sent: Math.round(c.tx2 / 500), errin: 0, errout: 0, dropin: 0, dropout: 0 },
        ],
      },
      uptime_s: Math.floor(this.uptime),
    };
    return JSON.stringify({ agent: { hostname: this.name, os: "linux", arch: "x86_64", version: "bench" }, samples: [sample] });
  }
}

// ---------------------------------------------------------------------------------------------
// The recording Telegram API

/** A local stand-in for api.telegram.org: answers every sendMessage with ok and records when it arrived and what it said. */
async function startRecorder() {
  const messages = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const at = performance.now();
      let body = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        // recorded as unparseable below
      }
      const text = String(body.text ?? "");
      messages.push({
        at,
        path: req.url,
        chatId: String(body.chat_id ?? ""),
        kind: text.startsWith("🚨") ? "fired" : text.startsWith("✅") ? "resolved" : "other",
        rule: /\nRule: ([^\n]+)\n/.exec(text)?.[1],
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true,"result":{}}');
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url: `http://127.0.0.1:${server.address().port}`, messages, close };
}

// ---------------------------------------------------------------------------------------------
// Load

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: settings.connections });
const request = (hub, method, url, body, headers) => jsonRequest(keepAlive, hub, method, url, body, headers);
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

/** Samples acknowledged over the whole run, by agents with rules and without (to turn profile time into time per sample). */
const ackedSamples = { withRules: 0, without: 0 };

function newStats() {
  return { sent: 0, ok: 0, skipped: 0, errors: new Map(), ack: [], lag: [], inFlight: 0 };
}

/** Sends `agent`'s next sample, applying its crossing or silence; records the times the latency figures start from. */
function sendSample(hub, agent, stats, scheduledAt) {
  const now = performance.now();
  const silence = agent.silence;
  if (silence && now >= silence.from && now < silence.until) {
    if (silence.lastAckAt === undefined) silence.lastAckAt = agent.lastAckAt;
    stats.skipped++;
    return;
  }
  let override;
  let mark;
  const crossing = agent.crossing;
  if (crossing && now >= crossing.startAt) {
    if (crossing.left > 0) {
      override = crossing.scenario.set;
      if (crossing.left-- === crossing.holdS) mark = "breach";
    } else if (crossing.firstClearAt === undefined) mark = "clear";
  }
  if (silence && now >= silence.until && silence.resumeAt === undefined) mark = "resume";
  const timestamp = agent.nextTimestamp();
  const body = agent.body(timestamp, override);
  const startedAt = performance.now();
  if (mark === "breach") crossing.firstBreachAt = startedAt;
  if (mark === "clear") crossing.firstClearAt = startedAt;
  if (mark === "resume") silence.resumeAt = startedAt;
  stats.lag.push(startedAt - scheduledAt);
  stats.sent++;
  stats.inFlight++;
  let finished = false;
  const done = (status) => {
    if (finished) return;
    finished = true;
    stats.inFlight--;
    const ok = status === 200;
    if (ok) {
      stats.ok++;
      ackedSamples[agent.hasRules ? "withRules" : "without"]++;
      agent.lastAckAt = performance.now();
      stats.ack.push(agent.lastAckAt - startedAt);
    } else stats.errors.set(status, (stats.errors.get(status) ?? 0) + 1);
    if (mark === "breach") Object.assign(crossing, { firstBreachOk: ok, firstBreachAckAt: performance.now() });
    if (mark === "clear") Object.assign(crossing, { firstClearOk: ok, firstClearAckAt: performance.now() });
    if (mark === "resume") silence.resumeOk = ok;
  };
  postIngest(keepAlive, hub, "/api/v1/ingest", agent.token, body, done);
}

/**
 * Every agent of `agents` posts once per second for `durationS`, open loop and evenly spread: send
 * k leaves at k/rate whatever the answers do, round-robin, so each agent keeps its place in the second.
 */
async function runPhase(hub, agents, { name, durationS, measured = true, onStart }) {
  if (measured && settings.waitQuietS > 0) await waitQuiet(settings.waitQuietS);
  const stats = newStats();
  const metricsBefore = measured ? await scrapeHub(hub) : undefined; // also resets the hub's event-loop maximum
  const rate = agents.length;
  const total = Math.round(rate * durationS);
  const intervalMs = 1000 / rate;
  const rss = [];
  const cpuBefore = cpuSecondsOf(hub.child.pid);
  const selfBefore = process.cpuUsage();
  const machineBefore = machineCpuSeconds();
  loopDelay.reset();
  const start = performance.now();
  onStart?.(start);
  const rssTimer = setInterval(() => rss.push(rssMiBOf(hub.child.pid)), 1000);
  await openLoop(total, intervalMs, start, (k, scheduledAt) => sendSample(hub, agents[k % agents.length], stats, scheduledAt));
  const sendingMs = performance.now() - start;
  await poll(() => stats.inFlight === 0, 30_000, `the answers of phase ${name}`, 5);
  const elapsedS = (performance.now() - start) / 1000;
  const hubCpuS = cpuSecondsOf(hub.child.pid) - cpuBefore;
  const self = process.cpuUsage(selfBefore);
  const machineAfter = machineCpuSeconds();
  clearInterval(rssTimer);
  rss.push(rssMiBOf(hub.child.pid));
  const selfS = (self.user + self.system) / 1e6;
  const ack = percentiles(stats.ack);
  const metricsAfter = measured ? await scrapeHub(hub) : undefined;
  return {
    name,
    agents: agents.length,
    durationS: elapsedS,
    sent: stats.sent,
    ok: stats.ok,
    skipped: stats.skipped,
    errors: Object.fromEntries(stats.errors),
    achieved: stats.ok / (sendingMs / 1000),
    ackP50: ack.p50,
    ackP99: ack.p99,
    ackMax: ack.max,
    lagP99: percentiles(stats.lag).p99,
    genLoopMaxMs: loopDelay.max / 1e6,
    hubLoopStallMaxMs: metricsAfter ? 1000 * metricsAfter.loopDelayMaxS : NaN,
    hubGcMsPerS: metricsAfter ? (1000 * (metricsAfter.gcSeconds - metricsBefore.gcSeconds)) / elapsedS : NaN,
    hubCpuPercent: (100 * hubCpuS) / elapsedS,
    hubCpuUsPerIngest: (1e6 * hubCpuS) / stats.ok,
    hubRssMiB: Math.max(...rss),
    genCpuPercent: (100 * selfS) / elapsedS,
    // Everything else on the machine (other processes, kernel threads), to spot a noisy neighbour.
    otherCpuPercent: (100 * (machineAfter.busy - machineBefore.busy - hubCpuS - selfS)) / elapsedS,
  };
}

/** The hub's own Prometheus figures used here: worst event-loop stall since the last scrape, alert transitions and notification attempts. */
async function scrapeHub(hub) {
  const text = String((await request(hub, "GET", "/metrics")).body);
  const sum = (name, labelFilter = "") =>
    [...text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, "gm"))].filter((m) => m[1].includes(labelFilter)).reduce((total, m) => total + Number(m[2]), 0);
  return {
    // prom-client resets its event-loop histogram on every scrape: this is the worst stall since the last one.
    loopDelayMaxS: Number(/^statusmonitor_nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text)?.[1] ?? NaN),
    gcSeconds: sum("statusmonitor_nodejs_gc_duration_seconds_sum"),
    transitions: { fired: sum("statusmonitor_alert_transitions_total", 'kind="fired"'), resolved: sum("statusmonitor_alert_transitions_total", 'kind="resolved"') },
    attempts: {
      sent: sum("statusmonitor_alert_notification_attempts_total", 'outcome="sent"'),
      retry: sum("statusmonitor_alert_notification_attempts_total", 'outcome="retry"'),
      failed: sum("statusmonitor_alert_notification_attempts_total", 'outcome="failed"'),
    },
    backlog: Number(/^statusmonitor_alert_delivery_backlog (\S+)$/m.exec(text)?.[1] ?? NaN),
  };
}

// ---------------------------------------------------------------------------------------------
// Set-up over the API

/** A signed-in user; `auth()` logs in again before the 15-minute access token runs out. */
async function signUp(hub, username) {
  const credentials = { username, password: PASSWORD };
  await expectStatus(request(hub, "POST", "/api/v1/auth/register", credentials), 201, `register ${username}`);
  const user = { username, token: "", signedInAt: -Infinity };
  user.auth = async () => {
    if (performance.now() - user.signedInAt > 10 * 60_000) {
      const signedIn = await expectStatus(request(hub, "POST", "/api/v1/auth/login", credentials), 200, `login ${username}`);
      user.token = signedIn.access_token;
      user.signedInAt = performance.now();
    }
    return { authorization: `Bearer ${user.token}` };
  };
  await user.auth();
  return user;
}

async function createAgents(hub, user, names, seedBase) {
  const headers = await user.auth();
  return pool(names, 8, async (name, i) => {
    const created = await expectStatus(request(hub, "POST", "/api/v1/agents", { name }, headers), 201, `create agent ${name}`);
    return new SimAgent({ name, id: created.id, token: created.token, seed: seedBase + i });
  });
}

/** Every event of a user's log, oldest first. */
async function allEvents(hub, user) {
  const items = [];
  for (;;) {
    const page = await expectStatus(request(hub, "GET", `/api/v1/alerts/events?sort=oldest&limit=1000&offset=${items.length}`, undefined, await user.auth()), 200, "list events");
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

/** Shuffles in place with the seeded generator. */
function shuffle(list, r) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// Analysis

/** Messages per incident and the latencies, from the crossings planned and the messages recorded. */
function analyseCrossings(crossers, silent, messages) {
  const byRule = new Map();
  for (const message of messages) {
    if (!message.rule) continue;
    let entry = byRule.get(message.rule);
    if (!entry) byRule.set(message.rule, (entry = { fired: [], resolved: [], chatIds: new Set() }));
    if (message.kind === "fired" || message.kind === "resolved") entry[message.kind].push(message.at);
    entry.chatIds.add(message.chatId);
  }
  const expected = new Set();
  const firedLatency = [];
  const resolvedLatency = [];
  /** The same split at the answer to that request: the hub evaluates before it answers, records and sends after. */
  const firedAck = [];
  const firedAfterAck = [];
  const counts = { incidents: 0, exactlyOne: 0, missingFired: 0, missingResolved: 0, duplicateFired: 0, duplicateResolved: 0, misrouted: 0, sendErrors: 0 };
  const perScenario = new Map();
  const tally = (entry, crossing, firedAt, clearedAt, chatId, scenarioKey, firedAckAt) => {
    counts.incidents++;
    const fired = entry?.fired ?? [];
    const resolved = entry?.resolved ?? [];
    if (fired.length === 0) counts.missingFired++;
    if (resolved.length === 0) counts.missingResolved++;
    if (fired.length > 1) counts.duplicateFired++;
    if (resolved.length > 1) counts.duplicateResolved++;
    if (fired.length === 1 && resolved.length === 1) counts.exactlyOne++;
    if (entry && [...entry.chatIds].some((id) => id !== chatId)) counts.misrouted++;
    const scenario = perScenario.get(scenarioKey) ?? { incidents: 0, fired: [], resolved: [] };
    perScenario.set(scenarioKey, scenario);
    scenario.incidents++;
    if (fired.length > 0 && firedAt !== undefined) {
      firedLatency.push(fired[0] - firedAt);
      firedAck.push(firedAckAt - firedAt);
      firedAfterAck.push(fired[0] - firedAckAt);
      scenario.fired.push(fired[0] - firedAt);
    }
    if (resolved.length > 0 && clearedAt !== undefined) {
      resolvedLatency.push(resolved[0] - clearedAt);
      scenario.resolved.push(resolved[0] - clearedAt);
    }
  };
  for (const agent of crossers) {
    const c = agent.crossing;
    if (c.firstBreachAt === undefined) continue; // never reached (the phase ended first)
    if (!c.firstBreachOk || !c.firstClearOk) counts.sendErrors++;
    for (const key of c.scenario.fires) {
      const name = ruleName(agent, key);
      expected.add(name);
      tally(byRule.get(name), c, c.firstBreachAt, c.firstClearAt, agent.chatId, c.scenario.key, c.firstBreachAckAt);
    }
  }
  const offlineFired = [];
  const offlineResolved = [];
  for (const agent of silent) {
    const s = agent.silence;
    const name = ruleName(agent, "offline");
    expected.add(name);
    const entry = byRule.get(name);
    const limitAt = s.lastAckAt === undefined ? undefined : s.lastAckAt + OFFLINE_AFTER_MS;
    tally(entry, undefined, undefined, undefined, agent.chatId, "offline");
    if (entry?.fired.length && limitAt !== undefined) offlineFired.push(entry.fired[0] - limitAt);
    if (entry?.resolved.length && s.resumeAt !== undefined) offlineResolved.push(entry.resolved[0] - s.resumeAt);
  }
  const unexpected = messages.filter((m) => !m.rule || !expected.has(m.rule));
  return { counts, firedLatency, resolvedLatency, firedAck, firedAfterAck, offlineFired, offlineResolved, unexpected, perScenario, messages: messages.length };
}

// ---------------------------------------------------------------------------------------------
// Report

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

function printPhases(phases) {
  printTable(
    ["phase", "agents", "acked/s", "errors", "ack p50", "ack p99", "gen lag p99", "hub loop max", "hub GC/s", "hub CPU", "hub us/ingest", "hub RSS", "gen CPU", "other CPU"],
    phases.map((r) => [
      r.name,
      String(r.agents),
      fmt(r.achieved, 0),
      String(Object.values(r.errors).reduce((a, b) => a + b, 0)),
      `${fmt(r.ackP50)} ms`,
      `${fmt(r.ackP99)} ms`,
      `${fmt(r.lagP99)} ms`,
      `${fmt(r.hubLoopStallMaxMs, 0)} ms`,
      `${fmt(r.hubGcMsPerS, 0)} ms`,
      `${fmt(r.hubCpuPercent)} %`,
      `${fmt(r.hubCpuUsPerIngest, 0)} us`,
      `${fmt(r.hubRssMiB, 0)} MiB`,
      `${fmt(r.genCpuPercent, 0)} %`,
      `${fmt(r.otherCpuPercent, 0)} %`,
    ]),
  );
}

const latencyRow = (name, values) => {
  const p = percentiles(values);
  return [name, String(values.length), `${fmt(p.p50)} ms`, `${fmt(p.p95)} ms`, `${fmt(p.p99)} ms`, `${fmt(p.max)} ms`];
};

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const agentsPerUser = Math.floor(MAX_RULES_PER_USER / settings.rulesPerAgent);
  const ruleUsers = Math.ceil(settings.agents / agentsPerUser);
  if (ruleUsers + 1 > MAX_REGISTRATIONS) throw new Error(`${ruleUsers + 1} users would be needed, but the hub allows ${MAX_REGISTRATIONS} registrations per address and hour`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "statusmonitor-bench-alerts-"));
  const profileDir = settings.profile ? mkdtempSync(path.join(os.tmpdir(), "statusmonitor-profile-")) : undefined;
  const recorder = await startRecorder();
  let hub;
  let stopped = false;
  const stopEverything = async () => {
    if (stopped) return;
    stopped = true;
    if (hub) await stopHub(hub);
    keepAlive.destroy();
    await recorder.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void stopEverything().then(() => process.exit(130)));

  const info = machineInfo();
  const slices = Math.max(0, 2 * Math.round(settings.durationS / settings.sliceS / 2));
  const offlineActive = isActive("offline") && settings.offlineAgents > 0;
  const silenceMs = OFFLINE_AFTER_MS + 6_000;
  const offlineFits = offlineActive && settings.crossingS * 1000 >= 2_000 + silenceMs + 4_000;
  let results;
  try {
    console.log(`StatusMonitor alerts benchmark — ${new Date().toISOString()}`);
    console.log(`machine: ${info.cpus} CPUs (${info.model}), ${info.ramGiB} GiB RAM, Node ${info.node}, ${info.os}`);
    console.log(
      `settings: ${settings.agents} agents x ${settings.rulesPerAgent} rules (${ruleUsers} users of ${agentsPerUser} agents, one Telegram chat each), ` +
        `evaluation ${slices} x ${settings.sliceS} s slices, crossing phase ${settings.crossingS} s with ${settings.crossingsPerS} crossings/s held ${settings.holdS} s, ` +
        `${offlineFits ? settings.offlineAgents : 0} agents silent for ${silenceMs / 1000} s`,
    );

    hub = await startHub({
      hub: settings.hub,
      dataDir,
      profileDir,
      env: { INGEST_RATE_LIMIT_PER_S: "10000", TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_URL: recorder.url },
      buildHint: "npm run build (npm run bench:alerts does)",
    });
    console.log(`hub: pid ${hub.child.pid} at ${hub.url}, data dir ${dataDir}; recording Telegram API at ${recorder.url}`);

    // Users, channels, agents, rules.
    let started = performance.now();
    const withRules = [];
    for (let u = 0; u < ruleUsers; u++) {
      const user = await signUp(hub, `alerts${String(u + 1).padStart(2, "0")}`);
      user.chatId = String(100_001 + u);
      await expectStatus(request(hub, "PUT", "/api/v1/alerts/channels", { telegram: { chat_id: user.chatId, enabled: true } }, await user.auth()), 200, "save channels");
      const count = Math.min(agentsPerUser, settings.agents - u * agentsPerUser);
      const names = Array.from({ length: count }, (_, i) => `a${String(u * agentsPerUser + i + 1).padStart(4, "0")}`);
      const agents = await createAgents(hub, user, names, settings.seed * 1_000_003 + u * agentsPerUser);
      for (const agent of agents) Object.assign(agent, { user, chatId: user.chatId, hasRules: true });
      withRules.push(...agents);
    }
    const baselineUser = await signUp(hub, "baseline");
    const without = await createAgents(
      hub,
      baselineUser,
      Array.from({ length: settings.agents }, (_, i) => `b${String(i + 1).padStart(4, "0")}`),
      settings.seed * 1_000_003 + 500_000,
    );
    console.log(`created ${ruleUsers + 1} users and ${withRules.length + without.length} agents in ${fmt((performance.now() - started) / 1000, 1)} s`);

    started = performance.now();
    const ruleJobs = withRules.flatMap((agent) => ACTIVE_RULES.map((rule) => ({ agent, rule })));
    await pool(ruleJobs, 8, async ({ agent, rule }) =>
      expectStatus(
        request(
          hub,
          "POST",
          "/api/v1/alerts/rules",
          { name: ruleName(agent, rule.key), agent_id: agent.id, metric: rule.metric, operator: rule.operator, threshold: rule.threshold, mountpoint: rule.mountpoint ?? null, duration_s: 0, cooldown_s: 0 },
          await agent.user.auth(),
        ),
        201,
        "create rule",
      ),
    );
    const ruleSetupS = (performance.now() - started) / 1000;
    console.log(`created ${ruleJobs.length} rules in ${fmt(ruleSetupS, 1)} s (${fmt((1000 * ruleSetupS) / ruleJobs.length, 2)} ms each)\n`);

    // Warm-up: JIT, token activation, the first sample of each agent (no rates yet).
    if (settings.warmupS > 0) {
      await runPhase(hub, withRules, { name: "warm-up with rules", durationS: settings.warmupS, measured: false });
      await runPhase(hub, without, { name: "warm-up without rules", durationS: settings.warmupS, measured: false });
    }

    // Evaluation: the same ingest load from agents with and without rules, in ABBA order (cancels drift).
    const phases = [];
    const evaluation = [];
    for (let i = 0; i < slices; i++) {
      const rules = i % 4 === 0 || i % 4 === 3;
      const result = await runPhase(hub, rules ? withRules : without, { name: `${rules ? "rules" : "no rules"} #${Math.floor(i / 2) + 1}`, durationS: settings.sliceS });
      result.rules = rules;
      evaluation.push(result);
      phases.push(result);
      console.log(`${result.name}: hub CPU ${fmt(result.hubCpuPercent)} %, ack p99 ${fmt(result.ackP99)} ms, other CPU ${fmt(result.otherCpuPercent, 0)} %`);
    }

    // Crossings: a schedule of agents whose values cross a threshold for `hold` samples, and some that go silent.
    const r = new Random(settings.seed * 7919 + 11);
    const order = shuffle([...withRules], r);
    const silent = offlineFits ? order.splice(0, settings.offlineAgents) : [];
    const firstSecond = 2;
    const lastSecond = Math.floor(settings.crossingS - settings.holdS - 4);
    const crossers = [];
    for (let second = firstSecond; second <= lastSecond; second++) {
      for (let j = 0; j < settings.crossingsPerS && order.length > 0 && SCENARIOS.length > 0; j++) {
        const agent = order.shift();
        const scenario = SCENARIOS[crossers.length % SCENARIOS.length];
        agent.crossing = { scenario, offsetMs: second * 1000 + (j * 1000) / settings.crossingsPerS, left: settings.holdS, holdS: settings.holdS };
        crossers.push(agent);
      }
    }
    if (order.length === 0) console.log("  (fewer agents than crossings planned: each agent crosses once, so the schedule was cut short)");
    /** Times are set when the phase starts (after any --wait-quiet). */
    const schedule = (phaseStart) => {
      for (const agent of crossers) agent.crossing.startAt = phaseStart + agent.crossing.offsetMs;
      for (const agent of silent) agent.silence = { from: phaseStart + 2_000, until: phaseStart + 2_000 + silenceMs };
    };
    const metricsBefore = await scrapeHub(hub);
    const crossingPhase = await runPhase(hub, withRules, { name: "crossings", durationS: settings.crossingS, onStart: schedule });
    phases.push(crossingPhase);
    console.log(`${crossingPhase.name}: ${crossers.length} agents crossed, ${silent.length} went silent; hub CPU ${fmt(crossingPhase.hubCpuPercent)} %`);

    // Wait (bounded) for the last messages, then take stock.
    const expectedMessages = 2 * crossers.reduce((n, a) => n + (a.crossing.firstBreachAt === undefined ? 0 : a.crossing.scenario.fires.length), 0) + 2 * silent.length;
    const known = () => recorder.messages.filter((m) => m.kind === "fired" || m.kind === "resolved").length;
    await poll(() => known() >= expectedMessages, 15_000, "the last messages", 50).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 500)); // late duplicates
    const messages = [...recorder.messages];
    const metricsAfter = await scrapeHub(hub);
    const analysis = analyseCrossings(crossers, silent, messages);

    const events = [];
    for (const user of new Set(withRules.map((a) => a.user))) events.push(...(await allEvents(hub, user)));
    const eventStates = { firing: 0, resolved: 0 };
    const deliveries = {};
    for (const event of events) {
      eventStates[event.state]++;
      deliveries[event.delivery] = (deliveries[event.delivery] ?? 0) + 1;
    }

    // Report.
    console.log("\nPhases (latencies from request start; hub CPU from /proc, 100 % = one core)\n");
    printPhases(phases);

    const withRulesCpu = evaluation.filter((p) => p.rules).map((p) => p.hubCpuPercent);
    const withoutCpu = evaluation.filter((p) => !p.rules).map((p) => p.hubCpuPercent);
    const gcOf = (rules) => mean(evaluation.filter((p) => p.rules === rules).map((p) => p.hubGcMsPerS));
    const pairs = [];
    for (let i = 0; i + 1 < evaluation.length; i += 2) {
      const [a, b] = evaluation.slice(i, i + 2);
      pairs.push((a.rules ? a : b).hubCpuPercent - (a.rules ? b : a).hubCpuPercent);
    }
    const totalRules = withRules.length * settings.rulesPerAgent;
    const evalPercent = slices > 0 ? mean(withRulesCpu) - mean(withoutCpu) : NaN;
    const evaluationsPerS = totalRules; // one sample per agent per second, each checked against its agent's rules
    const evaluationSummary = {
      rules: totalRules,
      evaluationsPerS,
      hubCpuWithRules: slices > 0 ? mean(withRulesCpu) : NaN,
      hubCpuWithoutRules: slices > 0 ? mean(withoutCpu) : NaN,
      evaluationPercentOfCore: evalPercent,
      pairDifferences: pairs,
      hubGcMsPerSWithRules: slices > 0 ? gcOf(true) : NaN,
      hubGcMsPerSWithoutRules: slices > 0 ? gcOf(false) : NaN,
      standardError: pairs.length > 1 ? Math.sqrt(pairs.reduce((a, d) => a + (d - mean(pairs)) ** 2, 0) / (pairs.length - 1) / pairs.length) : NaN,
      percentPer1000Rules: (evalPercent * 1000) / totalRules,
      usPerEvaluation: (evalPercent / 100) * 1e6 / evaluationsPerS,
    };
    console.log(`\nEvaluation cost (${slices} slices of ${settings.sliceS} s in ABBA order, same ingest load with and without rules)\n`);
    printTable(
      ["rules", "evaluations/s", "hub CPU with rules", "without", "difference", "pair differences", "per 1,000 rules", "per evaluation", "hub GC/s with / without"],
      [[
        String(totalRules),
        String(evaluationsPerS),
        `${fmt(evaluationSummary.hubCpuWithRules)} %`,
        `${fmt(evaluationSummary.hubCpuWithoutRules)} %`,
        `${fmt(evalPercent)} ± ${fmt(evaluationSummary.standardError)} % of a core`,
        pairs.map((d) => fmt(d)).join(", "),
        `${fmt(evaluationSummary.percentPer1000Rules, 2)} %`,
        `${fmt(evaluationSummary.usPerEvaluation, 2)} us`,
        `${fmt(evaluationSummary.hubGcMsPerSWithRules)} / ${fmt(evaluationSummary.hubGcMsPerSWithoutRules)} ms`,
      ]],
    );

    console.log("\nSample → Telegram request latency (from the start of the request carrying the first breaching / first clearing sample to the sendMessage request arriving)\n");
    const latencyRows = [
      latencyRow("fired (🚨)", analysis.firedLatency),
      latencyRow("  of which request → its answer", analysis.firedAck),
      latencyRow("  of which answer → Telegram", analysis.firedAfterAck),
      latencyRow("resolved (✅)", analysis.resolvedLatency),
    ];
    for (const [key, s] of analysis.perScenario) if (key !== "offline") latencyRows.push(latencyRow(`  fired: ${key}`, s.fired));
    if (silent.length > 0) {
      latencyRows.push(latencyRow("offline fired, after last ack + 30 s", analysis.offlineFired));
      latencyRows.push(latencyRow("offline resolved (first sample back)", analysis.offlineResolved));
    }
    printTable(["", "incidents", "p50", "p95", "p99", "max"], latencyRows);

    const c = analysis.counts;
    console.log("\nMessages per incident\n");
    printTable(
      ["incidents", "exactly 1 🚨 + 1 ✅", "missing 🚨", "missing ✅", "duplicate 🚨", "duplicate ✅", "unexpected msgs", "wrong chat", "sample send errors", "messages"],
      [[c.incidents, c.exactlyOne, c.missingFired, c.missingResolved, c.duplicateFired, c.duplicateResolved, analysis.unexpected.length, c.misrouted, c.sendErrors, analysis.messages].map(String)],
    );
    console.log(
      `event log: ${eventStates.firing} firing + ${eventStates.resolved} resolved events, delivery ${JSON.stringify(deliveries)}; ` +
        `hub counters in the crossing phase: transitions ${metricsAfter.transitions.fired - metricsBefore.transitions.fired} fired / ${metricsAfter.transitions.resolved - metricsBefore.transitions.resolved} resolved, ` +
        `attempts ${metricsAfter.attempts.sent - metricsBefore.attempts.sent} sent / ${metricsAfter.attempts.retry - metricsBefore.attempts.retry} retried / ${metricsAfter.attempts.failed - metricsBefore.attempts.failed} failed, backlog ${metricsAfter.backlog}`,
    );
    if (analysis.unexpected.length > 0) console.log(`unexpected messages (first 5): ${JSON.stringify(analysis.unexpected.slice(0, 5))}`);

    const firedP95 = percentiles(analysis.firedLatency).p95;
    const onePerIncident = c.incidents > 0 && c.exactlyOne === c.incidents && analysis.unexpected.length === 0;
    const verdict = (ok) => (ok ? "met" : "MISSED");
    console.log("\nTargets\n");
    printTable(
      ["target", "figure", "result"],
      [
        ["p95 sample → Telegram ≤ 1 s (duration_s = 0)", `${fmt(firedP95)} ms (resolved ${fmt(percentiles(analysis.resolvedLatency).p95)} ms)`, verdict(firedP95 <= 1000)],
        ["exactly one message per incident", `${c.exactlyOne} of ${c.incidents}, ${analysis.unexpected.length} unexpected`, verdict(onePerIncident)],
        [`evaluation ≤ 10 % of one core (${totalRules} rules at 1 Hz)`, `${fmt(evalPercent)} %`, verdict(evalPercent <= 10)],
      ],
    );

    results = {
      date: new Date().toISOString(),
      machine: info,
      settings,
      setup: { users: ruleUsers + 1, agents: withRules.length + without.length, rules: ruleJobs.length, ruleCreateS: ruleSetupS },
      phases,
      evaluation: evaluationSummary,
      latency: {
        fired: percentiles(analysis.firedLatency),
        firedRequestToAnswer: percentiles(analysis.firedAck),
        firedAnswerToTelegram: percentiles(analysis.firedAfterAck),
        resolved: percentiles(analysis.resolvedLatency),
        offlineFired: percentiles(analysis.offlineFired),
        offlineResolved: percentiles(analysis.offlineResolved),
        byScenario: Object.fromEntries([...analysis.perScenario].map(([key, s]) => [key, { incidents: s.incidents, fired: percentiles(s.fired), resolved: percentiles(s.resolved) }])),
      },
      messages: { ...c, unexpected: analysis.unexpected.length, total: analysis.messages },
      events: { ...eventStates, delivery: deliveries },
      hubCounters: { before: metricsBefore, after: metricsAfter },
    };
  } finally {
    await stopEverything();
  }
  if (profileDir) {
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"))) {
      const profile = JSON.parse(readFileSync(path.join(profileDir, file), "utf8"));
      const inEngine = (name) => (frame) => frame.functionName === name && frame.url.endsWith("/alerts/engine.js");
      const onSamples = inclusiveTime(profile, inEngine("onSamples"));
      const sweep = inclusiveTime(profile, inEngine("sweepOffline"));
      const perSample = (1000 * onSamples.ms) / ackedSamples.withRules;
      console.log(
        `\nprofile ${file}: AlertEngine.onSamples ${fmt(onSamples.ms, 0)} ms inclusive of ${fmt(onSamples.totalMs, 0)} ms profiled, over ` +
          `${ackedSamples.withRules} samples of agents with rules and ${ackedSamples.without} without: ~${fmt(perSample, 1)} us per sample with ${settings.rulesPerAgent} rules ` +
          `(${fmt(perSample / settings.rulesPerAgent, 2)} us per evaluation, ${fmt((perSample * settings.agents) / 1e4, 1)} % of a core at ${settings.agents} agents x 1 Hz); ` +
          `sweepOffline ${fmt(sweep.ms, 0)} ms in total`,
      );
      printTop(path.join(profileDir, file), 40);
    }
    console.log(`\n(profile kept in ${profileDir})`);
  }
  if (flags.json && results) writeFileSync(flags.json, JSON.stringify(results, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
