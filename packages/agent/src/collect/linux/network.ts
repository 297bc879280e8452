/** Cumulative counters per network interface from /proc/net/dev; the hub derives totals and rates. */
import type { BatchSample } from "@statusmonitor/protocol";
import { MAX_INTERFACES } from "@statusmonitor/protocol/limits";
import type { Collector } from "../collector.js";

export type InterfaceCounters = NonNullable<BatchSample["network"]>["interfaces"][number];

/**
 * Loopback is traffic the machine sends itself. veth devices are the host ends of container pairs:
 * their traffic also crosses the bridge they hang off, and a busy Docker host has hundreds of them,
 * which would swamp the per-interface list and the wire budget.
 */
const SKIPPED = /^(lo|veth.*)$/;

export function parseNetDev(text: string): InterfaceCounters[] {
  const interfaces: InterfaceCounters[] = [];
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const n = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (!name || n.length < 16 || n.some((v) => !Number.isFinite(v))) continue;
    interfaces.push({
      name,
      bytes_recv: n[0]!,
      packets_recv: n[1]!,
      errin: n[2]!,
      dropin: n[3]!,
      bytes_sent: n[8]!,
      packets_sent: n[9]!,
      errout: n[10]!,
      dropout: n[11]!,
    });
  }
  return interfaces;
}

export const collectNetwork: Collector<undefined, InterfaceCounters[]> = async (source) => {
  const text = await source.readText("/proc/net/dev");
  if (text === undefined) return { state: undefined, value: undefined };
  return { state: undefined, value: parseNetDev(text).filter((i) => !SKIPPED.test(i.name)).slice(0, MAX_INTERFACES) };
};
