/** The hub's own Prometheus metrics, in a registry per app instance (never the global one). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class HubMetrics {
  readonly registry = new Registry();
  readonly ingestRequests = new Counter({
    name: "statusmonitor_ingest_requests_total",
    help: "Accepted ingest requests by payload format.",
    labelNames: ["format"] as const,
    registers: [this.registry],
  });
  readonly ingestSamples = new Counter({
    name: "statusmonitor_ingest_samples_total",
    help: "Samples stored (new) and skipped as duplicates.",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly ingestRejects = new Counter({
    name: "statusmonitor_ingest_rejects_total",
    help: "Rejected ingest requests by error code.",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly ingestAckSeconds = new Histogram({
    name: "statusmonitor_ingest_ack_seconds",
    help: "Time from request start to the durable acknowledgement of an ingest.",
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly liveClients = new Gauge({
    name: "statusmonitor_live_clients",
    help: "Open live WebSocket connections.",
    registers: [this.registry],
  });
  readonly liveDeliverySeconds = new Histogram({
    name: "statusmonitor_live_delivery_seconds",
    help: "Time from ingest acceptance to the sample being written to a WebSocket.",
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly liveDropped = new Counter({
    name: "statusmonitor_live_coalesced_total",
    help: "Samples replaced by a newer one because a client was not keeping up.",
    registers: [this.registry],
  });
  readonly busLagSeconds = new Gauge({
    name: "statusmonitor_bus_lag_seconds",
    help: "Age of the newest sample when the live consumer handled it.",
    registers: [this.registry],
  });

  readonly historyJobSeconds = new Histogram({
    name: "statusmonitor_history_job_seconds",
    help: "Duration of the history jobs: flush_rollup (write chunks, roll up closed minutes) and retention.",
    labelNames: ["job"] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly historyBufferedRows = new Gauge({
    name: "statusmonitor_history_buffered_rows",
    help: "Samples accepted by the history writer and not yet written as chunks.",
    registers: [this.registry],
  });
  readonly alertTransitions = new Counter({
    name: "statusmonitor_alert_transitions_total",
    help: "Alerts fired and resolved, by what happened to their notification (pending, no_channel, suppressed).",
    labelNames: ["kind", "delivery"] as const,
    registers: [this.registry],
  });
  readonly alertNotifications = new Counter({
    name: "statusmonitor_alert_notification_attempts_total",
    help: "Notification attempts by channel and outcome (sent, retry, failed).",
    labelNames: ["channel", "outcome"] as const,
    registers: [this.registry],
  });
  readonly alertDeliveryBacklog = new Gauge({
    name: "statusmonitor_alert_delivery_backlog",
    help: "Notifications queued and not yet sent (a channel that is down makes this grow).",
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: "statusmonitor_" });
  }
}
