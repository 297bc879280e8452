/** Agent benchmark: the built agent at 1 Hz against a local hub, as plain Node, bundle and single executable, with and without V8 memory flags; CPU, memory, bytes on the wire and disk-buffer bytes per sample, beside Debian's node-exporter when installed. */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { poll } from "./lib/concurrency.js";
import { startCountingProxy } from "./lib/counting-proxy.js";
import { startHub, stopHub } from "./lib/hub-process.js";
import { expectStatus, jsonRequest } from "./lib/json-request.js";
import { machineInfo, waitQuiet } from "./lib/machine.js";
import { memoryOf, threadCpuSecondsOf } from "./lib/process-usage.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HUB_MAIN = path.join(ROOT, "packages/server/dist/main.js");
const AGENT_DIST = path.join(ROOT, "packages/agent/dist");
const AGENT_MAIN = path.join(AGENT_DIST, "main.js");
const DEFAULT_BUNDLE = path.join(AGENT_DIST, "statusmonitor-agent.cjs");
const DEFAULT_SEA = path.join(AGENT_DIST, "statusmonitor-agent");
const NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";
const LOW_MEMORY = ["--max-semi-space-size=1", "--max-old-space-size=16", "--v8-pool-size=0"];

/** The agent builds and V8 settings measured side by side; each runs as its own process with its own token, proxy and buffer. */
const VARIANTS = {
  plain: { what: "node dist/main.js", command: () => [process.execPath, [AGENT_MAIN]] },
  bundle: { what: "node statusmonitor-agent.cjs", command: () => [process.execPath, [AGENT_BUNDLE]] },
  sea: { what: "statusmonitor-agent (single executable)", command: () => [AGENT_SEA, []] },
  semi1: { what: "plain + --max-semi-space-size=1", command: () => [process.execPath, ["--max-semi-space-size=1", AGENT_MAIN]] },
  old16: { what: "plain + --max-old-space-size=16", command: () => [process.execPath, ["--max-old-space-size=16", AGENT_MAIN]] },
  pool0: { what: "plain + --v8-pool-size=0", command: () => [process.execPath, ["--v8-pool-size=0", AGENT_MAIN]] },
  uv1: { what: "plain + UV_THREADPOOL_SIZE=1", command: () => [process.execPath, [AGENT_MAIN]], env: { UV_THREADPOOL_SIZE: "1" } },
  // Not run by default: --jitless also turns off WebAssembly, which fetch (undici's HTTP parser) needs, so the agent exits at its first send.
  jitless: { what: "plain + --jitless", command: () => [process.execPath, ["--jitless", AGENT_MAIN]], optIn: true },
  lowmem: { what: `plain + ${LOW_MEMORY.join(" ")}`, command: () => [process.execPath, [...LOW_MEMORY, AGENT_MAIN]] },
  "sea-lowmem": { what: `single executable + NODE_OPTIONS="${LOW_MEMORY.join(" ")}"`, command: () => [AGENT_SEA, []], env: { NODE_OPTIONS: LOW_MEMORY.join(" ") } },
};

const DEFAULT_VARIANTS = Object.keys(VARIANTS).filter((name) => !VARIANTS[name].optIn);

const HELP = `Usage: npm run bench:agent -- [options]   (or: node bench/agent.js [options] after npm run build && npm run build:agent)

  --duration S       measured steady phase, every agent at 1 sample/s (default 120)
  --warmup S         unmeasured start-up before it (default 10)
  --outage S         then the hub is unreachable for the buffer agents for S seconds (default 60)
  --variants A,B     agent variants to run side by side (default ${DEFAULT_VARIANTS.join(",")}; also: jitless)
  --buffer-variants  variants whose disk buffer is measured in the outage (default plain,sea)
  --node-exporter F  Prometheus node exporter to run and scrape every second ("none" to skip; default ${NODE_EXPORTER} when installed)
  --sea FILE         the single executable to run, for A/B comparisons (default packages/agent/dist/statusmonitor-agent)
  --bundle FILE      the bundle to run (default packages/agent/dist/statusmonitor-agent.cjs)
  --wait-quiet S     first wait up to S s for other processes to leave the CPUs idle (default 0)
  --json FILE        also write the results as JSON`;

