/**
 * CPU time and peak memory of named groups of processes over one benchmark phase, from /proc. A
 * group's pids may change during the phase (database backends come and go with connection pools).
 */
import { cpuSecondsOf } from "./hub-process.js";
import { memoryOf } from "./process-usage.js";

const SAMPLE_EVERY_MS = 500;

/**
 * `groups`: `{ name, pids: () => number[] | Promise<number[]>, privateMemory?: boolean }`; memory is
 * the group's summed RSS, or with `privateMemory` its summed anonymous pages (for processes sharing a
 * big segment, like PostgreSQL backends with their shared buffers, whose RSS would count it once each).
 */
export class UsageMeter {
  constructor(groups) {
    this.groups = groups;
  }

  /** Records each process's CPU time now, then samples memory (and new processes) every 500 ms until `stop`. */
  async start() {
    this.state = this.groups.map((group) => ({ group, first: new Map(), last: new Map(), peakMiB: 0 }));
    await this.sample(true);
    this.timer = setInterval(() => void this.sample(false), SAMPLE_EVERY_MS);
  }

  /** `[{ name, cpuSeconds, peakMiB, processes }]` since `start`; a process that ended during the phase counts up to its last sample. */
  async stop() {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample(false);
    return this.state.map(({ group, first, last, peakMiB }) => ({
      name: group.name,
      cpuSeconds: [...last].reduce((sum, [pid, cpu]) => sum + cpu - first.get(pid), 0),
      peakMiB,
      processes: last.size,
    }));
  }

  sample(initial) {
    if (this.sampling && !initial) return this.sampling;
    this.sampling = this.takeSample(initial).finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  async takeSample(initial) {
    for (const s of this.state) {
      let memoryMiB = 0;
      for (const pid of await s.group.pids()) {
        let cpu;
        let memory;
        try {
          cpu = cpuSecondsOf(pid);
          memory = memoryOf(pid);
        } catch {
          continue; // it ended
        }
        // A process first seen after the start began during the phase: all of its CPU time is the phase's.
        if (!s.first.has(pid)) s.first.set(pid, initial ? cpu : 0);
        s.last.set(pid, cpu);
        memoryMiB += s.group.privateMemory ? memory.anon : memory.rss;
      }
      s.peakMiB = Math.max(s.peakMiB, memoryMiB);
    }
  }
}
