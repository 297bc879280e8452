/**
 * Ingest load benchmark: the built hub as a child process (embedded preset) or as a cluster of role
 * processes on Kafka, PostgreSQL and Redis (distributed preset, compared with the embedded one under
 * the same workload), simulated original-format agents at a fixed rate, one live WebSocket per agent.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { BENCH_REDIS_DB, BenchCluster } from "./lib/cluster.js";
import { openLoop, poll, pool } from "./lib/concurrency.js";
import { measureHistoryLag } from "./lib/history-lag.js";
import { bucketQuantile, scrapeHubMetrics } from "./lib/hub-metrics.js";
import { printHubWarnings, startHub as startHubProcess, stopHub } from "./lib/hub-process.js";
import { expectStatus, jsonRequest, postIngest } from "./lib/json-request.js";
import { machineCpuSeconds, machineInfo as machine, waitQuiet } from "./lib/machine.js";
import { percentiles } from "./lib/percentiles.js";
import { historyLagCell, historyStoredCell, printComparison } from "./lib/preset-comparison.js";
import { fmt, printTable as printAligned } from "./lib/text-table.js";
import { UsageMeter } from "./lib/usage-meter.js";
import { printTop } from "./profile-top.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_HUB = path.join(ROOT, "packages/server/dist/main.js");
const FIXTURE = path.join(ROOT, "packages/server/src/test-support/fixtures/original-headless.json");
const BUILD_HINT = "npm run build (npm run bench:ingest does)";
/** History lag is measured on this many agents, spread evenly over the list. */
const HISTORY_LAG_AGENTS = 20;
const HISTORY_LAG_TIMEOUT_MS = 60_000;
/** The settings by which a hub process would find the scaled-out services: never inherited by the embedded hub. */
const DISTRIBUTED_ENV = { DATABASE_URL: undefined, REDIS_URL: undefined, KAFKA_BOOTSTRAP_SERVERS: undefined, PRESET: undefined, ROLES: undefined };

const HELP = `Usage: npm run bench:ingest -- [options]   (or: node bench/ingest.js [options] after npm run build)

  --preset P           embedded (default): the hub as one process on SQLite. distributed: the same
                       workload on the embedded hub, then on a cluster (api, two ingest instances, live,
                       history, alerts) on Kafka, PostgreSQL and Redis, and both side by side. The
                       cluster uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test, a
                       schema of its own), REDIS_URL (default redis://127.0.0.1:6379, database ${BENCH_REDIS_DB},
                       flushed) and a Kafka broker of its own, or KAFKA_BOOTSTRAP_SERVERS when set
  --agents N           simulated agents, each with its own token and live WebSocket (default 1000)
  --duration S         length of the steady phase at 1 sample/s per agent (default 30)
  --warmup S           unreported warm-up at the steady rate: JIT, token activation (default 5)
  --no-ramp            skip the ramp phase
  --ramp-start R       first offered rate of the ramp, ingests/s (default: agents x 2 Hz)
  --ramp-step R        increase per ramp step (default: agents x 1 Hz)
  --ramp-max R         stop the ramp here (default 20000)
  --step-duration S    length of each ramp step (default 10)
  --rates R1,R2,...    instead of the ramp, run these offered rates one after the other, pass or fail (A/B comparisons)
  --refine N           bisection steps between the last passing and the first failing rate (default 2)
  --ack-p99-ms MS      a ramp step passes while ack p99 stays at or below this (default 50)
  --connections N      keep-alive HTTP connections the simulated agents share (default 256)
  --hub FILE           the hub's main.js to run, for A/B comparisons (default packages/server/dist/main.js)
  --wait-quiet S       before each phase, wait up to S s for other processes to leave the CPUs idle (default 0)
  --profile            run the hub (every hub process) with --cpu-prof and print the top self-time functions at the end
  --json FILE          also write the results as JSON`;