const { values: flags } = parseArgs({
  options: {
    duration: { type: "string", default: "120" },
    warmup: { type: "string", default: "10" },
    outage: { type: "string", default: "60" },
    variants: { type: "string", default: DEFAULT_VARIANTS.join(",") },
    "buffer-variants": { type: "string", default: "plain,sea" },
    "node-exporter": { type: "string", default: NODE_EXPORTER },
    sea: { type: "string", default: DEFAULT_SEA },
    bundle: { type: "string", default: DEFAULT_BUNDLE },
    "wait-quiet": { type: "string", default: "0" },
    json: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}
const AGENT_SEA = path.resolve(flags.sea);
const AGENT_BUNDLE = path.resolve(flags.bundle);
const settings = {
  durationS: positive(flags.duration, "--duration"),
  warmupS: positive(flags.warmup, "--warmup"),
  outageS: positive(flags.outage, "--outage"),
  variants: names(flags.variants, "--variants"),
  bufferVariants: names(flags["buffer-variants"], "--buffer-variants"),
  nodeExporter: flags["node-exporter"] === "none" || !existsSync(flags["node-exporter"]) ? undefined : flags["node-exporter"],
  waitQuietS: Number(flags["wait-quiet"]),
};

function positive(text, name) {
  const value = Number(text);
  if (!(value > 0)) usage(`${name} must be a positive number (got ${text})`);
  return value;
}

function names(text, name) {
  const list = text.split(",").filter(Boolean);
  const unknown = list.filter((n) => !VARIANTS[n]);
  if (unknown.length > 0) usage(`${name}: unknown variant(s) ${unknown.join(", ")}`);
  return list;
}

function usage(problem) {
  console.error(`${problem}\n\n${HELP}`);
  process.exit(2);
}

for (const file of [HUB_MAIN, AGENT_MAIN, AGENT_BUNDLE, AGENT_SEA]) {
  if (!existsSync(file)) usage(`${path.relative(ROOT, file)} is missing: run npm run build && npm run build:agent (npm run bench:agent does)`);
}

// ---------------------------------------------------------------------------------------------
// Processes under test

/** Starts one variant against its own counting proxy; collects its warnings and errors. */
function startAgent(name, setup) {
  const [command, args] = VARIANTS[name].command();
  const child = spawn(command, args, {
    // A clean environment: the bench's own NODE_OPTIONS must not leak into the variants.
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: setup.home,
      INGESTION_URL: setup.proxy.url,
      AGENT_TOKEN: setup.token,
      COLLECTION_INTERVAL: "1",
      BUFFER_DIR: setup.bufferDir,
      ...VARIANTS[name].env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const complaints = [];
  let partial = "";
  child.stderr.on("data", (chunk) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop();
    for (const line of lines) if (!/ info /.test(line)) complaints.push(line);
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  return { name, child, pid: child.pid, complaints, exited };
}

/** SIGTERM (the agent writes unsent samples to its buffer and exits 0), SIGKILL if it hangs. */
async function stopAgent(agent) {
  if (agent.child.exitCode !== null || agent.child.signalCode !== null) return agent.exited;
  agent.child.kill("SIGTERM");
  const timer = setTimeout(() => agent.child.kill("SIGKILL"), 15_000);
  const result = await agent.exited;
  clearTimeout(timer);
  return result;
}

/** Debian's node exporter with its default collectors on a free loopback port. */
async function startNodeExporter(file) {
  const port = await freePort();
  const child = spawn(file, [`--web.listen-address=127.0.0.1:${port}`], { stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  await poll(
    () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) throw new Error(`node exporter exited: ${output}`);
        http.get({ host: "127.0.0.1", port, path: "/metrics", agent: false }, (res) => resolve(res.resume() && res.statusCode === 200)).on("error", () => resolve(false));
      }),
    20_000,
    "node exporter /metrics",
    100,
  );
  return { child, pid: child.pid, port, exited };
}

/** Scrapes like Prometheus: every second, gzip accepted, one kept-alive connection; counts failures. */
function scrapeEverySecond(proxy) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const stats = { scrapes: 0, failures: 0 };
  const headers = {
    accept: "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
    "accept-encoding": "gzip",
    "user-agent": "Prometheus/2.45.0",
    "x-prometheus-scrape-timeout-seconds": "1",
  };
  const timer = setInterval(() => {
    http
      .get({ host: "127.0.0.1", port: proxy.port, path: "/metrics", agent, headers }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? stats.scrapes++ : stats.failures++));
      })
      .on("error", () => stats.failures++);
  }, 1000);
  return {
    stats,
    stop: () => {
      clearInterval(timer);
      agent.destroy();
    },
  };
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** CPU, wire and memory of one process over a window: `begin()`, `tick()` every second, `end()`. */
class Meter {
  constructor(pid, proxy) {
    this.pid = pid;
    this.proxy = proxy;
    this.rss = [];
    this.anon = [];
    this.file = [];
    this.threads = 0;
  }
  begin() {
    this.cpu0 = threadCpuSecondsOf(this.pid);
    this.wire0 = this.proxy?.snapshot();
    this.t0 = performance.now();
  }
  tick() {
    const m = memoryOf(this.pid);
    this.rss.push(m.rss);
    this.anon.push(m.anon);
    this.file.push(m.file);
    this.threads = Math.max(this.threads, m.threads);
  }
  end() {
    const seconds = (performance.now() - this.t0) / 1000;
    const cpu = threadCpuSecondsOf(this.pid) - this.cpu0;
    const wire = this.proxy?.snapshot();
    const peak = memoryOf(this.pid).peak;
    return {
      seconds: round(seconds, 1),
      cpuPercent: round((100 * cpu) / seconds, 3),
      cpuMsPerS: round((1000 * cpu) / seconds, 2),
      rssMeanMiB: round(mean(this.rss), 1),
      rssMaxMiB: round(Math.max(...this.rss), 1),
      rssPeakMiB: round(peak, 1),
      anonMeanMiB: round(mean(this.anon), 1),
      anonMaxMiB: round(Math.max(...this.anon), 1),
      fileMeanMiB: round(mean(this.file), 1),
      threads: this.threads,
      ...(wire && {
        upBytesPerS: round((wire.up - this.wire0.up) / seconds, 1),
        downBytesPerS: round((wire.down - this.wire0.down) / seconds, 1),
        connections: wire.connections - this.wire0.connections,
      }),
    };
  }
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const round = (value, digits) => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `tick` on every meter once a second for `seconds`. */
async function sampleFor(seconds, meters) {
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    for (const meter of meters) meter.tick();
    await sleep(Math.min(1000, until - performance.now()));
  }
}

/** Size of one sample of this machine as JSON, and of a one-sample batch as sent (gzip only above 1 KiB). */
function sampleSize() {
  const printed = JSON.parse(execFileSync(process.execPath, [AGENT_MAIN, "--once"], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: os.tmpdir() } }));
  const body = JSON.stringify({ agent: printed.agent, samples: [{ ...printed.sample, seq: 1 }] });
  return {
    sampleJsonBytes: Buffer.byteLength(JSON.stringify(printed.sample)),
    batchBodyBytes: Buffer.byteLength(body),
    batchGzipBytes: gzipSync(body).length,
    cores: printed.sample.cpu?.per_core_usage?.length,
    disks: printed.sample.disks?.length,
    interfaces: printed.sample.network?.interfaces?.length,
  };
}

