/**
 * The Kafka names the bus uses (two topics and the consumer groups, all under the configured prefix)
 * and their creation at start-up: idempotent, and safe when several hubs start at the same moment.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Admin, ClusterMetadata } from "@platformatic/kafka";
import type { SampleGroup } from "../../core/bus.js";
import type { Logger } from "../../core/logger.js";
import { hasProtocolError } from "./kafka-errors.js";

const HOUR_MS = 60 * 60_000;
/** A topic just created has no partition leaders for a moment; consumers and producers need them. */
const LEADERS_TIMEOUT_MS = 30_000;
const LEADERS_POLL_MS = 100;
/** Samples are kept a day: enough for a consumer group down overnight to catch up. */
export const METRICS_RETENTION_MS = 24 * HOUR_MS;
/** Control events matter only to processes running now; an hour covers a slow restart. */
export const CONTROL_RETENTION_MS = HOUR_MS;

export interface BusNames {
  metricsTopic: string;
  controlTopic: string;
  /** The consumer group of a shared sample group (`history`, `alerts`) or of this process's live feed. */
  sampleGroupId(group: SampleGroup): string;
  controlGroupId: string;
}

/** `instanceId` makes the live and control groups private to one process, so each process reads everything. */
export function busNames(prefix: string, instanceId: string): BusNames {
  return {
    metricsTopic: `${prefix}metrics`,
    controlTopic: `${prefix}control`,
    sampleGroupId: (group) => (group === "live" ? `${prefix}live-${instanceId}` : `${prefix}${group}`),
    controlGroupId: `${prefix}control-${instanceId}`,
  };
}

export interface TopicLayout {
  metricsPartitions: number;
  replicationFactor: number;
}

interface TopicSpec {
  name: string;
  partitions: number;
  retentionMs: number;
}

/**
 * With three or more replicas an acknowledged write survives losing a broker (acks=all waits for two);
 * with fewer, requiring two would stop ingest whenever one broker is down.
 */
export function minInSyncReplicas(replicationFactor: number): number {
  return replicationFactor >= 3 ? 2 : 1;
}

/** Creates the metrics and control topics when missing; an existing topic is left as it is (with a warning when it differs). */
export async function ensureTopics(o: { admin: Admin; names: BusNames; layout: TopicLayout; logger: Logger }): Promise<void> {
  const specs: TopicSpec[] = [
    { name: o.names.metricsTopic, partitions: o.layout.metricsPartitions, retentionMs: METRICS_RETENTION_MS },
    { name: o.names.controlTopic, partitions: 1, retentionMs: CONTROL_RETENTION_MS },
  ];
  const existing = new Set(await o.admin.listTopics());
  for (const spec of specs) {
    if (!existing.has(spec.name)) await createTopic(o.admin, spec, o.layout.replicationFactor, o.logger);
  }
  const metadata = await waitForLeaders(o.admin, specs.map((spec) => spec.name));
  for (const spec of specs) {
    const partitions = metadata.topics.get(spec.name)?.partitionsCount;
    if (partitions !== spec.partitions) {
      o.logger.warn({ topic: spec.name, partitions, configured: spec.partitions }, "existing Kafka topic has a different partition count; keeping it");
    }
  }
}

/** Larger than the broker's 1 MB default: 8 MiB holds a full ingest batch even uncompressed. */
const MAX_RECORD_BATCH_BYTES = 8 * 1024 * 1024;

async function createTopic(admin: Admin, spec: TopicSpec, replicationFactor: number, logger: Logger): Promise<void> {
  try {
    await admin.createTopics({
      topics: [spec.name],
      partitions: spec.partitions,
      replicas: replicationFactor,
      configs: [
        { name: "retention.ms", value: String(spec.retentionMs) },
        // A back-fill batch of one agent (up to 1,000 samples) is one record batch on one partition.
        { name: "max.message.bytes", value: String(MAX_RECORD_BATCH_BYTES) },
        { name: "min.insync.replicas", value: String(minInSyncReplicas(replicationFactor)) },
      ],
    });
    logger.info({ topic: spec.name, partitions: spec.partitions, replicationFactor }, "created Kafka topic");
  } catch (err) {
    // Another hub starting at the same time created it first: that is what we wanted.
    if (hasProtocolError(err, "TOPIC_ALREADY_EXISTS")) return;
    throw err;
  }
}

async function waitForLeaders(admin: Admin, topics: string[]): Promise<ClusterMetadata> {
  const deadline = Date.now() + LEADERS_TIMEOUT_MS;
  for (;;) {
    const metadata = await admin.metadata({ topics, forceUpdate: true });
    const led = topics.every((topic) => metadata.topics.get(topic)?.partitions.every((partition) => partition.leader >= 0));
    if (led) return metadata;
    if (Date.now() > deadline) throw new Error(`Kafka topics ${topics.join(", ")} have no leader after ${LEADERS_TIMEOUT_MS} ms`);
    await sleep(LEADERS_POLL_MS);
  }
}
