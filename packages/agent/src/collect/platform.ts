/** What each platform's set of collectors offers the sampler: one sample at a time, and the host facts. */
import type { AgentFacts, BatchSample } from "@statusmonitor/protocol";
import type { Collected } from "./collector.js";

/** A sample as collected, before the runtime numbers it. */
export type SampleBody = Omit<BatchSample, "seq">;

export interface PlatformCollectors {
  sample(now: number): Promise<SampleBody>;
  facts(): Promise<Omit<AgentFacts, "version">>;
}

/**
 * Runs one collector so that a failure costs only its own family: the value is absent and the
 * previous state is kept for the next call.
 */
export async function guarded<State, Value>(
  run: () => Promise<Collected<State, Value>>,
  prev: State | undefined,
): Promise<Collected<State | undefined, Value>> {
  try {
    return await run();
  } catch {
    return { state: prev, value: undefined };
  }
}

/** Runs `take` calls strictly one after another: samples are differences from the previous one. */
export function oneAtATime<T>(take: (now: number) => Promise<T>): (now: number) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return (now) => {
    const next = queue.then(() => take(now));
    queue = next.catch(() => undefined);
    return next;
  };
}
