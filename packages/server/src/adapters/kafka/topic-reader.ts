/**
 * Reads one topic as a member of one consumer group and hands over the records a fetch brought in
 * as one batch. It keeps reading across broker restarts: a failed message stream is reopened on the
 * same group member (no rebalance to wait for), a member the group lost is replaced; both with
 * backoff, resuming from the committed offsets. It commits only what it is told to, and never hands
 * over a record of a partition the group has just given to another member.
 */
import { Consumer, type ConsumeOptions, type MessagesStream } from "@platformatic/kafka";
import type { Logger } from "../../core/logger.js";
import { doublingDelay } from "../../core/backoff.js";
import { leaveAndClose, ownedPartitions, partitionsIn, positionKey } from "./consumer-client.js";
import { commitPastDeletedRecords } from "./deleted-records.js";
import { hasProtocolError, isBrokerUnreachable } from "./kafka-errors.js";
import { advancePosition, mergePositions, type Positions } from "./ordered-delivery.js";

export interface RawRecord {
  partition: number;
  offset: bigint;
  value: Buffer | undefined;
}

export interface TopicReaderOptions {
  bootstrapServers: string[];
  clientId: string;
  groupId: string;
  topic: string;
  /**
   * `committed`: resume where the group left off, from the earliest record when it has no offset yet.
   * `latest`: only what is published after `start()` resolved; nothing is committed, and a stream
   * reopened after a failure goes on from the last record handed over (nothing published meanwhile is missed).
   */
  from: "committed" | "latest";
  onRecords(records: RawRecord[]): void;
  logger: Logger;
}

/**
 * A crashed member's partitions move on after this long without heartbeats; the broker accepts
 * 6 s to 30 min by default. Heartbeats go every second, so a rebalance is noticed within one.
 */
const SESSION_TIMEOUT_MS = 10_000;
const HEARTBEAT_INTERVAL_MS = 1_000;
/** Also bounds how long a fetch issued before a rebalance can delay fetching newly assigned partitions. */
const FETCH_MAX_WAIT_MS = 500;
/** Records buffered by the client before it stops fetching (its default, 1024, is a lot of samples). */
const STREAM_HIGH_WATER_MARK = 256;
const MAX_BATCH_RECORDS = 500;
const CLIENT_RETRIES = 3;
const CLIENT_RETRY_DELAY_MS = 250;
const FIRST_REOPEN_DELAY_MS = 500;
const MAX_REOPEN_DELAY_MS = 5_000;
/** Failures to open a stream, with the broker answering, before the member itself is replaced. */
const MAX_FAILED_OPENS_PER_MEMBER = 2;
/** How long `start()` keeps trying to join the group before it gives up. */
const START_TIMEOUT_MS = 30_000;

/** This process in the consumer group: one client, kept across stream failures. */
interface Member {
  consumer: Consumer;
  /** The stream reading for it now, once open. */
  session: Session | undefined;
  failedOpens: number;
  /** Failed or closed: replaced by a new member. */
  retired: boolean;
}

/** One message stream of a member. */
interface Session {
  member: Member;
  stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>;
  /** Records received in this turn of the event loop, handed over together. */
  pending: RawRecord[];
  flushScheduled: boolean;
  /** Failed or closed: what it still delivers is dropped; its replacement reads from the committed offsets. */
  retired: boolean;
}

export class TopicReader {
  private member: Member | undefined;
  private session: Session | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private reopens = 0;
  /** Until `start()` succeeded, failures are its caller's to handle: nothing is reopened. */
  private started = false;
  private paused = false;
  private closing = false;
  /** Offsets processed but not yet committed, and the highest this reader committed, per partition. */
  private readonly toCommit: Positions = new Map();
  private readonly committed: Positions = new Map();
  /** `latest` only: where a reopened stream starts, per partition. */
  private readonly handedOver: Positions = new Map();
  private commitLoop: Promise<void> | undefined;

  constructor(private readonly o: TopicReaderOptions) {}

