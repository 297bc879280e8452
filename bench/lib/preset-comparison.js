/**
 * The ingest benchmark's side-by-side report of the embedded and distributed presets under the same
 * workload: latency and throughput per phase, then CPU and memory of every process per phase.
 */
import { fmt, printTable } from "./text-table.js";

/** `runs`: `[{ preset, results }]`, each result a phase of bench/ingest.js (same phase names in both runs). */
export function printComparison(runs) {
  const phases = [...new Set(runs.flatMap((run) => run.results.map((r) => r.name)))];
  const phase = (run, name) => run.results.find((r) => r.name === name);
  const initials = runs.map((run) => run.preset[0].toUpperCase());
  const pair = (label) => initials.map((initial) => `${label} ${initial}`);
  const cells = (name, cell) => runs.map((run) => (phase(run, name) ? cell(phase(run, name)) : "-"));

  console.log(`\nSide by side (${runs.map((run, i) => `${initials[i]} = ${run.preset}`).join(", ")}; latencies from request start)\n`);
  printTable(
    ["phase", ...pair("acked/s"), ...pair("ack p99"), ...pair("deliv p99"), ...pair("hist lag"), ...pair("hist stored"), ...pair("errors"), ...pair("undeliv")],
    phases.map((name) => [
      name,
      ...cells(name, (r) => fmt(r.achieved, 0)),
      ...cells(name, (r) => `${fmt(r.ackP99)} ms`),
      ...cells(name, (r) => `${fmt(r.deliveryP99)} ms`),
      ...cells(name, (r) => historyLagCell(r.historyLag)),
      ...cells(name, (r) => historyStoredCell(r.historyLag)),
      ...cells(name, (r) => String(Object.values(r.errors).reduce((a, b) => a + b, 0))),
      ...cells(name, (r) => String(r.undelivered)),
    ]),
  );

  console.log("\nCPU (100 % = one core) and peak memory of each process, per phase\n");
  const rows = [];
  for (const run of runs) {
    const usageRow = (label, cell) => [`${run.preset}: ${label}`, ...phases.map((name) => (phase(run, name) ? cell(phase(run, name)) : "-"))];
    for (const { name } of run.results[0].processes) {
      rows.push(usageRow(name, (r) => usageCell(r.processes.find((p) => p.name === name))));
    }
    rows.push(usageRow("all measured processes", (r) => usageCell(total(r.processes))));
    rows.push(usageRow("load generator (CPU)", (r) => `${fmt(r.generatorCpuPercent, 0)} %`));
    rows.push(usageRow("rest of the machine (CPU)", (r) => `${fmt(r.otherCpuPercent, 0)} %`));
  }
  printTable(["process", ...phases], rows);
}

function total(processes) {
  return processes.reduce((sum, p) => ({ cpuPercent: sum.cpuPercent + p.cpuPercent, peakMiB: sum.peakMiB + p.peakMiB }), { cpuPercent: 0, peakMiB: 0 });
}

function usageCell(usage) {
  return usage ? `${fmt(usage.cpuPercent, 0)} % / ${fmt(usage.peakMiB, 0)} MiB` : "-";
}

/** The slowest of the probed agents, and how many were found when not all. */
export function historyLagCell(lag) {
  if (!lag) return "-";
  const found = lag.seconds.length;
  const slowest = found > 0 ? `${fmt(lag.seconds[found - 1], 2)} s` : "none";
  return lag.missing.length > 0 ? `${slowest} (${found}/${found + lag.missing.length})` : slowest;
}

/** Samples of the probed agents in history out of those they had acknowledged in the phase. */
export function historyStoredCell(lag) {
  return lag ? `${lag.stored}/${lag.acknowledged}` : "-";
}
