/** What ingestion needs from storage: a durable, de-duplicating journal of accepted samples. */
import type { Sample } from "@statusmonitor/protocol";

export interface SampleJournal {
  /**
   * Appends samples for one agent and resolves once they would survive a crash of the process.
   * Samples whose (agent, timestamp) is already stored are skipped; the result lists the new ones.
   */
  append(agentId: number, samples: Sample[], receivedAt: number): Promise<Sample[]>;
  /** The newest stored sample of the agent by timestamp. */
  newest(agentId: number): Promise<Sample | undefined>;
  /** Removes entries received before `cutoff`, a bounded batch at a time; returns how many went. */
  prune(receivedBefore: number, maxRows: number): Promise<number>;
}
