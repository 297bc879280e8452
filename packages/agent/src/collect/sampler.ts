/** The agent's sampler: picks the collectors for this platform and adds the agent's version to the host facts. */
import type { AgentFacts } from "@statusmonitor/protocol";
import { createLinuxCollectors } from "./linux/index.js";
import type { SampleBody } from "./platform.js";
import { createPortableCollectors } from "./portable/index.js";
import { liveSource, type SystemSource } from "./source.js";
import { VERSION } from "./version.js";

export type { SampleBody } from "./platform.js";

export interface Sampler {
  /** One sample stamped `now`; CPU usage is a difference, so the very first sample has none. */
  sample(now: number): Promise<SampleBody>;
  facts(): Promise<AgentFacts>;
}

export function createSampler(source: SystemSource = liveSource(), platform: NodeJS.Platform = process.platform): Sampler {
  const collectors = platform === "linux" ? createLinuxCollectors(source) : createPortableCollectors(source, platform);
  return {
    sample: (now) => collectors.sample(now),
    facts: async () => ({ ...(await collectors.facts()), version: VERSION }),
  };
}