const { values: flags } = parseArgs({
  options: {
    preset: { type: "string", default: "embedded" },
    agents: { type: "string", default: "1000" },
    duration: { type: "string", default: "30" },
    warmup: { type: "string", default: "5" },
    "no-ramp": { type: "boolean", default: false },
    "ramp-start": { type: "string" },
    "ramp-step": { type: "string" },
    "ramp-max": { type: "string", default: "20000" },
    "step-duration": { type: "string", default: "10" },
    refine: { type: "string", default: "2" },
    rates: { type: "string" },
    "ack-p99-ms": { type: "string", default: "50" },
    connections: { type: "string", default: "256" },
    hub: { type: "string", default: DEFAULT_HUB },
    "wait-quiet": { type: "string", default: "0" },
    profile: { type: "boolean", default: false },
    json: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}
if (!["embedded", "distributed"].includes(flags.preset)) {
  console.error(`--preset must be embedded or distributed (got ${flags.preset})\n\n${HELP}`);
  process.exit(2);
}
const settings = {
  preset: flags.preset,
  agents: positive(flags.agents, "--agents"),
  durationS: positive(flags.duration, "--duration"),
  warmupS: Number(flags.warmup),
  ramp: !flags["no-ramp"],
  rampStart: positive(flags["ramp-start"] ?? String(2 * Number(flags.agents)), "--ramp-start"),
  rampStep: positive(flags["ramp-step"] ?? flags.agents, "--ramp-step"),
  rampMax: positive(flags["ramp-max"], "--ramp-max"),
  stepDurationS: positive(flags["step-duration"], "--step-duration"),
  refine: Number(flags.refine),
  rates: flags.rates?.split(",").map((r) => positive(r, "--rates")),
  ackP99LimitMs: positive(flags["ack-p99-ms"], "--ack-p99-ms"),
  connections: positive(flags.connections, "--connections"),
  profile: flags.profile,
  hub: path.resolve(flags.hub),
  waitQuietS: Number(flags["wait-quiet"]),
};

function positive(text, name) {
  const value = Number(text);
  if (!(value > 0)) {
    console.error(`${name} must be a positive number (got ${text})\n\n${HELP}`);
    process.exit(2);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// The hub under test
//
// Both presets are driven through the same shape: `{ preset, api, live, ingest: [endpoints],
// metricsEndpoints, processGroups: [{ name, hub?, pids() }], notes, describe(), logs(), crashes, stop() }`,
// where an endpoint is a started hub process ({ host, port, url, child }).

/** Starts `statusmonitor serve` (every role, SQLite) on a port chosen by the OS; resolves once /health answers. */
async function startEmbedded(dataDir, profileDir) {
  const hub = await startHubProcess({ hub: settings.hub, dataDir, profileDir, env: { ...DISTRIBUTED_ENV, INGEST_RATE_LIMIT_PER_S: "10000" }, buildHint: BUILD_HINT });
  return {
    preset: "embedded",
    api: hub,
    live: hub,
    ingest: [hub],
    metricsEndpoints: [hub],
    processGroups: [{ name: "hub", hub: true, pids: () => [hub.child.pid] }],
    notes: [],
    describe: () => `hub: pid ${hub.child.pid} at ${hub.url}, data dir ${dataDir}${profileDir ? `, CPU profile in ${profileDir}` : ""}`,
    logs: () => [{ name: "hub", output: hub.output() }],
    crashes: [],
    stop: () => stopHub(hub),
  };
}

/** Starts the cluster; `onCreated` gets it before it starts, so an interrupt can stop what has started. */
async function startDistributed(profileDir, onCreated) {
  const cluster = new BenchCluster({ mainJs: settings.hub, env: { INGEST_RATE_LIMIT_PER_S: "10000" }, profileDir, services: process.env, buildHint: BUILD_HINT });
  onCreated(cluster);
  await cluster.start();
  return cluster.target();
}

// ---------------------------------------------------------------------------------------------
// HTTP and WebSocket clients

/** Keep-alive connections for one hub under test: the same number in total, split over its ingest instances. */
function httpClientFor(target) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.ceil(settings.connections / target.ingest.length) });
  return {
    agent,
    /** A JSON request to `endpoint` over the shared keep-alive agent. */
    request: (endpoint, method, url, body, headers = {}) => jsonRequest(agent, endpoint, method, url, body, headers),
    destroy: () => agent.destroy(),
  };
}

// ---------------------------------------------------------------------------------------------
// Simulated agents

/** One simulated agent: its token, its live socket, the samples sent but not yet seen live, and what it had acknowledged. */
class SimAgent {
  constructor(id, token) {
    this.id = id;
    this.token = token;
    this.lastTimestamp = 0;
    this.unanswered = 0;
    this.acknowledged = 0;
    this.lastAcknowledged = 0;
    /** sample timestamp (ms) → { startedAt, stats } */
    this.inFlight = new Map();
    this.socket = undefined;
  }

  /** Opens the live socket (ticket from the api, socket on the live endpoint); resolves once the hub says ready. */
  async subscribe(client, target, accessToken) {
    const { ticket } = await expectStatus(
      client.request(target.api, "POST", "/api/v1/live/tickets", { agent_id: this.id }, { authorization: `Bearer ${accessToken}` }),
      200,
      "live ticket",
    );
    const ws = new WebSocket(`ws://${target.live.host}:${target.live.port}/api/v1/live?ticket=${encodeURIComponent(ticket)}`, { perMessageDeflate: false });
    this.socket = ws;
    await new Promise((resolve, reject) => {
      ws.once("error", reject);
      ws.on("message", (data) => {
        const message = JSON.parse(data.toString());
        if (message.type === "ready") return resolve();
        if (message.type === "sample") this.delivered(message.sample.timestamp);
      });
    });
    ws.on("error", (err) => console.error(`live socket of agent ${this.id}: ${err.message}`));
  }

  delivered(timestamp) {
    const entry = this.inFlight.get(timestamp);
    if (!entry) return;
    this.inFlight.delete(timestamp);
    entry.stats.delivery.push(performance.now() - entry.startedAt);
  }

  /** A strictly increasing millisecond timestamp, so no two samples of this agent collide. */
  nextTimestamp() {
    this.lastTimestamp = Math.max(Date.now(), this.lastTimestamp + 1);
    return this.lastTimestamp;
  }
}

/** The realistic headless payload with `"timestamp"` spliced in, built without re-serializing the rest. */
function payloadFactory() {
  const fixture = JSON.parse(readFileSync(FIXTURE, "utf8"));
  delete fixture.timestamp;
  const rest = JSON.stringify(fixture).slice(1);
  return (timestampMs) => `{"timestamp":${timestampMs / 1000},${rest}`;
}

function newStats(name, rate, durationS) {
  return { name, rate, durationS, sent: 0, ok: 0, errors: new Map(), ack: [], delivery: [], lag: [], inFlight: 0 };
}

/** Sends one original-format payload for `agent` to `endpoint`; records ack latency and arms the delivery probe. */
function sendSample(run, endpoint, agent, stats, scheduledAt) {
  const timestamp = agent.nextTimestamp();
  const body = run.payloadOf(timestamp);
  const startedAt = performance.now();
  stats.lag.push(startedAt - scheduledAt);
  stats.sent++;
  stats.inFlight++;
  agent.unanswered++;
  agent.inFlight.set(timestamp, { startedAt, stats });
  let finished = false;
  const done = (status) => {
    if (finished) return;
    finished = true;
    stats.inFlight--;
    agent.unanswered--;
    if (status === 200) {
      stats.ok++;
      stats.ack.push(performance.now() - startedAt);
      agent.acknowledged++;
      agent.lastAcknowledged = Math.max(agent.lastAcknowledged, timestamp);
    } else {
      stats.errors.set(status, (stats.errors.get(status) ?? 0) + 1);
      agent.inFlight.delete(timestamp);
    }
  };
  postIngest(run.client.agent, endpoint, "/ingest", agent.token, body, done);
}

/**
 * Offers `rate` ingests/s for `durationS` seconds, open loop: send k goes out at k/rate whatever
 * the answers do, round-robin over the agents, so each agent posts every agents/rate seconds, and
 * round-robin over the ingest endpoints, as a load balancer would. `afterSending(sentAt)`, when
 * given, starts as soon as the last request is out and its result is the phase's `historyLag`.
 */
async function runPhase(run, { name, rate, durationS, afterSending }) {
  const { target, agents } = run;
  if (settings.waitQuietS > 0) await waitQuiet(settings.waitQuietS);
  const stats = newStats(name, rate, durationS);
  const scrapeBefore = await scrapeHubMetrics(run.target.metricsEndpoints, (endpoint) => run.client.request(endpoint, "GET", "/metrics"));
  const total = Math.round(rate * durationS);
  const intervalMs = 1000 / rate;
  const meter = new UsageMeter(target.processGroups);
  await meter.start();
  const selfBefore = process.cpuUsage();
  const machineBefore = machineCpuSeconds();
  const start = performance.now();
  await openLoop(total, intervalMs, start, (k, scheduledAt) => sendSample(run, target.ingest[k % target.ingest.length], agents[k % agents.length], stats, scheduledAt));
  const sentAt = performance.now();
  const sendingMs = sentAt - start;
  const afterSendingDone = afterSending?.(sentAt);
  await poll(() => stats.inFlight === 0, 30_000, `the answers of phase ${name}`, 5);
  const elapsedS = (performance.now() - start) / 1000;
  const usage = await meter.stop();
  const self = process.cpuUsage(selfBefore);
  const machineAfter = machineCpuSeconds();
  // Deliveries trail the acks by at most a few ms; give stragglers a bounded grace period.
  const pendingDeliveries = () => agents.reduce((n, a) => n + [...a.inFlight.values()].filter((e) => e.stats === stats).length, 0);
  await poll(() => pendingDeliveries() === 0, 2_000, "deliveries", 10).catch(() => undefined);
  const undelivered = pendingDeliveries();
  const scrapeAfter = await scrapeHubMetrics(run.target.metricsEndpoints, (endpoint) => run.client.request(endpoint, "GET", "/metrics"));
  for (const agent of agents) for (const [ts, entry] of agent.inFlight) if (entry.stats === stats) agent.inFlight.delete(ts);
  const historyLag = await afterSendingDone;

  const processes = usage.map((u, i) => ({ ...u, hub: Boolean(target.processGroups[i].hub), cpuPercent: (100 * u.cpuSeconds) / elapsedS }));
  const hubProcesses = processes.filter((p) => p.hub);
  const hubCpuSeconds = hubProcesses.reduce((sum, p) => sum + p.cpuSeconds, 0);
  const measuredCpuPercent = processes.reduce((sum, p) => sum + p.cpuPercent, 0);
  const generatorCpuPercent = (100 * (self.user + self.system)) / 1e6 / elapsedS;
  const ack = percentiles(stats.ack);
  const delivery = percentiles(stats.delivery);
  return {
    name,
    offered: rate,
    durationS,
    sent: stats.sent,
    ok: stats.ok,
    errors: Object.fromEntries(stats.errors),
    achieved: stats.ok / (sendingMs / 1000),
    ackP50: ack.p50,
    ackP99: ack.p99,
    ackMax: ack.max,
    deliveryP50: delivery.p50,
    deliveryP99: delivery.p99,
    delivered: stats.delivery.length,
    undelivered,
    lagP99: percentiles(stats.lag).p99,
    hubAckP99BucketMs: 1000 * bucketQuantile(scrapeBefore.ack, scrapeAfter.ack, 0.99),
    hubLoopStallMaxMs: 1000 * scrapeAfter.loopDelayMaxS,
    hubGcMsPerS: (1000 * (scrapeAfter.gcSeconds - scrapeBefore.gcSeconds)) / elapsedS,
    serverCpuPercent: (100 * hubCpuSeconds) / elapsedS,
    serverCpuUsPerIngest: (1e6 * hubCpuSeconds) / stats.ok,
    serverRssMiB: hubProcesses.reduce((sum, p) => sum + p.peakMiB, 0),
    generatorCpuPercent,
    // Everything else on the machine (other processes, kernel threads), to spot a noisy neighbour.
    otherCpuPercent: (100 * (machineAfter.busy - machineBefore.busy)) / elapsedS - measuredCpuPercent - generatorCpuPercent,
    processes,
    ...(historyLag ? { historyLag } : {}),
  };
}

/**
 * History lag of the phase about to start, on a fixed set of agents spread over the list; call it
 * between phases (every request answered). Returns the phase's `afterSending`.
 */
function historyLagProbe(run, accessToken) {
  const count = Math.min(HISTORY_LAG_AGENTS, run.agents.length);
  const probed = Array.from({ length: count }, (_, i) => run.agents[Math.floor((i * run.agents.length) / count)]);
  const from = Date.now();
  const acknowledgedBefore = probed.map((agent) => agent.acknowledged);
  return (sentAt) =>
    measureHistoryLag({
      probes: probed.map((agent, i) => ({
        agentId: agent.id,
        settled: async () => {
          await poll(() => agent.unanswered === 0, 30_000, `the answers to agent ${agent.id}`, 5);
          const acknowledged = agent.acknowledged - acknowledgedBefore[i];
          return acknowledged > 0 ? { from, timestamp: agent.lastAcknowledged, acknowledged } : undefined;
        },
      })),
      since: sentAt,
      request: (method, url) => run.client.request(run.target.api, method, url, undefined, { authorization: `Bearer ${accessToken}` }),
      timeoutMs: HISTORY_LAG_TIMEOUT_MS,
    });
}

function passes(result) {
  return (
    result.ackP99 <= settings.ackP99LimitMs &&
    Object.keys(result.errors).length === 0 &&
    result.achieved >= 0.97 * result.offered
  );
}

// ---------------------------------------------------------------------------------------------
// Report

function printTable(rows) {
  const header = ["phase", "offered/s", "acked/s", "errors", "ack p50", "ack p99", "ack max", "deliv p50", "deliv p99", "undeliv", "gen lag p99", "hub ack p99", "hub loop max", "hub GC/s", "hub CPU", "hub us/ingest", "hub RSS", "gen CPU", "other CPU", "pass"];
  const lines = rows.map((r) => [
    r.name,
    fmt(r.offered, 0),
    fmt(r.achieved, 0),
    String(Object.values(r.errors).reduce((a, b) => a + b, 0)),
    `${fmt(r.ackP50)} ms`,
    `${fmt(r.ackP99)} ms`,
    `${fmt(r.ackMax)} ms`,
    `${fmt(r.deliveryP50)} ms`,
    `${fmt(r.deliveryP99)} ms`,
    String(r.undelivered),
    `${fmt(r.lagP99)} ms`,
    `<= ${fmt(r.hubAckP99BucketMs, 0)} ms`,
    `${fmt(r.hubLoopStallMaxMs, 0)} ms`,
    `${fmt(r.hubGcMsPerS, 0)} ms`,
    `${fmt(r.serverCpuPercent, 0)} %`,
    `${fmt(r.serverCpuUsPerIngest, 0)} us`,
    `${fmt(r.serverRssMiB, 0)} MiB`,
    `${fmt(r.generatorCpuPercent, 0)} %`,
    `${fmt(r.otherCpuPercent, 0)} %`,
    passes(r) ? "yes" : "no",
  ]);
  printAligned(header, lines);
}

// ---------------------------------------------------------------------------------------------
// Main

const comparing = settings.preset === "distributed";
/** Stops whatever the current preset run has started; replaced by each run. */
let stopCurrentRun = async () => undefined;

/** One preset from start to stop: its hub, the agents and their sockets, the phases, its report. */
async function runPreset(preset, profileDir) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "statusmonitor-bench-"));
  let target;
  let cluster;
  let client;
  let agents = [];
  let stopped;
  stopCurrentRun = () =>
    (stopped ??= (async () => {
      for (const agent of agents) agent.socket?.terminate();
      if (target) await target.stop();
      else await cluster?.stop();
      client?.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    })());

  try {
    target = preset === "embedded" ? await startEmbedded(dataDir, profileDir) : await startDistributed(profileDir, (c) => (cluster = c));
    console.log(target.describe());
    for (const note of target.notes) console.log(`note: ${note}`);
    client = httpClientFor(target);

    const credentials = { username: "bench", password: "correct horse battery staple" };
    await expectStatus(client.request(target.api, "POST", "/api/v1/auth/register", credentials), 201, "register");
    const { access_token: accessToken } = await expectStatus(client.request(target.api, "POST", "/api/v1/auth/login", credentials), 200, "login");
    const auth = { authorization: `Bearer ${accessToken}` };

    let setupStarted = performance.now();
    agents = await pool(Array.from({ length: settings.agents }, (_, i) => i), 16, async (i) => {
      const created = await expectStatus(client.request(target.api, "POST", "/api/v1/agents", { name: `bench-${i + 1}` }, auth), 201, "create agent");
      return new SimAgent(created.id, created.token);
    });
    console.log(`created ${agents.length} agents in ${fmt((performance.now() - setupStarted) / 1000, 2)} s`);
    setupStarted = performance.now();
    await pool(agents, 32, (agent) => agent.subscribe(client, target, accessToken));
    console.log(`opened ${agents.length} live WebSockets in ${fmt((performance.now() - setupStarted) / 1000, 2)} s\n`);

    const run = { target, client, agents, payloadOf: payloadFactory() };
    const steadyRate = settings.agents;
    if (settings.warmupS > 0) await runPhase(run, { name: "warm-up", rate: steadyRate, durationS: settings.warmupS });

    const results = [];
    const report = (result) => {
      results.push(result);
      console.log(
        `${result.name}: offered ${fmt(result.offered, 0)}/s, acked ${fmt(result.achieved, 0)}/s, ack p99 ${fmt(result.ackP99)} ms, ` +
          `delivery p99 ${fmt(result.deliveryP99)} ms, hub CPU ${fmt(result.serverCpuPercent, 0)} %, errors ${JSON.stringify(result.errors)}` +
          (result.historyLag ? `, history lag ${historyLagCell(result.historyLag)}, in history ${historyStoredCell(result.historyLag)} acknowledged samples of the probed agents` : ""),
      );
      return result;
    };
    // History lag only when comparing presets: the embedded run alone stays as it always was.
    const afterSending = comparing ? historyLagProbe(run, accessToken) : undefined;
    const steady = report(await runPhase(run, { name: `steady ${steadyRate}x1Hz`, rate: steadyRate, durationS: settings.durationS, afterSending }));

    let best = passes(steady) ? steady : undefined;
    if (settings.rates) {
      for (const rate of settings.rates) {
        const result = report(await runPhase(run, { name: `fixed ${rate}/s`, rate, durationS: settings.stepDurationS }));
        if (passes(result) && (!best || rate > best.offered)) best = result;
      }
    } else if (settings.ramp) {
      let failed;
      for (let rate = settings.rampStart; rate <= settings.rampMax; rate += settings.rampStep) {
        const result = report(await runPhase(run, { name: `ramp ${rate}/s`, rate, durationS: settings.stepDurationS }));
        if (!passes(result)) {
          failed = rate;
          break;
        }
        best = result;
      }
      let low = best?.offered ?? steadyRate;
      for (let i = 0; failed !== undefined && i < settings.refine; i++) {
        const rate = Math.round((low + failed) / 2 / 50) * 50;
        if (rate <= low || rate >= failed) break;
        const result = report(await runPhase(run, { name: `refine ${rate}/s`, rate, durationS: settings.stepDurationS }));
        if (passes(result)) {
          best = result;
          low = rate;
        } else failed = rate;
      }
    }

    console.log("\nResults (latencies from request start; delivery = request start -> sample on the agent's WebSocket)\n");
    printTable(results);
    console.log(`\nsteady: ${fmt(steady.achieved, 0)} ingests/s, ack p99 ${fmt(steady.ackP99)} ms, delivery p99 ${fmt(steady.deliveryP99)} ms`);
    console.log(
      best
        ? `highest passing rate (ack p99 <= ${settings.ackP99LimitMs} ms): ${fmt(best.offered, 0)} offered, ${fmt(best.achieved, 0)} acked ingests/s ` +
            `(${best.name}: ack p99 ${fmt(best.ackP99)} ms, delivery p99 ${fmt(best.deliveryP99)} ms)`
        : `no phase passed (ack p99 <= ${settings.ackP99LimitMs} ms)`,
    );
    return { preset, results, best, notes: target.notes, logs: target.logs(), crashes: target.crashes.map(({ name, how }) => ({ name, how })) };
  } finally {
    await stopCurrentRun();
  }
}

