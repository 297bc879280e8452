/**
 * Kafka implementation of the Bus port for the distributed preset. Samples go to `<prefix>metrics`
 * keyed by agent (one agent's samples stay in order on one partition), control events to
 * `<prefix>control`; `history` and `alerts` are consumer groups shared by every process, while the
 * live feed and the control events are read by each process in a group of its own.
 */
import type { ComponentStatus } from "@statusmonitor/protocol";
import { Admin } from "@platformatic/kafka";
import type { Bus, ControlEvent, SampleEnvelope, SampleGroup, SampleHandler, Subscription, Unsubscribe } from "../../core/bus.js";
import type { Logger } from "../../core/logger.js";
import { decodeControl, encodeControl, encodeSample } from "./codec.js";
import { Publisher } from "./publisher.js";
import { LiveFeed, subscribeSharedGroup, type ReaderSettings } from "./sample-readers.js";
import { logMalformed } from "./sample-batch.js";
import { TopicReader, type RawRecord } from "./topic-reader.js";
import { busNames, ensureTopics, type BusNames } from "./topics.js";

export interface KafkaBusOptions {
  bootstrapServers: string[];
  clientId: string;
  /** Put before every topic and consumer-group name, so several hubs can share a cluster. */
  topicPrefix: string;
  /** Partitions of a newly created metrics topic: the most consumers a shared group can keep busy. */
  metricsPartitions: number;
  replicationFactor: number;
  /**
   * Unique per process: names the groups of this process's live feed and control events. Best new per
   * start too: a process restarted under the same id waits for its crashed self to time out of them.
   */
  instanceId: string;
  logger: Logger;
}

export class KafkaBus implements Bus {
  private readonly names: BusNames;
  private publisher: Publisher | undefined;
  private control: TopicReader | undefined;
  private readonly controlHandlers = new Set<(event: ControlEvent) => void>();
  private liveFeed: Promise<LiveFeed> | undefined;
  private readonly sharedSubscriptions = new Set<Subscription>();
  private stopped = false;

  constructor(private readonly o: KafkaBusOptions) {
    this.names = busNames(o.topicPrefix, o.instanceId);
  }

  /** Creates the topics when missing and starts reading control events; resolves once they are read from now on. */
  async start(): Promise<void> {
    const admin = new Admin({ clientId: this.o.clientId, bootstrapBrokers: this.o.bootstrapServers });
    try {
      await ensureTopics({ admin, names: this.names, layout: this.o, logger: this.o.logger });
    } finally {
      await admin.close();
    }
    const publisher = new Publisher({ bootstrapServers: this.o.bootstrapServers, clientId: this.o.clientId, logger: this.o.logger });
    const control = new TopicReader({
      ...this.readerSettings(this.names.controlGroupId, this.names.controlTopic),
      from: "latest",
      onRecords: (records) => this.dispatchControl(records),
    });
    try {
      await control.start();
    } catch (err) {
      // Not started, so nobody will stop it.
      await publisher.close();
      throw err;
    }
    this.publisher = publisher;
    this.control = control;
  }

  /** Closes every subscription (waiting for their handlers), then the consumers and the producer. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.sharedSubscriptions].map((subscription) => subscription.close()));
    const liveFeed = await this.liveFeed?.catch(() => undefined);
    await liveFeed?.close();
    await this.control?.close();
    await this.publisher?.close();
  }

  /** Whether the brokers answer and every partition of the bus's topics has a leader. */
  async health(): Promise<{ status: ComponentStatus; detail: string }> {
    const topics = [this.names.metricsTopic, this.names.controlTopic];
    const metadata = await this.requirePublisher().metadata(topics);
    const leaderless = topics.filter((topic) => !metadata.topics.get(topic)?.partitions.every((partition) => partition.leader >= 0));
    const brokers = `kafka, ${metadata.brokers.size} broker${metadata.brokers.size === 1 ? "" : "s"}`;
    return leaderless.length > 0 ? { status: "degraded", detail: `${brokers}; no leader for ${leaderless.join(", ")}` } : { status: "ok", detail: brokers };
  }

  async publishSamples(samples: SampleEnvelope[]): Promise<void> {
    await this.requirePublisher().send(samples.map((envelope) => ({ topic: this.names.metricsTopic, ...encodeSample(envelope) })));
  }

  async subscribeSamples(group: SampleGroup, handler: SampleHandler): Promise<Subscription> {
    if (this.stopped || !this.publisher) throw new Error("the Kafka bus is not running");
    if (group === "live") return (await this.openLiveFeed()).subscribe(handler);
    const subscription = await subscribeSharedGroup(this.readerSettings(this.names.sampleGroupId(group), this.names.metricsTopic), handler);
    this.sharedSubscriptions.add(subscription);
    return {
      close: async () => {
        this.sharedSubscriptions.delete(subscription);
        await subscription.close();
      },
    };
  }

  async publishControl(event: ControlEvent): Promise<void> {
    await this.requirePublisher().send([{ topic: this.names.controlTopic, ...encodeControl(event) }]);
  }

  onControl(handler: (event: ControlEvent) => void): Unsubscribe {
    // Wrapped, so the same handler can be registered twice and removed once each.
    const registered = (event: ControlEvent) => handler(event);
    this.controlHandlers.add(registered);
    return () => this.controlHandlers.delete(registered);
  }

  /** One live consumer per process, started by the first live subscription and kept until `stop()`. */
  private openLiveFeed(): Promise<LiveFeed> {
    this.liveFeed ??= (async () => {
      const feed = new LiveFeed(this.readerSettings(this.names.sampleGroupId("live"), this.names.metricsTopic));
      await feed.start();
      return feed;
    })().catch((err: unknown) => {
      // Not kept: the next live subscription tries again.
      this.liveFeed = undefined;
      throw err;
    });
    return this.liveFeed;
  }

  private dispatchControl(records: RawRecord[]): void {
    for (const record of records) {
      const decoded = decodeControl(record.value);
      if (!decoded.ok) {
        logMalformed(this.o.logger, this.names.controlTopic, [{ partition: record.partition, offset: record.offset, reason: decoded.reason }]);
        continue;
      }
      for (const handler of [...this.controlHandlers]) {
        try {
          handler(decoded.value);
        } catch (err) {
          this.o.logger.error({ err, event: decoded.value.type }, "control event handler failed");
        }
      }
    }
  }

  private readerSettings(groupId: string, topic: string): ReaderSettings {
    return { bootstrapServers: this.o.bootstrapServers, clientId: this.o.clientId, groupId, topic, logger: this.o.logger };
  }

  private requirePublisher(): Publisher {
    if (!this.publisher || this.stopped) throw new Error("the Kafka bus is not running");
    return this.publisher;
  }
}