  /**
   * Resolves once the consumer joined the group, got its partitions and knows where to read them from.
   * A broker that is still starting (no group coordinator yet, as on a fresh cluster) is waited for,
   * up to START_TIMEOUT_MS.
   */
  async start(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.startOnce();
        return;
      } catch (err) {
        const delayMs = doublingDelay(attempt, FIRST_REOPEN_DELAY_MS, MAX_REOPEN_DELAY_MS);
        if (this.closing || Date.now() + delayMs > deadline) throw err;
        this.o.logger.warn({ err: (err as Error).message, group: this.o.groupId, attempt }, "joining the Kafka consumer group failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private async startOnce(): Promise<void> {
    const member = this.createMember();
    this.member = member;
    try {
      const session = await this.openStream(member);
      this.started = true;
      // It failed between being positioned and here: it is replaced like any later failure.
      if (session.retired || member.retired) this.scheduleReopen();
      else if (!this.closing) this.session = session;
    } catch (err) {
      this.member = undefined;
      member.retired = true;
      await leaveAndClose(member.consumer);
      throw err;
    }
  }

  /** Stops fetching (backpressure); records already fetched are still handed over. */
  pause(): void {
    this.paused = true;
    this.session?.stream.pause();
  }

  resume(): void {
    this.paused = false;
    this.session?.stream.resume();
  }

  /** Records the positions as processed and commits them (in the background, coalesced). */
  commit(positions: Positions): void {
    mergePositions(this.toCommit, positions);
    void this.flushCommits();
  }

  /** Resolves once every position given to `commit` was committed, or could not be (logged; read again later). */
  flushCommits(): Promise<void> {
    this.commitLoop ??= this.commitPending().finally(() => {
      this.commitLoop = undefined;
    });
    return this.commitLoop;
  }

  /** Stops reading and leaves the group (call `flushCommits` first to keep what was processed). */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reopenTimer);
    const { session, member } = this;
    this.session = undefined;
    this.member = undefined;
    if (session) await this.closeStream(session);
    if (member) {
      member.retired = true;
      const err = await leaveAndClose(member.consumer);
      if (err) this.o.logger.debug({ err, group: this.o.groupId }, "leaving a Kafka consumer group failed");
    }
  }

  private createMember(): Member {
    const consumer = new Consumer({
      clientId: this.o.clientId,
      groupId: this.o.groupId,
      bootstrapBrokers: this.o.bootstrapServers,
      autocommit: false,
      sessionTimeout: SESSION_TIMEOUT_MS,
      rebalanceTimeout: SESSION_TIMEOUT_MS,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      maxWaitTime: FETCH_MAX_WAIT_MS,
      highWaterMark: STREAM_HIGH_WATER_MARK,
      retries: CLIENT_RETRIES,
      retryDelay: CLIENT_RETRY_DELAY_MS,
    });
    const member: Member = { consumer, session: undefined, failedOpens: 0, retired: false };
    // A failed rejoin after a rebalance is reported as an 'error' event: unheard, it would crash the process.
    consumer.on("error", (err) => this.memberFailed(member, err));
    consumer.on("consumer:group:join", () => {
      if (member.session) this.forgetPositionsNotOwned(member.session);
    });
    consumer.on("consumer:heartbeat:error", ({ error }) => {
      // The client keeps the group coordinator it found first; when the coordinator moved to another
      // broker it would never find the new one. A new member does.
      if (hasProtocolError(error, "NOT_COORDINATOR")) this.memberFailed(member, error);
    });
    return member;
  }

  private openStream(member: Member): Promise<Session> {
    return new Promise<Session>((resolve, reject) => {
      member.consumer.consume({ topics: [this.o.topic], autocommit: false, ...this.startingPoint() }, (err, stream) => {
        if (err || !stream) {
          reject(err ?? new Error("the Kafka client returned no stream"));
          return;
        }
        const session: Session = { member, stream, pending: [], flushScheduled: false, retired: false };
        let ready = false;
        const notReady = (error: Error) => {
          session.retired = true;
          reject(error);
        };
        // All listeners go on before the stream can emit: it reads its starting offsets right after construction.
        stream.on("error", (error) => (ready ? this.streamFailed(session, error) : notReady(error)));
        stream.on("close", () => {
          const error = new Error("the Kafka message stream closed");
          if (ready) this.streamFailed(session, error);
          else notReady(error);
        });
        stream.on("data", (message) => this.receive(session, { partition: message.partition, offset: message.offset, value: message.value ?? undefined }));
        stream.once("offsets", () => {
          ready = true;
          member.session = session;
          member.failedOpens = 0;
          if (this.o.from === "latest") this.rememberStartingPositions(stream);
          resolve(session);
        });
        if (this.paused) stream.pause();
      });
    });
  }

  private startingPoint(): Pick<ConsumeOptions<Buffer, Buffer, Buffer, Buffer>, "mode" | "fallbackMode" | "offsets"> {
    if (this.o.from === "committed") return { mode: "committed", fallbackMode: "earliest" };
    if (this.handedOver.size === 0) return { mode: "latest" };
    const offsets = [...this.handedOver].map(([partition, offset]) => ({ topic: this.o.topic, partition, offset }));
    return { mode: "manual", fallbackMode: "latest", offsets };
  }

  /**
   * Where a `latest` reader starts counts as handed over: a stream reopened after a failure reads from
   * there, and gets what was published while there was none, even if nothing came before.
   */
  private rememberStartingPositions(stream: Session["stream"]): void {
    for (const partition of partitionsIn(stream.offsetsToFetch, this.o.topic)) {
      advancePosition(this.handedOver, partition, stream.offsetsToFetch.get(positionKey(this.o.topic, partition))!);
    }
  }

  private receive(session: Session, record: RawRecord): void {
    if (session.retired) return;
    session.pending.push(record);
    if (session.flushScheduled) return;
    session.flushScheduled = true;
    // Everything one fetch response brought arrives within one turn of the event loop: one batch.
    setImmediate(() => this.flush(session));
  }

  private flush(session: Session): void {
    session.flushScheduled = false;
    const records = session.pending;
    session.pending = [];
    if (session.retired || this.closing) return;
    const owned = ownedPartitions(session.member.consumer, this.o.topic);
    const kept: RawRecord[] = [];
    for (const record of records) {
      if (!owned || owned.has(record.partition)) {
        kept.push(record);
        if (this.o.from === "latest") advancePosition(this.handedOver, record.partition, record.offset + 1n);
      }
      // Fetched just before a rebalance gave the partition to another member, which reads it from the
      // committed offset. Forgetting the position makes this reader do the same if it gets it back.
      else session.stream.offsetsToFetch.delete(positionKey(this.o.topic, record.partition));
    }
    for (let start = 0; start < kept.length; start += MAX_BATCH_RECORDS) this.o.onRecords(kept.slice(start, start + MAX_BATCH_RECORDS));
  }

  /**
   * The client keeps the read position of a partition it lost, and resumes from it when the partition
   * comes back while the group has no committed offset for it, skipping what the other member never
   * finished. Without a position it starts from the committed offset, or the earliest record.
   */
  private forgetPositionsNotOwned(session: Session): void {
    const owned = ownedPartitions(session.member.consumer, this.o.topic);
    if (!owned) return;
    const positions = session.stream.offsetsToFetch;
    for (const partition of partitionsIn(positions, this.o.topic)) {
      if (!owned.has(partition)) positions.delete(positionKey(this.o.topic, partition));
    }
  }

  /** The stream failed (a fetch after the client's retries, typically the broker gone): a new one on the same member. */
  private streamFailed(session: Session, err: Error): void {
    if (this.closing || session.retired) return;
    session.retired = true;
    if (this.session === session) this.session = undefined;
    if (session.member.session === session) session.member.session = undefined;
    this.o.logger.warn({ err, topic: this.o.topic, group: this.o.groupId }, "Kafka message stream failed; opening a new one");
    void (async () => {
      if (hasProtocolError(err, "OFFSET_OUT_OF_RANGE")) await this.skipDeletedRecords(session.member);
      await this.closeStream(session);
      this.scheduleReopen();
    })();
  }

  /** The group no longer has this member (or it cannot reach the group): a new member joins. */
  private memberFailed(member: Member, err: Error): void {
    if (this.closing || member.retired) return;
    member.retired = true;
    if (this.member === member) this.member = undefined;
    const session = member.session;
    if (session) {
      session.retired = true;
      if (this.session === session) this.session = undefined;
    }
    this.o.logger.warn({ err, topic: this.o.topic, group: this.o.groupId }, "Kafka consumer left the group; starting a new one");
    void (async () => {
      if (session) await this.closeStream(session);
      await leaveAndClose(member.consumer);
      this.scheduleReopen();
    })();
  }

  private async skipDeletedRecords(member: Member): Promise<void> {
    if (this.o.from === "latest") {
      this.handedOver.clear();
      this.o.logger.warn({ topic: this.o.topic, group: this.o.groupId }, "records after the last one read were deleted; reading on from the newest");
      return;
    }
    try {
      const partitions = [...(ownedPartitions(member.consumer, this.o.topic) ?? [])];
      await commitPastDeletedRecords({ consumer: member.consumer, topic: this.o.topic, partitions, logger: this.o.logger });
    } catch (err) {
      this.o.logger.warn({ err, topic: this.o.topic, group: this.o.groupId }, "could not move the group past deleted records");
    }
  }

  private scheduleReopen(): void {
    if (this.closing || this.reopenTimer || !this.started) return;
    this.reopens += 1;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      void this.reopen();
    }, doublingDelay(this.reopens, FIRST_REOPEN_DELAY_MS, MAX_REOPEN_DELAY_MS));
  }

  private async reopen(): Promise<void> {
    if (this.closing) return;
    const member = this.member && !this.member.retired ? this.member : (this.member = this.createMember());
    let session: Session;
    try {
      session = await this.openStream(member);
    } catch (err) {
      // An unreachable broker is waited for with the same member; a broker refusing it twice gets a new one.
      if (!isBrokerUnreachable(err)) member.failedOpens += 1;
      if (member.failedOpens >= MAX_FAILED_OPENS_PER_MEMBER) this.memberFailed(member, err as Error);
      this.o.logger.warn({ err, topic: this.o.topic, group: this.o.groupId }, "could not open a Kafka message stream; trying again");
      this.scheduleReopen();
      return;
    }
    if (this.closing) {
      await this.closeStream(session);
      return;
    }
    if (session.retired || member.retired) return;
    this.session = session;
    this.reopens = 0;
    this.o.logger.info({ topic: this.o.topic, group: this.o.groupId }, "Kafka consumer reading again");
    void this.flushCommits();
  }

  private async closeStream(session: Session): Promise<void> {
    session.retired = true;
    if (session.member.session === session) session.member.session = undefined;
    // Errors while closing are expected when the broker is gone; an unheard 'error' event would crash the process.
    session.stream.on("error", () => undefined);
    try {
      await session.stream.close();
    } catch (err) {
      this.o.logger.debug({ err, topic: this.o.topic }, "closing a Kafka message stream failed");
    }
  }

  private async commitPending(): Promise<void> {
    while (this.toCommit.size > 0) {
      const member = this.member;
      const owned = member && !member.retired ? ownedPartitions(member.consumer, this.o.topic) : null;
      // Kept for the next member while there is none (replacing it) or it is between generations.
      if (!member || !owned) return;
      const batch: Positions = new Map();
      for (const [partition, offset] of this.toCommit) {
        // A partition another member now owns is resumed from its last commit: re-committing an older
        // offset of ours could only move it back. Offsets at or below what we committed add nothing.
        if (owned.has(partition) && offset > (this.committed.get(partition) ?? -1n)) batch.set(partition, offset);
      }
      this.toCommit.clear();
      if (batch.size === 0) return;
      try {
        await member.consumer.commit({
          offsets: [...batch].map(([partition, offset]) => ({ topic: this.o.topic, partition, offset, leaderEpoch: -1 })),
        });
        mergePositions(this.committed, batch);
      } catch (err) {
        mergePositions(this.toCommit, batch);
        this.o.logger.warn({ err, topic: this.o.topic, group: this.o.groupId }, "committing Kafka offsets failed; will try again");
        return;
      }
    }
  }
}
