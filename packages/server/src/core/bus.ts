/**
 * The message bus port. `metrics` carries every accepted sample keyed by agent; `control` carries
 * the events other instances must act on (an agent deleted, a token replaced, a session ended, alert rules edited).
 * Embedded it is in-process; scaled out it is Kafka.
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
  /** Monotonic hub time when the sample was accepted (for delivery-latency metrics). */
  received_at: number;
  /** True for samples older than the agent's newest one (back-fill after an outage). */
  backfill: boolean;
  sample: Sample;
}

export type Unsubscribe = () => void;

export interface Bus {
  publishSamples(samples: SampleEnvelope[]): Promise<void>;
  onSamples(handler: (samples: SampleEnvelope[]) => void): Unsubscribe;
  publishControl(event: ControlEvent): Promise<void>;
  onControl(handler: (event: ControlEvent) => void): Unsubscribe;
}
