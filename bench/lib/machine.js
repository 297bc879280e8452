/** The benchmark machine: what it is, how busy all of its CPUs are (/proc/stat), and waiting for it to be quiet. */
import { readFileSync } from "node:fs";
import os from "node:os";

const CLOCK_TICKS_PER_S = 100;

/** Busy and total CPU seconds of the whole machine, from /proc/stat. */
export function machineCpuSeconds() {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = fields[3] + fields[4];
  return { busy: (total - idle) / CLOCK_TICKS_PER_S, total: total / CLOCK_TICKS_PER_S };
}

/** Waits (bounded) until the machine is nearly idle, so a neighbour's burst does not land in a phase. */
export async function waitQuiet(maxS) {
  const deadline = Date.now() + maxS * 1000;
  for (;;) {
    const before = machineCpuSeconds();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = machineCpuSeconds();
    const busyPercent = (100 * (after.busy - before.busy)) / (after.total - before.total);
    if (busyPercent < 10) return;
    if (Date.now() > deadline) {
      console.log(`  (machine still ${busyPercent.toFixed(0)} % busy after waiting ${maxS} s; measuring anyway)`);
      return;
    }
  }
}

/** CPU count and model, RAM, Node and OS versions, for the report. */
export function machineInfo() {
  const model = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  return {
    cpus: os.availableParallelism(),
    model: model.trim(),
    ramGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}
