/**
 * Ingestion: authenticate the agent, validate and normalize its payload, derive rates, append the
 * samples durably (de-duplicated) and publish them to the bus, then acknowledge.
 */
import {
  batchPayload,
  MAX_CLOCK_SKEW_MS,
  MAX_SAMPLE_AGE_MS,
  MIN_SAMPLE_TIME_MS,
  originalPayload,
  type BatchAck,
  type Sample,
} from "@statusmonitor/protocol";
import type { AgentIdentity, AgentsService } from "../agents/service.js";
import { AppError } from "../core/app-error.js";
import type { Bus } from "../core/bus.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { parseOrThrow, validationError } from "../core/validation.js";
import type { Throttle } from "../auth/throttle.js";
import { fromBatch, fromOriginal } from "./normalize.js";
import type { SampleJournal } from "./ports.js";
import { withRates } from "./rates.js";

export type IngestFormat = "original" | "batch";

export interface IngestResult {
  format: IngestFormat;
  ack: BatchAck;
}

export class IngestService {
  /** The newest sample per agent: the base for rates, the `latest` endpoint and the watermark. */
  private readonly newest = new Map<number, Sample | null>();

  constructor(
    private readonly o: {
      agents: AgentsService;
      journal: SampleJournal;
      bus: Bus;
      clock: Clock;
      logger: Logger;
      perAgentRate: Throttle;
    },
  ) {
    o.bus.onControl((event) => {
      if (event.type === "agent_deleted") this.newest.delete(event.agent_id);
      if (event.type === "user_deleted") this.newest.clear();
    });
  }

  async ingest(rawToken: string | undefined, body: unknown): Promise<IngestResult> {
    const agent = await this.o.agents.authenticate(rawToken);
    await this.o.perAgentRate.hit(String(agent.id));
    const { format, samples, facts } = this.decode(agent, body);
    const receivedAt = this.o.clock.now();

    const previous = await this.newestSample(agent.id);
    const withDerived = this.deriveRates(samples, previous);
    const current = this.newest.get(agent.id) ?? previous;
    const backfillBefore = current?.timestamp ?? -Infinity;
    const stored = await this.o.journal.append(agent.id, withDerived, receivedAt, (fresh) =>
      this.o.bus.publishSamples(
        fresh.map((sample) => ({
          agent_id: agent.id,
          user_id: agent.userId,
          received_at: receivedAt,
          backfill: sample.timestamp <= backfillBefore,
          sample,
        })),
      ),
    );

    const newestStored = stored.reduce<Sample | undefined>((a, s) => (!a || s.timestamp > a.timestamp ? s : a), undefined);
    const isNewer = newestStored && (!current || newestStored.timestamp > current.timestamp);
    if (isNewer) this.newest.set(agent.id, newestStored);
    const watermark = this.newest.get(agent.id) ?? current ?? null;

    await this.o.agents.activate(agent);
    this.o.agents.recordContact(agent.id, watermark?.timestamp ?? null, observedGap(stored, isNewer && current ? current : undefined));
    if (facts) await this.o.agents.recordFacts(agent.id, facts);
    return {
      format,
      ack: {
        status: "received",
        stored: stored.length,
        duplicates: samples.length - stored.length,
        newest_timestamp: watermark?.timestamp ?? null,
      },
    };
  }

  /** The newest stored sample of an agent the caller owns. */
  async latest(userId: number, agentId: number): Promise<Sample> {
    await this.o.agents.get(userId, agentId);
    const sample = await this.newestSample(agentId);
    if (!sample) throw new AppError("NO_SAMPLES_YET");
    return sample;
  }

  async newestSample(agentId: number): Promise<Sample | undefined> {
    if (!this.newest.has(agentId)) this.newest.set(agentId, (await this.o.journal.newest(agentId)) ?? null);
    return this.newest.get(agentId) ?? undefined;
  }

  private decode(agent: AgentIdentity, body: unknown) {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new AppError("VALIDATION_FAILED", "body: expected a JSON object (an original agent payload or a batch with `samples`)");
    }
    const now = this.o.clock.now();
    if ("samples" in body) {
      const batch = parseOrThrow(batchPayload, body, "body");
      batch.samples.forEach((s, i) => this.checkTime(s.timestamp, now, ["samples", i, "timestamp"]));
      return { format: "batch" as const, samples: batch.samples.map((s) => fromBatch(agent.id, s)), facts: batch.agent };
    }
    const payload = parseOrThrow(originalPayload, body, "body");
    const sample = fromOriginal(agent.id, payload);
    this.checkTime(sample.timestamp, now, ["timestamp"]);
    return { format: "original" as const, samples: [sample], facts: undefined };
  }

  private checkTime(timestampMs: number, now: number, path: PropertyKey[]): void {
    let problem: string | undefined;
    if (timestampMs < MIN_SAMPLE_TIME_MS) problem = "is before the year 2000; send epoch seconds (original format) or milliseconds (batch format)";
    else if (timestampMs > now + MAX_CLOCK_SKEW_MS) problem = `is ${Math.round((timestampMs - now) / 1000)} s in the future; check the agent's clock`;
    else if (timestampMs < now - MAX_SAMPLE_AGE_MS) problem = "is older than the longest history retention (366 days)";
    if (problem) throw validationError([{ path, message: problem }], "body");
  }

  /** Sorts by time, drops repeats within the batch and adds rates between consecutive samples. */
  private deriveRates(samples: Sample[], previous: Sample | undefined): Sample[] {
    const sorted = [...samples].sort((a, b) => a.timestamp - b.timestamp);
    const out: Sample[] = [];
    let before = previous && sorted[0] && previous.timestamp < sorted[0].timestamp ? previous : undefined;
    for (const sample of sorted) {
      if (out.length > 0 && out[out.length - 1]!.timestamp === sample.timestamp) continue;
      const derived = withRates(sample, before);
      out.push(derived);
      before = derived;
    }
    return out;
  }
}

/**
 * The sampling interval this request reveals: the median gap between the new samples of a batch, or
 * the gap between a single new sample and the previous newest one.
 */
function observedGap(stored: Sample[], previous: Sample | undefined): number | null {
  const times = stored.map((s) => s.timestamp).sort((a, b) => a - b);
  if (times.length > 1) {
    const gaps = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
    return gaps[Math.floor(gaps.length / 2)]!;
  }
  return previous && times[0] !== undefined ? times[0] - previous.timestamp : null;
}
