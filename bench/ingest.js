/** Ingest load benchmark: the built hub as a child process, simulated original-format agents at a fixed rate, one live WebSocket per agent. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { openLoop, poll, pool } from "./lib/concurrency.js";
import { cpuSecondsOf, rssMiBOf, startHub as startHubProcess, stopHub } from "./lib/hub-process.js";
import { expectStatus, jsonRequest, postIngest } from "./lib/json-request.js";
import { machineCpuSeconds, machineInfo as machine, waitQuiet } from "./lib/machine.js";
import { percentiles } from "./lib/percentiles.js";
import { printTop } from "./profile-top.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_HUB = path.join(ROOT, "packages/server/dist/main.js");
const FIXTURE = path.join(ROOT, "packages/server/src/test-support/fixtures/original-headless.json");

const HELP = `Usage: npm run bench:ingest -- [options]   (or: node bench/ingest.js [options] after npm run build)

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
  --profile            run the hub with --cpu-prof and print its top self-time functions at the end
  --json FILE          also write the results as JSON`;

const { values: flags } = parseArgs({
  options: {
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
const settings = {
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

/** Starts `statusmonitor serve` on a port chosen by the OS; resolves once /health answers. */
function startHub(dataDir, profileDir) {
  return startHubProcess({ hub: settings.hub, dataDir, profileDir, env: { INGEST_RATE_LIMIT_PER_S: "10000" }, buildHint: "npm run build (npm run bench:ingest does)" });
}

// ---------------------------------------------------------------------------------------------
// HTTP and WebSocket clients

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: settings.connections });

/** A JSON request over the shared keep-alive agent. */
function request(hub, method, url, body, headers = {}) {
  return jsonRequest(keepAlive, hub, method, url, body, headers);
}

// ---------------------------------------------------------------------------------------------
// Simulated agents

/** One simulated agent: its token, its live socket, and the samples sent but not yet seen live. */
class SimAgent {
  constructor(id, token) {
    this.id = id;
    this.token = token;
    this.lastTimestamp = 0;
    /** sample timestamp (ms) → { startedAt, stats } */
    this.inFlight = new Map();
    this.socket = undefined;
  }

