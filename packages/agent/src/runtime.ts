/**
 * The running agent: samples on a fixed-rate schedule, sends each live sample at once, keeps what
 * could not be sent in the disk buffer and back-fills it oldest first once the hub answers again,
 * live samples always first. Backs off on failure (Retry-After honoured, 401 retried slowly).
 */
import type { AgentFacts, BatchSample } from "@statusmonitor/protocol";
import type { BufferStats } from "./buffer/disk-buffer.js";
import { FixedRateSchedule, realTimers, type ScheduleTimers } from "./schedule.js";
import type { SendResult } from "./send/sender.js";

export type SampleBody = Omit<BatchSample, "seq">;

export interface SamplerPort {
  sample(now: number): Promise<SampleBody>;
  facts(): Promise<AgentFacts>;
}

export interface BufferPort {
  append(samples: BatchSample[]): Promise<void>;
  peek(max: number): Promise<BatchSample[]>;
  shift(count: number): Promise<void>;
  stats(): BufferStats;
  close(): Promise<void>;
}

/** What the runtime needs of a send's outcome (the sender's `SendResult` carries a little more). */
export type SendOutcome = Pick<Extract<SendResult, { ok: true }>, "ok" | "newestTimestamp"> | Extract<SendResult, { ok: false }>;

export interface ClientPort {
  send(facts: AgentFacts, samples: BatchSample[]): Promise<SendOutcome>;
}

export interface AgentStatus {
  running: boolean;
  intervalS: number;
  samplesTaken: number;
  samplesSent: number;
  /** Samples waiting in the disk buffer, and what the buffer lost (full) or skipped (corrupt). */
  buffered: number;
  bufferBytes: number;
  dropped: number;
  corrupt: number;
  /** The newest timestamp the hub reported as durably stored. */
  hubNewest: number | null;
  lastSentAt: number | null;
  lastError: string | null;
  /** When the next attempt is allowed after a failure; null when the hub is reachable. */
  retryAt: number | null;
  latest: SampleBody | null;
}

/** Back-fill batch size: large enough to catch up on a day quickly, small enough for the hub's 1 MiB limit with gzip. */
export const BACKFILL_BATCH = 500;
/** A rejected token may be regenerated in the dashboard: try again every minute, not in a tight loop. */
export const UNAUTHORIZED_RETRY_MS = 60_000;
const FACTS_REFRESH_MS = 10 * 60_000;

export interface RuntimeDeps {
  intervalS: number;
  sampler: SamplerPort;
  buffer: BufferPort;
  client: ClientPort;
  /** Backoff after the n-th consecutive failure (1-based), capped at 30 s by the sender's policy. */
  backoffMs: (attempt: number) => number;
  log: (level: "info" | "warn" | "error", message: string) => void;
  timers?: ScheduleTimers;
}

export class AgentRuntime {
  private readonly schedule: FixedRateSchedule;
  private readonly now: () => number;
  /** Live samples taken and not yet sent or buffered. */
  private pending: BatchSample[] = [];
  private seq = 0;
  private failures = 0;
  private facts: { value: AgentFacts; at: number } | undefined;
  private pumping: Promise<void> | undefined;
  private stats: Omit<AgentStatus, "buffered" | "bufferBytes" | "dropped" | "corrupt" | "running" | "intervalS"> = {
    samplesTaken: 0,
    samplesSent: 0,
    hubNewest: null,
    lastSentAt: null,
    lastError: null,
    retryAt: null,
    latest: null,
  };
  private running = false;
  /** Halved when the hub finds a back-fill request too large (413), so no batch is ever given up for its size. */
  private backfillBatch = BACKFILL_BATCH;
  private readonly timers: ScheduleTimers;
  private retryTimer: unknown;

  constructor(private readonly deps: RuntimeDeps) {
    this.timers = deps.timers ?? realTimers;
    this.now = () => this.timers.now();
    this.schedule = new FixedRateSchedule(deps.intervalS * 1000, (slot) => this.tick(slot), this.timers);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule.start();
  }

  /** Stops sampling, waits for the send in flight, and writes whatever was not sent to the disk buffer. */
  async stop(): Promise<void> {
    this.running = false;
    this.schedule.stop();
    this.timers.clearTimeout(this.retryTimer);
    await this.pumping;
    await this.bufferPending();
  }

