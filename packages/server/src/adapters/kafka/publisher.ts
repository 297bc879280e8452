/**
 * Writes records to Kafka durably: an idempotent producer (acks from all in-sync replicas, no
 * duplicates from its own retries), one send per call, resolved only when every record is acknowledged.
 */
import { Producer, type ClusterMetadata, type MessageToProduce } from "@platformatic/kafka";
import type { Logger } from "../../core/logger.js";

/** The client's own retries of one send (reconnects included) before the caller sees the error. */
const SEND_RETRIES = 5;
const SEND_RETRY_DELAY_MS = 250;

interface ProducerSlot {
  producer: Producer;
  sending: number;
  retired: boolean;
}

export class Publisher {
  private slot: ProducerSlot;
  private closed = false;

  constructor(private readonly o: { bootstrapServers: string[]; clientId: string; logger: Logger }) {
    this.slot = this.createSlot();
  }

  async send(messages: MessageToProduce[]): Promise<void> {
    if (this.closed) throw new Error("the Kafka publisher is closed");
    if (messages.length === 0) return;
    const slot = this.slot;
    slot.sending += 1;
    try {
      await slot.producer.send({ messages });
    } catch (err) {
      // A send that failed may still have been written. The idempotent producer would give the next
      // records the same sequence numbers, and the broker would drop them as duplicates of it: a new
      // producer (a new producer id) starts its own sequence.
      if (this.slot === slot && !this.closed) this.slot = this.createSlot();
      slot.retired = true;
      throw err;
    } finally {
      slot.sending -= 1;
      if (slot.retired && slot.sending === 0) void this.closeSlot(slot);
    }
  }

  /** Fresh cluster metadata for the topics (fails when no broker answers). */
  metadata(topics: string[]): Promise<ClusterMetadata> {
    return this.slot.producer.metadata({ topics, forceUpdate: true });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.slot.retired = true;
    if (this.slot.sending === 0) await this.closeSlot(this.slot);
  }

  private createSlot(): ProducerSlot {
    const producer = new Producer({
      clientId: this.o.clientId,
      bootstrapBrokers: this.o.bootstrapServers,
      idempotent: true,
      retries: SEND_RETRIES,
      retryDelay: SEND_RETRY_DELAY_MS,
      autocreateTopics: false,
    });
    producer.on("error", (err) => this.o.logger.warn({ err }, "Kafka producer error"));
    return { producer, sending: 0, retired: false };
  }

  private async closeSlot(slot: ProducerSlot): Promise<void> {
    try {
      await slot.producer.close();
    } catch (err) {
      this.o.logger.debug({ err }, "closing a Kafka producer failed");
    }
  }
}