/** Bytes of every file in the buffer directory, and the samples the agent's own buffer code finds in it. */
async function bufferContents(dir) {
  const files = existsSync(dir) ? readdirSync(dir) : [];
  const bytes = files.reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
  const { DiskBuffer } = await import(pathToFileURL(path.join(AGENT_DIST, "buffer/disk-buffer.js")).href);
  const buffer = await DiskBuffer.open(dir);
  const stats = buffer.stats();
  await buffer.close();
  return { files: files.length, bytes, samples: stats.samples, corrupt: stats.corrupt };
}

// ---------------------------------------------------------------------------------------------
// The run

async function main() {
  const machine = machineInfo();
  console.log(`machine: ${machine.cpus} CPUs (${machine.model}), ${machine.ramGiB} GiB, ${machine.os}, Node ${machine.node}`);
  const size = sampleSize();
  console.log(
    `one sample of this machine (${size.cores} cores, ${size.disks} file systems, ${size.interfaces} interfaces): ${size.sampleJsonBytes} B of JSON; ` +
      `a one-sample batch ${size.batchBodyBytes} B, ${size.batchGzipBytes} B gzipped`,
  );

  const work = mkdtempSync(path.join(os.tmpdir(), "statusmonitor-bench-agent-"));
  const hub = await startHub({ hub: HUB_MAIN, dataDir: path.join(work, "hub"), buildHint: "npm run build (npm run bench:agent does)" });
  const keepAlive = new http.Agent({ keepAlive: true });
  const request = (method, url, body, headers) => jsonRequest(keepAlive, hub, method, url, body, headers);
  const credentials = { username: "bench-agent", password: "bench agent password" };
  await expectStatus(request("POST", "/api/v1/auth/register", credentials), 201, "register");
  const { access_token: accessToken } = await expectStatus(request("POST", "/api/v1/auth/login", credentials), 200, "login");
  const auth = { authorization: `Bearer ${accessToken}` };

  const setups = {};
  for (const name of settings.variants) {
    const created = await expectStatus(request("POST", "/api/v1/agents", { name: `bench-${name}` }, auth), 201, "create agent");
    const home = path.join(work, name);
    setups[name] = { id: created.id, token: created.token, home, bufferDir: path.join(home, "buffer"), proxy: await startCountingProxy({ host: hub.host, port: hub.port }) };
  }

  const results = { date: new Date().toISOString(), machine, settings, sample: size, variants: {}, buffer: {}, nodeExporter: undefined };
  const agents = [];
  let exporter;
  let scraper;
  try {
    if (settings.waitQuietS > 0) await waitQuiet(settings.waitQuietS);
    for (const name of settings.variants) agents.push(startAgent(name, setups[name]));
    if (settings.nodeExporter) {
      const started = await startNodeExporter(settings.nodeExporter);
      const proxy = await startCountingProxy({ host: "127.0.0.1", port: started.port });
      exporter = { ...started, proxy };
      scraper = scrapeEverySecond(proxy);
    }
    console.log(`${agents.length} agents${exporter ? " and the node exporter" : ""} started; warm-up ${settings.warmupS} s, then ${settings.durationS} s measured`);
    await sleep(settings.warmupS * 1000);
    for (const agent of agents) {
      if (agent.child.exitCode !== null || agent.child.signalCode !== null) throw new Error(`${agent.name} (${VARIANTS[agent.name].what}) exited during warm-up:\n${agent.complaints.join("\n")}`);
    }
    const startupCpu = Object.fromEntries(agents.map((a) => [a.name, threadCpuSecondsOf(a.pid)]));

    const meters = agents.map((a) => new Meter(a.pid, setups[a.name].proxy));
    const exporterMeter = exporter && new Meter(exporter.pid, exporter.proxy);
    const all = [...meters, ...(exporterMeter ? [exporterMeter] : [])];
    for (const meter of all) meter.begin();
    await sampleFor(settings.durationS, all);
    for (const [i, agent] of agents.entries()) {
      results.variants[agent.name] = { what: VARIANTS[agent.name].what, ...meters[i].end(), startupCpuS: round(startupCpu[agent.name], 3) };
    }
    if (exporter) {
      results.nodeExporter = { what: `${settings.nodeExporter} (default collectors), scraped every second with gzip`, ...exporterMeter.end(), ...scraper.stats };
      scraper.stop();
      exporter.child.kill("SIGTERM");
      await exporter.exited;
      await exporter.proxy.close();
    }

    // Stop the variants whose buffer is not measured; each must exit 0 on SIGTERM.
    for (const agent of agents.filter((a) => !settings.bufferVariants.includes(a.name))) {
      results.variants[agent.name].exit = await stopAgent(agent);
    }

    // The hub becomes unreachable for the others (their proxy goes away): every sample lands in the disk buffer.
    const buffered = agents.filter((a) => settings.bufferVariants.includes(a.name));
    if (buffered.length > 0) {
      console.log(`outage: ${buffered.map((a) => a.name).join(", ")} cannot reach the hub for ${settings.outageS} s`);
      for (const agent of buffered) await setups[agent.name].proxy.down();
      const outageMeters = buffered.map((a) => new Meter(a.pid));
      for (const meter of outageMeters) meter.begin();
      await sampleFor(settings.outageS, outageMeters);
      for (const [i, agent] of buffered.entries()) {
        const during = outageMeters[i].end();
        const exit = await stopAgent(agent);
        results.variants[agent.name].exit = exit;
        const contents = await bufferContents(setups[agent.name].bufferDir);
        const bytesPerSample = contents.samples > 0 ? contents.bytes / contents.samples : NaN;
        results.buffer[agent.name] = {
          outageS: settings.outageS,
          cpuPercentDuringOutage: during.cpuPercent,
          rssMeanMiBDuringOutage: during.rssMeanMiB,
          ...contents,
          bytesPerSample: round(bytesPerSample, 1),
          samplesIn64MiB: Math.floor((64 * 2 ** 20) / bytesPerSample),
          hoursAt1HzIn64MiB: round((64 * 2 ** 20) / bytesPerSample / 3600, 1),
        };
      }
    }

    // Every variant reached the hub: its newest stored sample is recent.
    const list = await expectStatus(request("GET", "/api/v1/agents", undefined, auth), 200, "list agents");
    for (const name of settings.variants) {
      const stored = list.find((a) => a.id === setups[name].id);
      results.variants[name].newestSampleAgeS = stored?.newest_sample_at ? round((Date.now() - stored.newest_sample_at) / 1000, 1) : null;
      results.variants[name].complaints = agents.find((a) => a.name === name).complaints.slice(0, 5);
    }
  } finally {
    scraper?.stop();
    exporter?.child.kill("SIGKILL");
    for (const agent of agents) if (agent.child.exitCode === null && agent.child.signalCode === null) agent.child.kill("SIGKILL");
    for (const setup of Object.values(setups)) await setup.proxy.close();
    keepAlive.destroy();
    await stopHub(hub);
    rmSync(work, { recursive: true, force: true });
  }
  report(results);
  if (flags.json) {
    writeFileSync(flags.json, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`results written to ${flags.json}`);
  }
}

