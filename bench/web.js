/** Web benchmark: the dashboard's initial download, first live chart paint, per-sample cost of 12 live charts, first render of an 86,400-point chart and long tasks during live updates, in Chromium against the real hub. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "vite";
import { consoleResult, launchChromium } from "./lib/chromium.js";
import { poll } from "./lib/concurrency.js";
import { startHub, stopHub } from "./lib/hub-process.js";
import { expectStatus, jsonRequest } from "./lib/json-request.js";
import { machineInfo, waitQuiet } from "./lib/machine.js";
import { percentiles } from "./lib/percentiles.js";
import { probeScript, readProbes, resetProbes } from "./lib/page-probes.js";
import { BENCH_FACTS, liveSample, startSampleFeeder } from "./lib/sample-feeder.js";
import { initialAssetSizes } from "./lib/web-assets.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HUB_MAIN = path.join(ROOT, "packages/server/dist/main.js");
const WEB_ROOT = path.join(ROOT, "packages/web");
const WEB_DIST = path.join(WEB_ROOT, "dist");
const BENCH_PAGE = path.join(ROOT, "bench/web-page");
const CHART_THEME = path.join(WEB_ROOT, "src/components/chart/chart-theme.ts");
const LIVE_SESSION = path.join(WEB_ROOT, "src/features/live/live-session.ts");
const USER = { username: "bench", password: "bench password 1" };
/** Minutes of 1 s history before the page opens: the live charts show 5 minutes, so they start (and stay) full. */
const BACKFILL_MINUTES = 10;

const HELP = `Usage: npm run bench:web -- [options]   (or: node bench/web.js [options] after npm run build)

  --points N        points of the big history chart (default 86400)
  --runs N          renders of the big chart per page; the first is cold (default 6)
  --point-pages N   fresh pages for those renders (default 3)
  --charts N        live charts on the bench page (default 12)
  --live S          seconds of live updates measured for per-sample cost and long tasks (default 60)
  --paint-runs N    page loads for the first live chart paint (default 5)
  --wait-quiet S    first wait up to S s for other processes to leave the CPUs idle (default 0)
  --json FILE       also write the results as JSON`;

