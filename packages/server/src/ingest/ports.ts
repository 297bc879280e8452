/** What ingestion needs from storage: a durable, de-duplicating journal of accepted samples. */
import type { Sample } from "@statusmonitor/protocol";

export interface SampleJournal {
  /**
   * Keeps the samples of one agent that are new (no sample with the same timestamp accepted before),
   * hands them to `publish` and resolves with them once they would survive a crash of the process.
   * A journal that is its own store (SQLite) writes them first; one whose durability is the bus
   * itself (Redis in front of Kafka) records them only after `publish` resolved, so an interrupted
   * publish leaves them new for the agent's retry. A rejected `publish` rejects the append.
   */
  append(agentId: number, samples: Sample[], receivedAt: number, publish: (fresh: Sample[]) => Promise<void>): Promise<Sample[]>;
  /** The newest accepted sample of the agent by timestamp. */
  newest(agentId: number): Promise<Sample | undefined>;
  /** Removes entries received before `cutoff`, a bounded batch at a time; returns how many went. */
  prune(receivedBefore: number, maxRows: number): Promise<number>;
}
