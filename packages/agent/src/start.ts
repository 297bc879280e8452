/** Wires a running agent from its configuration: sampler, disk buffer, hub client and runtime. */
import { DiskBuffer } from "./buffer/disk-buffer.js";
import { createSampler } from "./collect/sampler.js";
import type { AgentConfig } from "./config.js";
import { AgentRuntime } from "./runtime.js";
import { backoffMs, HubClient, ingestUrl } from "./send/sender.js";

export interface RunningAgent {
  runtime: AgentRuntime;
  /** Stops sampling, writes unsent samples to the buffer and closes it. */
  stop(): Promise<void>;
}

export async function startAgent(
  config: AgentConfig,
  log: (level: "info" | "warn" | "error", message: string) => void,
): Promise<RunningAgent> {
  const buffer = await DiskBuffer.open(config.bufferDir, { capBytes: config.bufferMaxMb * 1024 * 1024 });
  const runtime = new AgentRuntime({
    intervalS: config.intervalS,
    sampler: createSampler(),
    buffer,
    client: new HubClient({ url: ingestUrl(config.hubUrl), token: config.token }),
    backoffMs: (attempt) => backoffMs(attempt, Math.random),
    log,
  });
  const { samples: held, corrupt } = buffer.stats();
  if (held > 0) log("info", `${held} samples from an earlier run are waiting in ${config.bufferDir}; they are sent after the live ones`);
  if (corrupt > 0) log("warn", `${corrupt} damaged record(s) in ${config.bufferDir} were skipped`);
  runtime.start();
  return {
    runtime,
    stop: async () => {
      await runtime.stop();
      await buffer.close();
    },
  };
}