async function main() {
  const profileDir = settings.profile ? mkdtempSync(path.join(os.tmpdir(), "statusmonitor-profile-")) : undefined;
  process.once("SIGINT", () => void stopCurrentRun().then(() => process.exit(130)));

  const info = machine();
  console.log(`StatusMonitor ingest benchmark — ${new Date().toISOString()}`);
  console.log(`machine: ${info.cpus} CPUs (${info.model}), ${info.ramGiB} GiB RAM, Node ${info.node}, ${info.os}`);
  console.log(
    `settings: ${settings.agents} agents, steady ${settings.durationS} s at 1 Hz each, ${settings.connections} keep-alive connections, ` +
      `${settings.rates ? `fixed rates ${settings.rates.join(", ")}/s` : `ramp ${settings.ramp ? `${settings.rampStart}+${settings.rampStep}/s up to ${settings.rampMax}/s` : "off"}`}, ${settings.stepDurationS} s per step, ` +
      `pass = ack p99 <= ${settings.ackP99LimitMs} ms, no errors, >= 97 % of the offered rate acked`,
  );
  if (!comparing) {
    const { results, best } = await runPreset("embedded", profileDir);
    if (flags.json) writeFileSync(flags.json, JSON.stringify({ date: new Date().toISOString(), machine: info, settings, results, best }, null, 2));
  } else {
    console.log(
      `presets: embedded, then distributed (api, ingest-1, ingest-2, live, history, alerts), the same workload on each; ` +
        `history lag measured after the steady phase on ${HISTORY_LAG_AGENTS} agents; every process shares the machine's ${info.cpus} CPUs`,
    );
    const runs = [];
    for (const preset of ["embedded", "distributed"]) {
      console.log(`\n=== ${preset} ===`);
      runs.push(await runPreset(preset, profileDir));
    }
    printComparison(runs);
    console.log(
      `\nhist lag: from the end of sending until GET /api/v1/agents/:id/history/summary on the api process counts the last acknowledged sample ` +
        `of each of ${HISTORY_LAG_AGENTS} agents spread over the list (polled every 200 ms, up to ${HISTORY_LAG_TIMEOUT_MS / 1000} s); the slowest of them. ` +
        `hist stored: samples of those agents in history / acknowledged in the phase`,
    );
    for (const run of runs) for (const note of run.notes) console.log(`${run.preset}: ${note}`);
    console.log("\nWarnings and errors the hub processes logged:");
    for (const run of runs) printHubWarnings(run.logs.map(({ name, output }) => ({ name: `${run.preset} ${name}`, output })));
    for (const run of runs) for (const crash of run.crashes) console.log(`CRASH: ${run.preset} ${crash.name} exited during the run (${crash.how})`);
    if (flags.json) {
      const summary = runs.map(({ preset, results, best, notes, crashes }) => ({ preset, results, best, notes, crashes }));
      writeFileSync(flags.json, JSON.stringify({ date: new Date().toISOString(), machine: info, settings, runs: summary }, null, 2));
    }
  }
  if (profileDir) {
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"))) printTop(path.join(profileDir, file), 40);
    console.log(`\n(profile kept in ${profileDir})`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
