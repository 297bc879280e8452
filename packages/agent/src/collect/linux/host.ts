/** Host facts on Linux (hostname, OS, kernel, architecture, boot time) and the uptime of each sample. */
import type { AgentFacts } from "@statusmonitor/protocol";
import { withoutUndefined, type Collector } from "../collector.js";
import type { SystemSource } from "../source.js";
import { parseProcStat } from "./proc-stat.js";

export type HostFacts = Omit<AgentFacts, "version">;

/** The value of one key of an os-release file (shell-style quoting, as os-release(5) specifies). */
export function osReleaseValue(text: string, key: string): string | undefined {
  for (const line of text.split("\n")) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!match || match[1] !== key) continue;
    const raw = match[2]!.trim();
    const quoted = /^(["'])(.*)\1$/.exec(raw);
    const value = quoted ? (quoted[1] === '"' ? quoted[2]!.replace(/\\(["\\`$])/g, "$1") : quoted[2]!) : raw;
    return value || undefined;
  }
  return undefined;
}

/** "Debian GNU/Linux 12 (bookworm)": PRETTY_NAME, else NAME and VERSION, else plain "Linux". */
export async function readOsName(source: SystemSource): Promise<string> {
  const text = (await source.readText("/etc/os-release")) ?? (await source.readText("/usr/lib/os-release"));
  if (text === undefined) return "Linux";
  const pretty = osReleaseValue(text, "PRETTY_NAME");
  if (pretty) return pretty;
  return [osReleaseValue(text, "NAME") ?? "Linux", osReleaseValue(text, "VERSION")].filter(Boolean).join(" ");
}

/** The facts that cannot change while the process runs; read once and kept by the caller. */
export interface StaticHostFacts {
  os: string;
  kernel: string | undefined;
}

export async function readStaticHostFacts(source: SystemSource): Promise<StaticHostFacts> {
  const [os, kernel] = await Promise.all([readOsName(source), source.readText("/proc/sys/kernel/osrelease")]);
  return { os: os.slice(0, 128), kernel: kernel?.trim().slice(0, 128) || undefined };
}

/** Host facts; the boot time is read each time because the kernel recomputes it when the clock is stepped. */
export async function readHostFacts(source: SystemSource, fixed: StaticHostFacts, arch: string = process.arch): Promise<HostFacts> {
  const stat = await source.readText("/proc/stat");
  return withoutUndefined({
    hostname: source.hostname().slice(0, 255),
    os: fixed.os,
    arch,
    boot_time: stat === undefined ? undefined : parseProcStat(stat).bootTimeMs,
    kernel: fixed.kernel,
  });
}

/** Seconds since boot, from the first field of /proc/uptime. */
export const collectUptime: Collector<undefined, number> = async (source) => {
  const seconds = Number((await source.readText("/proc/uptime"))?.trim().split(/\s+/)[0]);
  return { state: undefined, value: Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined };
};
