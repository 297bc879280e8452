/**
 * The runtime's sending rules with a scripted hub and an in-memory buffer on test-driven timers:
 * live samples first, failed ones kept, back-fill oldest first, backoff and Retry-After, slow 401
 * retries, samples the hub refuses for good dropped, and a clean stop that keeps what was not sent.
 */
import type { AgentFacts, BatchSample } from "@statusmonitor/protocol";
import { describe, expect, it } from "vitest";
import { AgentRuntime, BACKFILL_BATCH, UNAUTHORIZED_RETRY_MS, type BufferPort, type SendOutcome } from "./runtime.js";
import { StepTimers } from "./test-support/step-timers.js";

const FACTS: AgentFacts = { hostname: "h", os: "linux", arch: "x64", version: "test" };

class MemoryBuffer implements BufferPort {
  samples: BatchSample[] = [];
  async append(samples: BatchSample[]) {
    this.samples.push(...samples);
  }
  async peek(max: number) {
    return this.samples.slice(0, max);
  }
  async shift(count: number) {
    this.samples.splice(0, count);
  }
  stats() {
    return { samples: this.samples.length, bytes: 0, dropped: 0, corrupt: 0 };
  }
  async close() {}
}

/** A hub that answers from a script and records what each request carried. */
class ScriptedHub {
  requests: number[][] = [];
  answer: (samples: BatchSample[]) => SendOutcome = () => ({ ok: true, newestTimestamp: null });
  async send(_facts: AgentFacts, samples: BatchSample[]): Promise<SendOutcome> {
    this.requests.push(samples.map((s) => s.timestamp));
    return this.answer(samples);
  }
  stored(): number[] {
    return this.requests.flat();
  }
}

function setup() {
  const timers = new StepTimers(1_700_000_000_500);
  const buffer = new MemoryBuffer();
  const hub = new ScriptedHub();
  const logs: string[] = [];
  const runtime = new AgentRuntime({
    intervalS: 1,
    sampler: { sample: async (now) => ({ timestamp: now, cpu: { usage_percent: 5 } }), facts: async () => FACTS },
    buffer,
    client: hub,
    backoffMs: (attempt) => 1000 * 2 ** (attempt - 1),
    log: (level, message) => logs.push(`${level} ${message}`),
    timers,
  });
  return { timers, buffer, hub, runtime, logs, t0: Math.ceil(timers.current / 1000) * 1000 };
}

const down: SendOutcome = { ok: false, retryable: true, error: "connection refused" };