  /** Opens the live socket with a fresh single-use ticket; resolves once the hub says ready. */
  async subscribe(hub, accessToken) {
    const { ticket } = await expectStatus(
      request(hub, "POST", "/api/v1/live/tickets", { agent_id: this.id }, { authorization: `Bearer ${accessToken}` }),
      200,
      "live ticket",
    );
    const ws = new WebSocket(`ws://${hub.host}:${hub.port}/api/v1/live?ticket=${encodeURIComponent(ticket)}`, { perMessageDeflate: false });
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

/** Sends one original-format payload for `agent`; records ack latency and arms the delivery probe. */
function sendSample(hub, agent, payloadOf, stats, scheduledAt) {
  const timestamp = agent.nextTimestamp();
  const body = payloadOf(timestamp);
  const startedAt = performance.now();
  stats.lag.push(startedAt - scheduledAt);
  stats.sent++;
  stats.inFlight++;
  agent.inFlight.set(timestamp, { startedAt, stats });
  let finished = false;
  const done = (status) => {
    if (finished) return;
    finished = true;
    stats.inFlight--;
    if (status === 200) {
      stats.ok++;
      stats.ack.push(performance.now() - startedAt);
    } else {
      stats.errors.set(status, (stats.errors.get(status) ?? 0) + 1);
      agent.inFlight.delete(timestamp);
    }
  };
  postIngest(keepAlive, hub, "/ingest", agent.token, body, done);
}

/**
 * Offers `rate` ingests/s for `durationS` seconds, open loop: send k goes out at k/rate whatever
 * the answers do, round-robin over the agents, so each agent posts every agents/rate seconds.
 */
async function runPhase(hub, agents, payloadOf, { name, rate, durationS }) {
  if (settings.waitQuietS > 0) await waitQuiet(settings.waitQuietS);
  const stats = newStats(name, rate, durationS);
  const scrapeBefore = await scrapeHub(hub);
  const total = Math.round(rate * durationS);
  const intervalMs = 1000 / rate;
  const rss = [];
  const cpuBefore = cpuSecondsOf(hub.child.pid);
  const selfBefore = process.cpuUsage();
  const machineBefore = machineCpuSeconds();
  const start = performance.now();
  const rssTimer = setInterval(() => rss.push(rssMiBOf(hub.child.pid)), 500);
  await openLoop(total, intervalMs, start, (k, scheduledAt) => sendSample(hub, agents[k % agents.length], payloadOf, stats, scheduledAt));
  const sendingMs = performance.now() - start;
  await poll(() => stats.inFlight === 0, 30_000, `the answers of phase ${name}`, 5);
  const elapsedS = (performance.now() - start) / 1000;
  const cpuAfter = cpuSecondsOf(hub.child.pid);
  const self = process.cpuUsage(selfBefore);
  const machineAfter = machineCpuSeconds();
  rss.push(rssMiBOf(hub.child.pid));
  clearInterval(rssTimer);
  // Deliveries trail the acks by at most a few ms; give stragglers a bounded grace period.
  const pendingDeliveries = () => agents.reduce((n, a) => n + [...a.inFlight.values()].filter((e) => e.stats === stats).length, 0);
  await poll(() => pendingDeliveries() === 0, 2_000, "deliveries", 10).catch(() => undefined);
  const undelivered = pendingDeliveries();
  const scrapeAfter = await scrapeHub(hub);
  for (const agent of agents) for (const [ts, entry] of agent.inFlight) if (entry.stats === stats) agent.inFlight.delete(ts);

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
    serverCpuPercent: (100 * (cpuAfter - cpuBefore)) / elapsedS,
    serverCpuUsPerIngest: (1e6 * (cpuAfter - cpuBefore)) / stats.ok,
    serverRssMiB: Math.max(...rss),
    generatorCpuPercent: (100 * (self.user + self.system)) / 1e6 / elapsedS,
    // Everything else on the machine (other processes, kernel threads), to spot a noisy neighbour.
    otherCpuPercent:
      (100 * (machineAfter.busy - machineBefore.busy)) / elapsedS -
      (100 * (cpuAfter - cpuBefore)) / elapsedS -
      (100 * (self.user + self.system)) / 1e6 / elapsedS,
  };
}

/** The hub's own Prometheus figures that explain a phase: server-side ack time, event-loop stalls, GC. */
async function scrapeHub(hub) {
  const res = await request(hub, "GET", "/metrics");
  const text = String(res.body);
  const buckets = (name) =>
    [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, "gm"))].map((m) => ({ le: Number(m[1]), count: Number(m[2]) }));
  const gauge = (name) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  const gcSeconds = [...text.matchAll(/^statusmonitor_nodejs_gc_duration_seconds_sum\{kind="[^"]+"\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  return {
    ack: buckets("statusmonitor_ingest_ack_seconds"),
    // prom-client resets its event-loop histogram on every scrape: this is the worst stall since the last one.
    loopDelayMaxS: gauge("statusmonitor_nodejs_eventloop_lag_max_seconds"),
    gcSeconds,
  };
}