function report(results) {
  console.log(`\n## Steady state, 1 sample/s, ${settings.durationS} s\n`);
  console.log("| variant | CPU % of one core | CPU ms/s | RSS mean | RSS max (peak) | anon mean / max | file-backed | threads | wire up B/s | wire down B/s | TCP conns | start-up CPU s | exit |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const [name, r] of Object.entries(results.variants)) {
    console.log(
      `| ${name}: ${r.what} | ${r.cpuPercent.toFixed(3)} | ${r.cpuMsPerS} | ${r.rssMeanMiB} MiB | ${r.rssMaxMiB} (${r.rssPeakMiB}) MiB | ${r.anonMeanMiB} / ${r.anonMaxMiB} MiB | ${r.fileMeanMiB} MiB | ${r.threads} | ${r.upBytesPerS} | ${r.downBytesPerS} | ${r.connections} | ${r.startupCpuS} | ${r.exit} |`,
    );
  }
  const ne = results.nodeExporter;
  if (ne) {
    console.log(
      `| node exporter: ${ne.what} | ${ne.cpuPercent.toFixed(3)} | ${ne.cpuMsPerS} | ${ne.rssMeanMiB} MiB | ${ne.rssMaxMiB} (${ne.rssPeakMiB}) MiB | ${ne.anonMeanMiB} / ${ne.anonMaxMiB} MiB | ${ne.fileMeanMiB} MiB | ${ne.threads} | ${ne.upBytesPerS} (scrape requests) | ${ne.downBytesPerS} (responses) | ${ne.connections} | – | ${ne.scrapes} scrapes, ${ne.failures} failed |`,
    );
  } else {
    console.log("(node exporter not measured: not installed, or --node-exporter none)");
  }
  if (Object.keys(results.buffer).length > 0) {
    console.log(`\n## Disk buffer after a ${settings.outageS} s outage\n`);
    console.log("| variant | samples buffered | files | bytes on disk | bytes/sample | 64 MiB holds | CPU % while buffering | RSS mean while buffering |");
    console.log("|---|---|---|---|---|---|---|---|");
    for (const [name, b] of Object.entries(results.buffer)) {
      console.log(
        `| ${name} | ${b.samples}${b.corrupt ? ` (${b.corrupt} corrupt)` : ""} | ${b.files} | ${b.bytes} | ${b.bytesPerSample} | ${b.samplesIn64MiB} samples = ${b.hoursAt1HzIn64MiB} h at 1 Hz | ${b.cpuPercentDuringOutage.toFixed(3)} | ${b.rssMeanMiBDuringOutage} MiB |`,
      );
    }
  }
  const stale = Object.entries(results.variants).filter(([, r]) => r.newestSampleAgeS === null || r.newestSampleAgeS > settings.outageS + 30);
  for (const [name, r] of stale) console.log(`warning: ${name} has no recent sample at the hub (newest ${r.newestSampleAgeS} s old)`);
  for (const [name, r] of Object.entries(results.variants)) if (r.complaints.length > 0) console.log(`${name} said:\n  ${r.complaints.join("\n  ")}`);
}

await main();