  status(): AgentStatus {
    const b = this.deps.buffer.stats();
    return {
      running: this.running,
      intervalS: this.deps.intervalS,
      ...this.stats,
      buffered: b.samples + this.pending.length,
      bufferBytes: b.bytes,
      dropped: b.dropped,
      corrupt: b.corrupt,
    };
  }

  /** Takes one sample (the schedule's slot is its timestamp) and tries to send. */
  async tick(slot: number): Promise<void> {
    let body: SampleBody;
    try {
      body = await this.deps.sampler.sample(slot);
    } catch (err) {
      this.deps.log("error", `collecting a sample failed: ${(err as Error).message}`);
      return;
    }
    this.stats.samplesTaken += 1;
    this.stats.latest = body;
    this.pending.push({ ...body, seq: this.seq++ });
    // Not awaited: a long back-fill must not hold up the schedule (the pass in flight picks this sample up next).
    void this.pump();
  }

  /** One pass of sending; concurrent calls share the pass in flight. */
  pump(): Promise<void> {
    this.pumping ??= this.sendAll()
      .catch((err: unknown) => this.deps.log("error", `sending failed unexpectedly: ${(err as Error).message}`))
      .finally(() => (this.pumping = undefined));
    return this.pumping;
  }

  private async sendAll(): Promise<void> {
    for (;;) {
      if (this.stats.retryAt !== null && this.now() < this.stats.retryAt) {
        await this.bufferPending();
        return;
      }
      const facts = await this.currentFacts();
      // Live first: what was just measured goes out before any (more) back-fill.
      if (this.pending.length > 0) {
        const live = this.pending;
        this.pending = [];
        if (!(await this.deliver(facts, live, false))) return;
        continue;
      }
      if (!this.running) return;
      // Then the buffer, oldest first, one batch per pass so new live samples can cut in.
      const backlog = await this.deps.buffer.peek(this.backfillBatch);
      if (backlog.length === 0) return;
      if (!(await this.deliver(facts, backlog, true))) return;
    }
  }

  /** Sends a batch; on success records it, on failure buffers it (unless it came from the buffer) and schedules the retry. */
  private async deliver(facts: AgentFacts, samples: BatchSample[], fromBuffer: boolean): Promise<boolean> {
    const result = await this.deps.client.send(facts, samples);
    if (result.ok) {
      if (fromBuffer) await this.deps.buffer.shift(samples.length);
      if (this.failures > 0) this.deps.log("info", `the hub answers again; ${this.deps.buffer.stats().samples} buffered samples to back-fill`);
      this.failures = 0;
      this.stats.samplesSent += samples.length;
      this.stats.hubNewest = result.newestTimestamp;
      this.stats.lastSentAt = this.now();
      this.stats.lastError = null;
      this.stats.retryAt = null;
      return true;
    }
    if (result.status === 413 && fromBuffer && samples.length > 1) {
      this.backfillBatch = Math.max(1, Math.floor(samples.length / 2));
      this.deps.log("warn", `the hub found ${samples.length} samples too large for one request; back-filling ${this.backfillBatch} at a time`);
      return true;
    }
    if (!result.retryable) {
      // The hub will never take these (e.g. a sample it finds invalid): keeping them would block the queue forever.
      if (fromBuffer) await this.deps.buffer.shift(samples.length);
      this.stats.lastError = result.error;
      this.deps.log("error", `the hub refused ${samples.length} sample(s) for good: ${result.error}`);
      return true;
    }
    if (!fromBuffer) await this.deps.buffer.append(samples);
    this.failures += 1;
    const wait = result.status === 401 ? UNAUTHORIZED_RETRY_MS : (result.retryAfterMs ?? this.deps.backoffMs(this.failures));
    this.stats.retryAt = this.now() + wait;
    // With a long interval the next tick may be far off: the retry (and the back-fill) must not wait for it.
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = this.timers.setTimeout(() => {
      if (this.running) void this.pump();
    }, wait);
    if (this.stats.lastError !== result.error) this.deps.log("warn", `${result.error}; retrying in ${Math.round(wait / 1000)} s, samples are kept on disk`);
    this.stats.lastError = result.error;
    return false;
  }

  private async bufferPending(): Promise<void> {
    if (this.pending.length === 0) return;
    const samples = this.pending;
    this.pending = [];
    await this.deps.buffer.append(samples);
  }

  private async currentFacts(): Promise<AgentFacts> {
    if (!this.facts || this.now() - this.facts.at > FACTS_REFRESH_MS) this.facts = { value: await this.deps.sampler.facts(), at: this.now() };
    return this.facts.value;
  }
}
