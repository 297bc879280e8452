/** The collectors for macOS, Windows and any other non-Linux platform: what Node's `os` module and statfs can tell, the rest absent. */
import os from "node:os";
import { withoutUndefined } from "../collector.js";
import { oneAtATime, type PlatformCollectors, type SampleBody } from "../platform.js";
import type { SystemSource } from "../source.js";
import { collectPortableCpu, type PortableCpuState } from "./cpu.js";
import { collectPortableDisks, systemVolume } from "./disks.js";
import { readPortableHostFacts, readPortableOsName } from "./host.js";
import { collectPortableMemory } from "./memory.js";
import type { OsApi } from "./os-api.js";

export function createPortableCollectors(
  source: SystemSource,
  platform: NodeJS.Platform,
  osApi: OsApi = os,
  clock: () => number = Date.now,
): PlatformCollectors {
  let cpuState: PortableCpuState | undefined;
  let osName: Promise<string> | undefined;
  const volume = systemVolume(osApi, platform);

  async function take(now: number): Promise<SampleBody> {
    const cpu = collectPortableCpu(osApi, platform, cpuState);
    cpuState = cpu.state;
    const disks = await collectPortableDisks(source, volume).catch(() => undefined);
    return withoutUndefined({
      timestamp: now,
      cpu: cpu.value,
      memory: collectPortableMemory(osApi),
      disks,
      uptime_s: osApi.uptime(),
    });
  }

  return {
    sample: oneAtATime(take),
    async facts() {
      osName ??= readPortableOsName(source, osApi, platform);
      return readPortableHostFacts(source, osApi, await osName, clock());
    },
  };
}
