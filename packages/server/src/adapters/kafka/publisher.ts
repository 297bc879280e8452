/**
 * Writes records to Kafka durably: an idempotent producer (acks from all in-sync replicas, no
 * duplicates from its own retries) with ONE send in flight at a time. The client gives a partition's
 * records their sequence numbers when a send starts and moves them on only when the broker answers,
 * so two overlapping sends would carry the same numbers and the broker would acknowledge the second
 * as a duplicate without writing it (platformatic/kafka#326). Records arriving while a send is in
 * flight therefore wait and go together in the next one (group commit, which is also cheaper), and
 * each caller is answered when the send holding its records is acknowledged.
 */
import { Producer, type ClusterMetadata, type MessageToProduce } from "@platformatic/kafka";
import type { Logger } from "../../core/logger.js";

/** The client's own retries of one send (reconnects included) before the callers see the error. */
const SEND_RETRIES = 5;
const SEND_RETRY_DELAY_MS = 250;
/** Most records in one send: bounds a request's size (a bigger backlog goes in the following sends). */
const MAX_RECORDS_PER_SEND = 2_000;

interface Waiting {
  messages: MessageToProduce[];
  resolve(): void;
  reject(err: unknown): void;
}

export class Publisher {
  private producer: Producer;
  private queue: Waiting[] = [];
  private sending: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly o: { bootstrapServers: string[]; clientId: string; logger: Logger }) {
    this.producer = this.createProducer();
  }

  /** Resolves once every record is acknowledged by the in-sync replicas; all or none of a call's records fail. */
  send(messages: MessageToProduce[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the Kafka publisher is closed"));
    if (messages.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ messages, resolve, reject });
      this.sending ??= this.drain();
    });
  }

  /** Fresh cluster metadata for the topics (fails when no broker answers). */
  metadata(topics: string[]): Promise<ClusterMetadata> {
    return this.producer.metadata({ topics, forceUpdate: true });
  }

  /** Sends what is queued, then closes the producer. */
  async close(): Promise<void> {
    this.closed = true;
    await this.sending;
    await this.closeProducer(this.producer);
  }

  /** Sends the queue in groups, one send at a time, until it is empty. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.takeGroup();
      try {
        await this.producer.send({ messages: group.flatMap((waiting) => waiting.messages) });
        for (const waiting of group) waiting.resolve();
      } catch (err) {
        for (const waiting of group) waiting.reject(err);
        // A send that failed may still have been written, and the producer would number the next
        // records as if it had not: the broker would drop them as duplicates. A new producer (a new
        // producer id) starts its own sequence.
        const failed = this.producer;
        this.producer = this.createProducer();
        void this.closeProducer(failed);
      }
    }
    this.sending = undefined;
  }

  /** The oldest waiting calls, whole, up to MAX_RECORDS_PER_SEND records (always at least one call). */
  private takeGroup(): Waiting[] {
    let records = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || records + this.queue[count]!.messages.length <= MAX_RECORDS_PER_SEND)) {
      records += this.queue[count]!.messages.length;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private createProducer(): Producer {
    const producer = new Producer({
      clientId: this.o.clientId,
      bootstrapBrokers: this.o.bootstrapServers,
      idempotent: true,
      retries: SEND_RETRIES,
      retryDelay: SEND_RETRY_DELAY_MS,
      autocreateTopics: false,
      // JSON samples shrink several times; LZ4 costs little CPU (and the broker stores batches as sent).
      compression: "lz4",
    });
    producer.on("error", (err) => this.o.logger.warn({ err }, "Kafka producer error"));
    return producer;
  }

  private async closeProducer(producer: Producer): Promise<void> {
    try {
      await producer.close();
    } catch (err) {
      this.o.logger.debug({ err }, "closing a Kafka producer failed");
    }
  }
}
