/** The Linux collectors wired together: one sample reads every family in parallel and keeps each one's state. */
import { withoutUndefined } from "../collector.js";
import { guarded, oneAtATime, type PlatformCollectors, type SampleBody } from "../platform.js";
import type { SystemSource } from "../source.js";
import { collectCpu, type CpuState } from "./cpu.js";
import { collectDiskIo, type DiskIoState } from "./disk-io.js";
import { collectFilesystems, type FilesystemsState } from "./filesystems.js";
import { collectUptime, readHostFacts, readStaticHostFacts, type StaticHostFacts } from "./host.js";
import { collectMemory } from "./memory.js";
import { collectNetwork } from "./network.js";
import { collectTemperatures, type TemperaturesState } from "./temperatures.js";

interface LinuxState {
  cpu?: CpuState;
  filesystems?: FilesystemsState;
  diskIo?: DiskIoState;
  temperatures?: TemperaturesState;
}

export function createLinuxCollectors(source: SystemSource): PlatformCollectors {
  let state: LinuxState = {};
  let staticFacts: Promise<StaticHostFacts> | undefined;

  async function take(now: number): Promise<SampleBody> {
    const [cpu, memory, filesystems, diskIo, network, temperatures, uptime] = await Promise.all([
      guarded(() => collectCpu(source, state.cpu, now), state.cpu),
      guarded(() => collectMemory(source, undefined, now), undefined),
      guarded(() => collectFilesystems(source, state.filesystems, now), state.filesystems),
      guarded(() => collectDiskIo(source, state.diskIo, now), state.diskIo),
      guarded(() => collectNetwork(source, undefined, now), undefined),
      guarded(() => collectTemperatures(source, state.temperatures, now), state.temperatures),
      guarded(() => collectUptime(source, undefined, now), undefined),
    ]);
    state = { cpu: cpu.state, filesystems: filesystems.state, diskIo: diskIo.state, temperatures: temperatures.state };
    return withoutUndefined({
      timestamp: now,
      cpu: cpu.value,
      memory: memory.value,
      disks: filesystems.value,
      disk_io: diskIo.value,
      network: network.value && { interfaces: network.value },
      temperatures: temperatures.value,
      uptime_s: uptime.value,
    });
  }

  return {
    sample: oneAtATime(take),
    async facts() {
      staticFacts ??= readStaticHostFacts(source);
      return readHostFacts(source, await staticFacts);
    },
  };
}