const { values: flags } = parseArgs({
  options: {
    points: { type: "string", default: "86400" },
    runs: { type: "string", default: "6" },
    "point-pages": { type: "string", default: "3" },
    charts: { type: "string", default: "12" },
    live: { type: "string", default: "60" },
    "paint-runs": { type: "string", default: "5" },
    "wait-quiet": { type: "string", default: "0" },
    json: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value) => `${value.toFixed(1)} ms`;

/** The bench-only page, built with the dashboard's own Vite config (same plugins, same protocol alias) under /bench/. */
async function buildBenchPage(outDir) {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ root: BENCH_PAGE, configFile: path.join(WEB_ROOT, "vite.config.ts"), base: "/bench/", mode: "production", logLevel: "warn", build: { outDir, emptyOutDir: true, sourcemap: false } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/** Renders the big chart in `--point-pages` fresh pages (each first render cold), `--runs` times per page. */
async function measurePoints(browser, hubUrl, chart) {
  const pages = [];
  for (let i = 0; i < Number(flags["point-pages"]); i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const result = consoleResult(page, "points", 120_000);
    await page.goto(`${hubUrl}/bench/?mode=points&chart=${chart}&n=${flags.points}&runs=${flags.runs}`);
    pages.push(await result);
    await context.close();
  }
  if (pages.some((p) => p.strokes.some((count) => count === 0))) throw new Error("a measured render drew nothing: the measure no longer covers uPlot's drawing");
  return { n: pages[0].n, cold: pages.map((p) => p.ms[0]), warm: pages.flatMap((p) => p.ms.slice(1)) };
}

/** The charts' series colours and the live store's measure name, read from the dashboard's source so the probes follow it. */
function probesForDashboard() {
  const colors = [...new Set(readFileSync(CHART_THEME, "utf8").match(/#[0-9a-fA-F]{6}\b/g))];
  const measure = /SAMPLE_MEASURE = "([^"]+)"/.exec(readFileSync(LIVE_SESSION, "utf8"))?.[1];
  if (!measure) throw new Error(`no SAMPLE_MEASURE in ${LIVE_SESSION}: the live store no longer marks its samples`);
  return { script: probeScript(colors, measure), measure };
}

/** Registers the bench user, creates an agent and back-fills its history; returns the agent's id and token. */
async function prepareAgent(hub) {
  const agent = new http.Agent({ keepAlive: true });
  await expectStatus(jsonRequest(agent, hub, "POST", "/api/v1/auth/register", USER), 201, "register");
  const { access_token: access } = await expectStatus(jsonRequest(agent, hub, "POST", "/api/v1/auth/login", USER), 200, "login");
  const created = await expectStatus(jsonRequest(agent, hub, "POST", "/api/v1/agents", { name: "bench-01" }, { authorization: `Bearer ${access}` }), 201, "create agent");
  const count = BACKFILL_MINUTES * 60;
  const end = Date.now() - 1000;
  const samples = Array.from({ length: count }, (_, i) => liveSample(i, end - (count - 1 - i) * 1000));
  await expectStatus(jsonRequest(agent, hub, "POST", "/api/v1/ingest", { agent: BENCH_FACTS, samples }, { "x-agent-token": created.token }), 200, "back-fill");
  agent.destroy();
  return { id: created.id, token: created.token, nextSeq: count };
}

/** A fresh browser profile signed in as the bench user (the refresh cookie set, as after a sign-in). */
async function signedInContext(browser, hubUrl, probes) {
  const context = await browser.newContext({ baseURL: hubUrl, viewport: { width: 1280, height: 900 } });
  const login = await context.request.post("/api/v1/auth/login", { data: USER });
  if (login.status() !== 200) throw new Error(`login: HTTP ${login.status()}`);
  await context.addInitScript(probes.script);
  return context;
}

/** Opens the agent's dashboard in `runs` fresh profiles (cold cache each) and times its first chart paint and first live sample. */
async function measureFirstPaint(browser, hubUrl, probes, agentId) {
  const runs = [];
  for (let i = 0; i < Number(flags["paint-runs"]); i++) {
    const context = await signedInContext(browser, hubUrl, probes);
    const page = await context.newPage();
    await page.goto(`/agents/${agentId}`);
    const found = await poll(async () => {
      const p = await readProbes(page);
      return p.firstSeriesFrame !== null && p.measures.length > 0 ? p : null;
    }, 30_000, "the dashboard's first chart paint and first live sample", 50);
    const nav = await page.evaluate(() => performance.getEntriesByType("navigation")[0].toJSON());
    runs.push({ paint: found.firstSeriesFrame, stroke: found.firstSeriesStroke, firstSample: found.measures[0].start + found.measures[0].duration, domContentLoaded: nav.domContentLoadedEventEnd });
    await context.close();
  }
  return runs;
}

/** Main-thread seconds of the page so far, from Chromium's own counters: all tasks, and script, style and layout within them. */
async function mainThreadSeconds(cdp) {
  const { metrics } = await cdp.send("Performance.getMetrics");
  const value = (name) => metrics.find((m) => m.name === name).value;
  return { task: value("TaskDuration"), script: value("ScriptDuration"), style: value("RecalcStyleDuration"), layout: value("LayoutDuration") };
}

/** Watches `url` for `seconds` of live updates: the per-sample measures, main-thread time per sample, long tasks. */
async function measureLiveWindow(browser, hubUrl, probes, url, readyName) {
  const context = await signedInContext(browser, hubUrl, probes);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  if (readyName) {
    const ready = consoleResult(page, readyName, 60_000);
    await page.goto(url);
    await ready;
  } else {
    await page.goto(url);
    await poll(async () => (await readProbes(page)).measures.length > 0, 30_000, "the first live sample on the dashboard", 50);
  }
  // Settle: the seam fill after the first sample lands, so the window measures steady state.
  await poll(async () => (await readProbes(page)).measures.length >= 8, 30_000, "eight live samples", 100);
  await resetProbes(page);
  const before = await mainThreadSeconds(cdp);
  const windowStart = await page.evaluate(() => performance.now());
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, Number(flags.live) * 1000));
  const after = await mainThreadSeconds(cdp);
  const seconds = (Date.now() - started) / 1000;
  const found = await readProbes(page);
  await context.close();
  const durations = found.measures.map((m) => m.duration);
  const perSample = (key) => (durations.length ? ((after[key] - before[key]) * 1000) / durations.length : null);
  return {
    seconds,
    samples: durations.length,
    sampleMs: summarize(durations),
    mainThreadMsPerSample: perSample("task"),
    scriptMsPerSample: perSample("script"),
    styleMsPerSample: perSample("style"),
    layoutMsPerSample: perSample("layout"),
    mainThreadPercent: ((after.task - before.task) / seconds) * 100,
    // When in the window (s) and how long (ms), to line them up with what the page was doing.
    longTasks: found.longTasks.map((t) => ({ at: (t.start - windowStart) / 1000, ms: t.duration })),
    longFrames: found.longFrames.map((f) => ({ at: (f.start - windowStart) / 1000, ms: f.duration, blockingMs: f.blocking })),
  };
}

function summarize(values) {
  if (values.length === 0) return null;
  const { p50, p95, max } = percentiles(values);
  return { p50, p95, max, mean: values.reduce((a, b) => a + b, 0) / values.length };
}

async function main() {
  if (!existsSync(path.join(WEB_DIST, "index.html"))) throw new Error(`${WEB_DIST} has no build: run npm run build first`);
  const machine = machineInfo();
  const work = mkdtempSync(path.join(os.tmpdir(), "statusmonitor-bench-web-"));
  const results = { date: new Date().toISOString(), machine };
  let hub;
  let browser;
  let feeder;
  try {
    // 1. What a first visit downloads.
    results.assets = initialAssetSizes(WEB_DIST);

    // The hub serves the dashboard build and, beside it, the bench page.
    const webDir = path.join(work, "web");
    cpSync(WEB_DIST, webDir, { recursive: true });
    await buildBenchPage(path.join(webDir, "bench"));
    hub = await startHub({ hub: HUB_MAIN, dataDir: path.join(work, "hub"), env: { WEB_DIR: webDir, INGEST_RATE_LIMIT_PER_S: "100" } });
    const launched = await launchChromium();
    browser = launched.browser;
    results.chromium = launched.version;

    if (Number(flags["wait-quiet"]) > 0) await waitQuiet(Number(flags["wait-quiet"]));
    // The big chart first, on a quiet machine (nothing streams yet).
    results.points = await measurePoints(browser, hub.url, "history");
    results.pointsBare = await measurePoints(browser, hub.url, "uplot");

    const probes = probesForDashboard();
    const agent = await prepareAgent(hub);
    feeder = startSampleFeeder(hub, agent.token, 1000, agent.nextSeq);
    results.firstPaint = await measureFirstPaint(browser, hub.url, probes, agent.id);
    results.dashboard = await measureLiveWindow(browser, hub.url, probes, `/agents/${agent.id}`);
    results.charts12 = await measureLiveWindow(browser, hub.url, probes, `/bench/?mode=live&agent=${agent.id}&charts=${flags.charts}`, "live-ready");
    results.charts12.charts = Number(flags.charts);
    results.fed = feeder.stop();
    feeder = undefined;
  } finally {
    feeder?.stop();
    await browser?.close();
    if (hub) await stopHub(hub);
    rmSync(work, { recursive: true, force: true });
  }
  report(results);
  if (flags.json) {
    mkdirSync(path.dirname(path.resolve(flags.json)), { recursive: true });
    writeFileSync(flags.json, JSON.stringify(results, null, 2));
  }
}

function report(r) {
  const m = r.machine;
  console.log(`\nWeb dashboard benchmark — ${r.date}`);
  console.log(`machine: ${m.cpus} CPUs (${m.model}), ${m.ramGiB} GiB RAM, Node ${m.node}, ${m.os}; Chromium ${r.chromium}\n`);
  const rows = [];
  rows.push(["initial JS (gzip -9)", kib(r.assets.js.gzip), `raw ${kib(r.assets.js.raw)}; all ${r.assets.allJs.count} JS files ${kib(r.assets.allJs.gzip)} gzip`, "≤ 250 KB", r.assets.js.gzip <= 250_000 ? "yes" : "no"]);
  rows.push(["initial CSS (gzip -9)", kib(r.assets.css.gzip), `raw ${kib(r.assets.css.raw)}`, "", ""]);
  for (const [key, what] of [["points", "history chart"], ["pointsBare", "bare uPlot chart"]]) {
    if (!r[key]) continue;
    const { cold, warm } = r[key];
    const n = r[key].n.toLocaleString("en");
    rows.push([`first render, ${n}-point ${what} (cold)`, ms(median(cold)), `median of ${cold.length} fresh pages; max ${ms(Math.max(...cold))}`, "≤ 50 ms", Math.max(...cold) <= 50 ? "yes" : median(cold) <= 50 ? "median" : "no"]);
    if (warm.length) rows.push([`  same, warm`, ms(median(warm)), `median of ${warm.length}; max ${ms(Math.max(...warm))}`, "≤ 50 ms", Math.max(...warm) <= 50 ? "yes" : median(warm) <= 50 ? "median" : "no"]);
  }
  if (r.firstPaint) {
    const paints = r.firstPaint.map((run) => run.paint);
    const samples = r.firstPaint.map((run) => run.firstSample);
    rows.push([`first live chart paint (${paints.length} cold loads)`, ms(median(paints)), `median; max ${ms(Math.max(...paints))}; DOMContentLoaded ${ms(median(r.firstPaint.map((run) => run.domContentLoaded)))}`, "", ""]);
    rows.push(["  first streamed sample drawn", ms(median(samples)), `median; max ${ms(Math.max(...samples))} (samples arrive once a second)`, "", ""]);
  }
  for (const [key, what] of [["charts12", `${r.charts12?.charts} live charts (bench page)`], ["dashboard", "live tab (4 charts + cards)"]]) {
    const w = r[key];
    if (!w) continue;
    const s = w.sampleMs;
    rows.push([`per-sample update, ${what}`, s ? ms(s.p50) : "—", s ? `p95 ${ms(s.p95)}, max ${ms(s.max)}, ${w.samples} samples` : "no samples", "≤ 4 ms", s && s.max <= 4 ? "yes" : s && s.p95 <= 4 ? "p95" : "no"]);
    rows.push([`  main thread per sample`, ms(w.mainThreadMsPerSample), `script ${ms(w.scriptMsPerSample)}, style ${ms(w.styleMsPerSample)}, layout ${ms(w.layoutMsPerSample)}; ${w.mainThreadPercent.toFixed(1)} % of a core`, "", ""]);
    const longest = Math.max(0, ...w.longTasks.map((t) => t.ms));
    const frames = w.longFrames.map((f) => f.ms);
    rows.push([`  long tasks > 50 ms in ${w.seconds.toFixed(0)} s`, String(w.longTasks.length), `longest ${ms(longest)}; long animation frames ${frames.length}${frames.length ? ` (longest ${ms(Math.max(...frames))})` : ""}`, "none", w.longTasks.length === 0 ? "yes" : "no"]);
  }
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((row) => row[i].length), ["measure", "value", "detail", "target", "met"][i].length));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(line(["measure", "value", "detail", "target", "met"]));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