describe("AgentRuntime", () => {
  it("sends every sample live, one request per tick, on the whole-second grid", async () => {
    const { timers, hub, runtime, t0 } = setup();
    runtime.start();
    await timers.advance(5_000);
    await runtime.stop();
    expect(hub.requests).toEqual([[t0], [t0 + 1000], [t0 + 2000], [t0 + 3000], [t0 + 4000]]);
    expect(runtime.status()).toMatchObject({ samplesTaken: 5, samplesSent: 5, buffered: 0, lastError: null });
  });

  it("keeps what it cannot send and back-fills it after the outage, live sample first, oldest first", async () => {
    const { timers, hub, buffer, runtime, t0 } = setup();
    runtime.start();
    hub.answer = () => down;
    await timers.advance(10_000);
    expect(buffer.samples.map((s) => s.timestamp)).toEqual(Array.from({ length: 10 }, (_, i) => t0 + i * 1000));
    expect(runtime.status()).toMatchObject({ buffered: 10, lastError: "connection refused" });

    hub.answer = () => ({ ok: true, newestTimestamp: null });
    const from = hub.requests.length;
    await timers.advance(40_000); // past the longest backoff: the retry back-fills, ticks go on live
    await runtime.stop();
    const after = hub.requests.slice(from);
    // The first request after the outage starts with the oldest buffered sample, in order.
    expect(after[0]!.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => t0 + i * 1000));
    // Every slot of the 50 s reached the hub exactly once: none lost, none sent twice.
    const delivered = after.flat();
    const taken = runtime.status().samplesTaken;
    expect(delivered).toHaveLength(taken);
    expect(delivered.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: taken }, (_, i) => t0 + i * 1000));
    expect(buffer.samples).toEqual([]);
  });

  it("backs off exponentially while the hub is down, instead of trying every tick", async () => {
    const { timers, hub, runtime } = setup();
    hub.answer = () => down;
    runtime.start();
    await timers.advance(16_000);
    await runtime.stop();
    // Attempts at 0 s, +1 s, +2 s, +4 s, +8 s after the first failure (the waits double), not 16.
    expect(hub.requests.length).toBeLessThanOrEqual(6);
    expect(hub.requests.length).toBeGreaterThanOrEqual(4);
  });

  it("honours Retry-After", async () => {
    const { timers, hub, runtime } = setup();
    let calls = 0;
    hub.answer = () => (++calls === 1 ? { ok: false, retryable: true, retryAfterMs: 7_000, status: 429, error: "rate limited" } : { ok: true, newestTimestamp: null });
    runtime.start();
    await timers.advance(6_500);
    expect(hub.requests).toHaveLength(1);
    await timers.advance(1_000);
    expect(hub.requests.length).toBeGreaterThanOrEqual(2);
    await runtime.stop();
  });

  it("retries a refused token only once a minute, with a clear message, and sends everything once it is fixed", async () => {
    const { timers, hub, runtime, buffer, logs } = setup();
    hub.answer = () => ({ ok: false, retryable: true, status: 401, code: "AGENT_TOKEN_INVALID", error: "the hub refused the agent token" });
    runtime.start();
    await timers.advance(UNAUTHORIZED_RETRY_MS - 1_000);
    expect(hub.requests).toHaveLength(1);
    expect(logs.filter((l) => l.includes("refused the agent token"))).toHaveLength(1);
    hub.answer = () => ({ ok: true, newestTimestamp: null });
    await timers.advance(2_000);
    await runtime.stop();
    expect(buffer.samples).toEqual([]);
    expect(runtime.status().samplesSent).toBe(runtime.status().samplesTaken);
  });

  it("drops samples the hub refuses for good instead of retrying them forever", async () => {
    const { timers, hub, runtime, buffer } = setup();
    hub.answer = () => ({ ok: false, retryable: false, status: 400, error: "body.samples[0].cpu: invalid" });
    runtime.start();
    await timers.advance(3_000);
    await runtime.stop();
    expect(hub.requests).toHaveLength(3);
    expect(buffer.samples).toEqual([]);
    expect(runtime.status().lastError).toContain("invalid");
  });

  it("back-fills a long outage in batches while live samples keep their place", async () => {
    const { timers, hub, runtime, buffer } = setup();
    await buffer.append(Array.from({ length: BACKFILL_BATCH * 2 + 10 }, (_, i) => ({ seq: i, timestamp: 1_600_000_000_000 + i * 1000 })));
    runtime.start();
    await timers.advance(1_000);
    await runtime.stop();
    expect(hub.requests[0]).toHaveLength(1); // the live sample
    expect(hub.requests.slice(1).map((r) => r.length)).toEqual([BACKFILL_BATCH, BACKFILL_BATCH, 10]);
    expect(buffer.samples).toEqual([]);
  });

  it("halves back-fill batches the hub finds too large instead of dropping them", async () => {
    const { timers, hub, runtime, buffer } = setup();
    await buffer.append(Array.from({ length: 300 }, (_, i) => ({ seq: i, timestamp: 1_600_000_000_000 + i * 1000 })));
    hub.answer = (samples) => (samples.length > 100 ? { ok: false, retryable: false, status: 413, error: "too large" } : { ok: true, newestTimestamp: null });
    runtime.start();
    await timers.advance(1_000);
    await runtime.stop();
    expect(hub.requests.map((r) => r.length)).toEqual([1, 300, 150, 75, 75, 75, 75]);
    expect(buffer.samples).toEqual([]);
  });

  it("writes samples not yet sent to the buffer when stopped", async () => {
    const { timers, hub, runtime, buffer } = setup();
    hub.answer = () => down;
    runtime.start();
    await timers.advance(1_000);
    hub.answer = () => down;
    await timers.advance(1_500); // inside the backoff: the new sample is buffered at once
    await runtime.stop();
    expect(buffer.samples.length).toBe(runtime.status().samplesTaken);
  });
});