/** The upper bound of the histogram bucket holding quantile `q` of the observations between two scrapes. */
function bucketQuantile(before, after, q) {
  const deltas = after.map((b, i) => ({ le: b.le, count: b.count - (before[i]?.count ?? 0) }));
  const total = deltas.at(-1)?.count ?? 0;
  if (total === 0) return NaN;
  return deltas.find((b) => b.count >= q * total)?.le ?? Infinity;
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

const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

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
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const l of lines) console.log(line(l));
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "statusmonitor-bench-"));
  const profileDir = settings.profile ? mkdtempSync(path.join(os.tmpdir(), "statusmonitor-profile-")) : undefined;
  let hub;
  let agents = [];
  let stopped = false;
  const stopEverything = async () => {
    if (stopped) return;
    stopped = true;
    for (const agent of agents) agent.socket?.terminate();
    if (hub) await stopHub(hub);
    keepAlive.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void stopEverything().then(() => process.exit(130)));

  try {
    const info = machine();
    console.log(`StatusMonitor ingest benchmark — ${new Date().toISOString()}`);
    console.log(`machine: ${info.cpus} CPUs (${info.model}), ${info.ramGiB} GiB RAM, Node ${info.node}, ${info.os}`);
    console.log(
      `settings: ${settings.agents} agents, steady ${settings.durationS} s at 1 Hz each, ${settings.connections} keep-alive connections, ` +
        `${settings.rates ? `fixed rates ${settings.rates.join(", ")}/s` : `ramp ${settings.ramp ? `${settings.rampStart}+${settings.rampStep}/s up to ${settings.rampMax}/s` : "off"}`}, ${settings.stepDurationS} s per step, ` +
        `pass = ack p99 <= ${settings.ackP99LimitMs} ms, no errors, >= 97 % of the offered rate acked`,
    );

    hub = await startHub(dataDir, profileDir);
    console.log(`hub: pid ${hub.child.pid} at ${hub.url}, data dir ${dataDir}${profileDir ? `, CPU profile in ${profileDir}` : ""}`);

    const credentials = { username: "bench", password: "correct horse battery staple" };
    await expectStatus(request(hub, "POST", "/api/v1/auth/register", credentials), 201, "register");
    const { access_token: accessToken } = await expectStatus(request(hub, "POST", "/api/v1/auth/login", credentials), 200, "login");
    const auth = { authorization: `Bearer ${accessToken}` };

    let setupStarted = performance.now();
    agents = await pool(Array.from({ length: settings.agents }, (_, i) => i), 16, async (i) => {
      const created = await expectStatus(request(hub, "POST", "/api/v1/agents", { name: `bench-${i + 1}` }, auth), 201, "create agent");
      return new SimAgent(created.id, created.token);
    });
    console.log(`created ${agents.length} agents in ${fmt((performance.now() - setupStarted) / 1000, 2)} s`);
    setupStarted = performance.now();
    await pool(agents, 32, (agent) => agent.subscribe(hub, accessToken));
    console.log(`opened ${agents.length} live WebSockets in ${fmt((performance.now() - setupStarted) / 1000, 2)} s\n`);

    const payloadOf = payloadFactory();
    const steadyRate = settings.agents;
    if (settings.warmupS > 0) await runPhase(hub, agents, payloadOf, { name: "warm-up", rate: steadyRate, durationS: settings.warmupS });

    const results = [];
    const report = (result) => {
      results.push(result);
      console.log(
        `${result.name}: offered ${fmt(result.offered, 0)}/s, acked ${fmt(result.achieved, 0)}/s, ack p99 ${fmt(result.ackP99)} ms, ` +
          `delivery p99 ${fmt(result.deliveryP99)} ms, hub CPU ${fmt(result.serverCpuPercent, 0)} %, errors ${JSON.stringify(result.errors)}`,
      );
      return result;
    };
    const steady = report(await runPhase(hub, agents, payloadOf, { name: `steady ${steadyRate}x1Hz`, rate: steadyRate, durationS: settings.durationS }));

    let best = passes(steady) ? steady : undefined;
    if (settings.rates) {
      for (const rate of settings.rates) {
        const result = report(await runPhase(hub, agents, payloadOf, { name: `fixed ${rate}/s`, rate, durationS: settings.stepDurationS }));
        if (passes(result) && (!best || rate > best.offered)) best = result;
      }
    } else if (settings.ramp) {
      let failed;
      for (let rate = settings.rampStart; rate <= settings.rampMax; rate += settings.rampStep) {
        const result = report(await runPhase(hub, agents, payloadOf, { name: `ramp ${rate}/s`, rate, durationS: settings.stepDurationS }));
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
        const result = report(await runPhase(hub, agents, payloadOf, { name: `refine ${rate}/s`, rate, durationS: settings.stepDurationS }));
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
    if (flags.json) {
      writeFileSync(flags.json, JSON.stringify({ date: new Date().toISOString(), machine: info, settings, results, best }, null, 2));
    }
  } finally {
    await stopEverything();
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
