/**
 * The contract every Bus adapter must pass, through the port alone: fan-out of live samples and control
 * events to every process, a shared group splitting samples between processes, per-agent order,
 * redelivery of a rejected batch, and closing. A fixture models several processes on one backend.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../test-support/test-hub.js";
import type { Bus, ControlEvent, SampleEnvelope, SampleGroup, SampleHandler, Subscription } from "./bus.js";

export interface BusContractFixture {
  /** A started bus of another process on the fixture's backend (the same bus again for `one`). */
  createBus(): Promise<Bus>;
  /** Stops every bus created and removes what the fixture made. */
  close(): Promise<void>;
}

/**
 * `many`: every `createBus()` is another process with its own consumers on the shared backend.
 * `one`: every bus is the same process's (an in-process bus), so a shared group has no other process
 * to split its samples with, and the case about splitting does not apply.
 */
export type BusProcesses = "one" | "many";

/** Generous for a broker on a busy machine; a passing run is as quick as delivery. */
const DELIVERY_TIMEOUT_MS = 20_000;
/** 2026-03-10T10:00:00Z. */
const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
const USER_ID = 7;

export function envelope(agentId: number, seq: number): SampleEnvelope {
  const timestamp = T0 + seq * 1_000;
  return { agent_id: agentId, user_id: USER_ID, received_at: timestamp + 5, backfill: false, sample: { agent_id: agentId, timestamp, seq } };
}

/** `agent:seq`, what the tests compare. */
export const keyOf = (e: SampleEnvelope) => `${e.agent_id}:${e.sample.seq}`;

/** Every sample of `agents` × `perAgent`, interleaved by agent: what one publisher would send over time. */
export function samplesOf(agents: number[], perAgent: number): SampleEnvelope[] {
  const out: SampleEnvelope[] = [];
  for (let seq = 1; seq <= perAgent; seq++) for (const agent of agents) out.push(envelope(agent, seq));
  return out;
}

/** Publishes in calls of `perCall` samples, each awaited, as an ingest process would. */
export async function publishInCalls(bus: Bus, samples: SampleEnvelope[], perCall: number): Promise<void> {
  for (let i = 0; i < samples.length; i += perCall) await bus.publishSamples(samples.slice(i, i + perCall));
}

/** A handler that records what it was given, in order. */
export class Recorder {
  readonly received: SampleEnvelope[] = [];
  readonly handler: SampleHandler = (batch) => void this.received.push(...batch);

  keys(): Set<string> {
    return new Set(this.received.map(keyOf));
  }

  has(samples: SampleEnvelope[]): boolean {
    const keys = this.keys();
    return samples.every((sample) => keys.has(keyOf(sample)));
  }

  /** The sequence numbers received for one agent, in order. */
  sequenceOf(agentId: number): number[] {
    return this.received.filter((e) => e.agent_id === agentId).map((e) => e.sample.seq!);
  }
}

export function waitUntil(check: () => boolean, what: string): Promise<boolean> {
  return waitFor(check, what, DELIVERY_TIMEOUT_MS);
}

const agentDeleted = (agentId: number): ControlEvent => ({ type: "agent_deleted", agent_id: agentId, user_id: USER_ID });

