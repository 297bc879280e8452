/** What one process costs, from /proc: CPU time of all its threads in nanoseconds, and memory split into its own (anonymous) pages and mapped-file pages. */
import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU seconds (user + system) of every live thread, from /proc/<pid>/task/<tid>/schedstat, which
 * counts nanoseconds; /proc/<pid>/stat counts 10 ms ticks, too coarse for a process using 0.2 %
 * of a core over two minutes.
 */
export function threadCpuSecondsOf(pid) {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns / 1e9;
}

/**
 * Memory in MiB from /proc/<pid>/status: `rss` (VmRSS, what `ps` and `top` show), `peak` (VmHWM,
 * the highest RSS since start), `anon` (the process's own heap and stacks) and `file` (pages of the
 * executable and libraries: shared with other processes mapping the same files, and reclaimable).
 */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
  return {
    rss: kib("VmRSS") / 1024,
    peak: kib("VmHWM") / 1024,
    anon: kib("RssAnon") / 1024,
    file: kib("RssFile") / 1024,
    threads: kib("Threads"),
  };
}
