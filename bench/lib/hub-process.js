/** The built hub (`statusmonitor serve`) as a child process for the benchmarks: start on a free port, stop, and its CPU and memory from /proc. */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import { poll } from "./concurrency.js";

const CLOCK_TICKS_PER_S = 100;

/**
 * Starts `main.js serve` on a loopback port chosen by the OS with `dataDir`, `LOG_LEVEL=warn` and
 * the given extra environment (a variable set to undefined is removed from the inherited one); with
 * `profileDir`, under `--cpu-prof`. Its stderr is echoed prefixed with `[label]`. Resolves once
 * /health answers.
 */
export async function startHub({ hub: mainJs, dataDir, env = {}, profileDir, buildHint = "npm run build", label = "hub" }) {
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run ${buildHint} first`);
  const nodeArgs = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
  const child = spawn(process.execPath, [...nodeArgs, mainJs, "serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => {
    output += chunk;
    process.stderr.write(`[${label}] ${chunk}`);
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = await poll(() => {
    if (gone) throw new Error(`the hub exited during start-up:\n${output}`);
    return /hub is running: (http:\/\/\S+)/.exec(output)?.[1];
  }, 20_000, "the hub to print its URL");
  const { hostname, port } = new URL(url);
  const hub = { child, exited, url, host: hostname, port: Number(port), output: () => output };
  await poll(async () => (await healthStatus(hub).catch(() => undefined)) === 200, 20_000, "GET /health");
  return hub;
}

function healthStatus(hub) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: hub.host, port: hub.port, path: "/health", agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
  });
}

/** SIGTERM (a graceful stop writes the CPU profile), then SIGKILL if it hangs. */
export async function stopHub(hub) {
  if (hub.child.exitCode !== null || hub.child.signalCode !== null) return;
  hub.child.kill("SIGTERM");
  const timer = setTimeout(() => hub.child.kill("SIGKILL"), 20_000);
  await hub.exited;
  clearTimeout(timer);
}

/** CPU seconds (user + system, all threads) the process has used, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** Resident set size in MiB, from /proc/<pid>/status. */
export function rssMiBOf(pid) {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb ?? 0) / 1024;
}

/**
 * Prints the warnings and errors each hub process logged (pino's JSON lines at level 40 and above on
 * its stdout; the benchmarks run it at LOG_LEVEL=warn), counted by message and Kafka error code, with
 * the first line of each kind cut at `width` characters.
 */
export function printHubWarnings(logs, width = 1500) {
  for (const { name, output } of logs) {
    const kinds = new Map();
    for (const line of output.split("\n")) {
      if (!/^\{.*"level":(4|5|6)\d\b/.test(line)) continue;
      const { level, msg } = JSON.parse(line);
      const codes = [...new Set([...line.matchAll(/"apiId":"([A-Z_]+)"/g)].map((m) => m[1]))];
      const kind = `level ${level} "${msg}"${codes.length > 0 ? ` (${codes.join(", ")})` : ""}`;
      const seen = kinds.get(kind) ?? { count: 0, first: line };
      seen.count++;
      kinds.set(kind, seen);
    }
    for (const [kind, { count, first }] of kinds) {
      console.log(`${name}: ${count} x ${kind}; the first:\n  ${first.slice(0, width)}`);
    }
  }
}
