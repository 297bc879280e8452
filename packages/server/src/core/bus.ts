/**
 * The message bus port. Samples flow from ingest to three consumer groups (history, alerts, live);
 * control events reach every process (an agent deleted, a token replaced, a session ended, alert
 * rules edited). Embedded it is in-process; scaled out it is Kafka.
 */
import type { Sample } from "@statusmonitor/protocol";

export type ControlEvent =
  | { type: "agent_deleted"; agent_id: number; user_id: number }
  | { type: "agent_token_changed"; agent_id: number; token_hash: string }
  | { type: "session_ended"; session_id: string; user_id: number }
  | { type: "user_deleted"; user_id: number }
  | { type: "alert_rules_changed"; user_id: number };

export interface SampleEnvelope {
  agent_id: number;
  user_id: number;
  /** Epoch ms when the hub accepted the sample (journal cursor, delivery-latency metrics). */
  received_at: number;
  /** True for samples older than the agent's newest one (back-fill after an outage). */
  backfill: boolean;
  sample: Sample;
}

/**
 * Who reads samples. The processes of a shared group (`history`, `alerts`) split the agents between
 * them (each agent's samples go to one of them, in order) and resume where the group left off after a
 * restart; every `live` subscriber gets every sample published from the moment it subscribed.
 */
export type SampleGroup = "history" | "alerts" | "live";

/**
 * Handles a batch of samples. A durable bus counts a batch as processed once the promise returned for
 * it and for every earlier batch has resolved, and delivers unprocessed batches again after a crash or
 * a rebalance (at least once: handlers must be idempotent). A rejected promise is retried, not skipped.
 */
export type SampleHandler = (samples: SampleEnvelope[]) => void | Promise<void>;

export type Unsubscribe = () => void;

export interface Subscription {
  /** Stops delivery; resolves once no handler call of this subscription is running. */
  close(): Promise<void>;
}

export interface Bus {
  /** Resolves once the samples are durable on the bus (Kafka: acknowledged by all in-sync replicas). */
  publishSamples(samples: SampleEnvelope[]): Promise<void>;
  /** Resolves once the subscription receives what is published from now on. */
  subscribeSamples(group: SampleGroup, handler: SampleHandler): Promise<Subscription>;
  publishControl(event: ControlEvent): Promise<void>;
  /** Every process receives every control event published after it started. */
  onControl(handler: (event: ControlEvent) => void): Unsubscribe;
}