export function describeBusContract(name: string, processes: BusProcesses, factory: () => Promise<BusContractFixture>): void {
  describe(`Bus contract: ${name}`, () => {
    let fixture: BusContractFixture;
    const subscriptions: Subscription[] = [];
    beforeEach(async () => {
      fixture = await factory();
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.close()));
      await fixture.close();
    });

    async function subscribe(bus: Bus, group: SampleGroup, handler: SampleHandler): Promise<Subscription> {
      const subscription = await bus.subscribeSamples(group, handler);
      subscriptions.push(subscription);
      return subscription;
    }

    it("every live subscriber of every process gets every sample published after it subscribed", async () => {
      const [a, b] = [await fixture.createBus(), await fixture.createBus()];
      const recorders = [new Recorder(), new Recorder(), new Recorder(), new Recorder()];
      await subscribe(a, "live", recorders[0]!.handler);
      await subscribe(a, "live", recorders[1]!.handler);
      await subscribe(b, "live", recorders[2]!.handler);
      await subscribe(b, "live", recorders[3]!.handler);

      const samples = samplesOf([11, 12, 13], 5);
      await publishInCalls(a, samples, 4);

      await waitUntil(() => recorders.every((r) => r.has(samples)), "every live subscriber to get every sample");
    });

    it("delivers every sample of many publishes made at the same time (as concurrent ingest requests do)", async () => {
      const bus = await fixture.createBus();
      const recorder = new Recorder();
      await subscribe(bus, "history", recorder.handler);
      const samples = samplesOf(Array.from({ length: 40 }, (_, i) => 300 + i), 5);
      // Every call in flight at once, like one ingest process answering many agents.
      await Promise.all(samples.map((sample) => bus.publishSamples([sample])));
      await waitUntil(() => recorder.has(samples), "every concurrently published sample");
    });

    it("a shared group delivers every sample at least once to its subscriptions", async () => {
      const [a, b] = [await fixture.createBus(), await fixture.createBus()];
      const [atA, atB] = [new Recorder(), new Recorder()];
      await subscribe(a, "history", atA.handler);
      await subscribe(b, "history", atB.handler);

      const samples = samplesOf([21, 22, 23, 24, 25, 26, 27, 28], 5);
      await publishInCalls(a, samples, 10);

      await waitUntil(() => {
        const seen = new Set([...atA.keys(), ...atB.keys()]);
        return samples.every((sample) => seen.has(keyOf(sample)));
      }, "the group to get every sample");
    });

    // Only where there are two processes to split between (not the in-process bus).
    if (processes === "many") {
      it("a shared group gives each sample, and every sample of an agent, to exactly one of two processes while both are up", async () => {
        const [a, b] = [await fixture.createBus(), await fixture.createBus()];
        const [atA, atB] = [new Recorder(), new Recorder()];
        await subscribe(a, "history", atA.handler);
        await subscribe(b, "history", atB.handler);

        const agents = Array.from({ length: 24 }, (_, i) => 100 + i);
        const samples = samplesOf(agents, 4);
        await publishInCalls(b, samples, 16);
        await waitUntil(() => samples.every((s) => atA.keys().has(keyOf(s)) || atB.keys().has(keyOf(s))), "the group to get every sample");

        const both = [...atA.keys()].filter((key) => atB.keys().has(key));
        expect(both).toEqual([]);
        for (const agent of agents) {
          const holders = [atA, atB].filter((r) => r.sequenceOf(agent).length > 0);
          expect(holders, `agent ${agent}'s samples went to one process`).toHaveLength(1);
        }
      });
    }

    it("keeps each agent's samples in the order they were published", async () => {
      const bus = await fixture.createBus();
      const [history, live] = [new Recorder(), new Recorder()];
      await subscribe(bus, "history", history.handler);
      await subscribe(bus, "live", live.handler);

      const agents = [31, 32, 33, 34];
      const samples = samplesOf(agents, 30);
      await publishInCalls(bus, samples, 7);

      await waitUntil(() => history.has(samples) && live.has(samples), "every sample");
      const published = Array.from({ length: 30 }, (_, i) => i + 1);
      for (const agent of agents) {
        expect(history.sequenceOf(agent), `agent ${agent} in history`).toEqual(published);
        expect(live.sequenceOf(agent), `agent ${agent} live`).toEqual(published);
      }
    });

    it("control events reach every handler of every process; a throwing handler does not stop the others", async () => {
      const [a, b] = [await fixture.createBus(), await fixture.createBus()];
      const received: ControlEvent[][] = [[], [], []];
      a.onControl(() => {
        throw new Error("a handler that fails");
      });
      a.onControl((event) => void received[0]!.push(event));
      a.onControl((event) => void received[1]!.push(event));
      b.onControl((event) => void received[2]!.push(event));

      await a.publishControl(agentDeleted(41));
      await b.publishControl({ type: "user_deleted", user_id: USER_ID });

      await waitUntil(() => received.every((events) => events.length >= 2), "every handler to get both events");
      for (const events of received) {
        expect(events).toContainEqual(agentDeleted(41));
        expect(events).toContainEqual({ type: "user_deleted", user_id: USER_ID });
      }
    });

    it("an unsubscribed control handler gets nothing more", async () => {
      const bus = await fixture.createBus();
      const stays: ControlEvent[] = [];
      const leaves: ControlEvent[] = [];
      bus.onControl((event) => void stays.push(event));
      const unsubscribe = bus.onControl((event) => void leaves.push(event));
      await bus.publishControl(agentDeleted(51));
      await waitUntil(() => stays.length === 1 && leaves.length === 1, "both handlers to get the first event");

      unsubscribe();
      await bus.publishControl(agentDeleted(52));
      await waitUntil(() => stays.length === 2, "the remaining handler to get the second event");
      expect(leaves).toEqual([agentDeleted(51)]);
    });

    it("redelivers a rejected batch", async () => {
      const bus = await fixture.createBus();
      const calls: { keys: string[]; outcome: "rejected" | "resolved" }[] = [];
      let rejectNext = true;
      await subscribe(bus, "history", async (batch) => {
        const keys = batch.map(keyOf);
        if (rejectNext && keys.includes("61:1")) {
          rejectNext = false;
          calls.push({ keys, outcome: "rejected" });
          throw new Error("the store is down");
        }
        calls.push({ keys, outcome: "resolved" });
      });

      await bus.publishSamples([envelope(61, 1)]);
      await waitUntil(() => calls.some((c) => c.outcome === "resolved" && c.keys.includes("61:1")), "the batch to be delivered again");
      expect(calls[0]).toEqual({ keys: ["61:1"], outcome: "rejected" });

      await bus.publishSamples([envelope(61, 2)]);
      await waitUntil(() => calls.some((c) => c.keys.includes("61:2")), "later samples after the retry");
    });

    it("a closed subscription gets nothing more", async () => {
      const bus = await fixture.createBus();
      const [closed, open] = [new Recorder(), new Recorder()];
      const subscription = await subscribe(bus, "live", closed.handler);
      await subscribe(bus, "live", open.handler);
      await bus.publishSamples([envelope(71, 1)]);
      await waitUntil(() => closed.has([envelope(71, 1)]) && open.has([envelope(71, 1)]), "both subscribers to get the first sample");

      await subscription.close();
      await bus.publishSamples([envelope(71, 2)]);
      // Both read the same feed: once the open subscriber has the sample, the closed one would have had it too.
      await waitUntil(() => open.has([envelope(71, 2)]), "the open subscriber to get the second sample");
      expect([...closed.keys()]).toEqual(["71:1"]);
    });

    it("close waits for running handlers", async () => {
      const bus = await fixture.createBus();
      let release!: () => void;
      const running = new Promise<void>((resolve) => (release = resolve));
      let started = false;
      const subscription = await bus.subscribeSamples("live", () => {
        started = true;
        return running;
      });
      await bus.publishSamples([envelope(81, 1)]);
      await waitUntil(() => started, "the handler to start");

      let closed = false;
      const closing = subscription.close().then(() => (closed = true));
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(closed).toBe(false);
      release();
      await closing;
      expect(closed).toBe(true);
    });
  });
}
