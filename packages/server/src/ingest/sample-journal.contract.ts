/**
 * The contract every SampleJournal adapter must pass: which samples are new, what reaches `publish`,
 * the newest sample, and what a failed or concurrent publish leaves behind. Where journals differ by
 * design, the fixture declares which way it goes, and the suite checks that way.
 */
import type { Sample } from "@statusmonitor/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../test-support/test-hub.js";
import type { SampleJournal } from "./ports.js";

export interface SampleJournalTraits {
  /**
   * Two appends of one sample at once: "published once" where checking and recording are one step
   * (a write), "published at least once" where the second may check before the first has recorded
   * (recording waits for publish). Consumers are idempotent either way.
   */
  concurrentDuplicate: "published once" | "published at least once";
  /**
   * The samples of an append whose publish was rejected: "kept" by a journal that is its own store
   * (written first, replayed from by history), "new again" in one that records only what was published.
   */
  afterRejectedPublish: "kept" | "new again";
}

export interface SampleJournalFixture {
  /** A fresh, empty journal. */
  journal: SampleJournal;
  /** Another instance's journal over the same state (its own connection on Redis); the same object where there is one process. */
  peer: SampleJournal;
  traits: SampleJournalTraits;
  createAgent(): Promise<number>;
  close(): Promise<void>;
}

/** 2026-03-10T10:00:00Z. */
const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
const RECEIVED_AT = T0 + 60_000;

/** A sample at `T0 + seconds`; `usage` tells two samples with one timestamp apart. */
function sampleAt(agentId: number, seconds: number, usage = 10): Sample {
  return { agent_id: agentId, timestamp: T0 + seconds * 1000, cpu: { usage_percent: usage } };
}

/** A publish that records every call. */
function recordingPublish() {
  const calls: Sample[][] = [];
  const publish = async (fresh: Sample[]) => {
    calls.push(fresh);
  };
  return { calls, publish };
}

const rejectingPublish = async () => {
  throw new Error("bus unavailable");
};

export function describeSampleJournalContract(name: string, factory: () => Promise<SampleJournalFixture>): void {
  describe(`SampleJournal contract: ${name}`, () => {
    let fixture: SampleJournalFixture;
    let journal: SampleJournal;
    let agent: number;
    beforeEach(async () => {
      fixture = await factory();
      journal = fixture.journal;
      agent = await fixture.createAgent();
    });
    afterEach(async () => {
      await fixture.close();
    });

    describe("new and duplicate samples", () => {
      it("keeps new samples and hands exactly those to publish, once", async () => {
        const { calls, publish } = recordingPublish();
        const samples = [sampleAt(agent, 1), sampleAt(agent, 2)];
        expect(await journal.append(agent, samples, RECEIVED_AT, publish)).toEqual(samples);
        expect(calls).toEqual([samples]);
      });

      it("drops samples accepted by an earlier call (on any instance) and publishes only the new ones", async () => {
        const { calls, publish } = recordingPublish();
        await journal.append(agent, [sampleAt(agent, 1), sampleAt(agent, 2)], RECEIVED_AT, publish);
        const resent = [sampleAt(agent, 2, 99), sampleAt(agent, 3)];
        expect(await fixture.peer.append(agent, resent, RECEIVED_AT + 1000, publish)).toEqual([sampleAt(agent, 3)]);
        expect(calls).toEqual([[sampleAt(agent, 1), sampleAt(agent, 2)], [sampleAt(agent, 3)]]);
      });

      it("keeps the first of several samples with one timestamp in a call", async () => {
        const { calls, publish } = recordingPublish();
        const kept = await journal.append(agent, [sampleAt(agent, 1, 1), sampleAt(agent, 1, 2), sampleAt(agent, 2)], RECEIVED_AT, publish);
        expect(kept).toEqual([sampleAt(agent, 1, 1), sampleAt(agent, 2)]);
        expect(calls).toEqual([kept]);
      });

      it("does not call publish when nothing is new", async () => {
        const { calls, publish } = recordingPublish();
        await journal.append(agent, [sampleAt(agent, 1)], RECEIVED_AT, publish);
        expect(await journal.append(agent, [sampleAt(agent, 1)], RECEIVED_AT, publish)).toEqual([]);
        expect(await journal.append(agent, [], RECEIVED_AT, publish)).toEqual([]);
        expect(calls).toHaveLength(1);
      });

      it("judges each agent by its own samples", async () => {
        const other = await fixture.createAgent();
        const { publish } = recordingPublish();
        await journal.append(agent, [sampleAt(agent, 1)], RECEIVED_AT, publish);
        expect(await journal.append(other, [sampleAt(other, 1)], RECEIVED_AT, publish)).toEqual([sampleAt(other, 1)]);
      });
    });

    describe("publish", () => {
      it("answers only once publish has resolved", async () => {
        let resolvePublish!: () => void;
        let published = false;
        let answered = false;
        const appended = journal
          .append(agent, [sampleAt(agent, 1)], RECEIVED_AT, () => {
            published = true;
            return new Promise<void>((resolve) => (resolvePublish = resolve));
          })
          .then((kept) => {
            answered = true;
            return kept;
          });
        await waitFor(() => published, "publish to be called");
        await new Promise((resolve) => setImmediate(resolve));
        expect(answered).toBe(false);
        resolvePublish();
        expect(await appended).toEqual([sampleAt(agent, 1)]);
      });

      it("rejects the append when publish rejects", async () => {
        await expect(journal.append(agent, [sampleAt(agent, 1)], RECEIVED_AT, rejectingPublish)).rejects.toThrow("bus unavailable");
      });

      it("after a rejected publish, treats the samples as its traits say", async () => {
        await expect(journal.append(agent, [sampleAt(agent, 1), sampleAt(agent, 2)], RECEIVED_AT, rejectingPublish)).rejects.toThrow();
        const { calls, publish } = recordingPublish();
        const retried = await journal.append(agent, [sampleAt(agent, 1), sampleAt(agent, 2), sampleAt(agent, 3)], RECEIVED_AT + 1000, publish);
        if (fixture.traits.afterRejectedPublish === "new again") {
          expect(retried).toEqual([sampleAt(agent, 1), sampleAt(agent, 2), sampleAt(agent, 3)]);
        } else {
          expect(retried).toEqual([sampleAt(agent, 3)]);
        }
        expect(calls).toEqual([retried]);
      });

      it("publishes a sample appended by two instances at once as its traits say, and never loses it", async () => {
        const { calls, publish } = recordingPublish();
        const [first, second] = await Promise.all([
          journal.append(agent, [sampleAt(agent, 1)], RECEIVED_AT, publish),
          fixture.peer.append(agent, [sampleAt(agent, 1)], RECEIVED_AT, publish),
        ]);
        expect(calls.flat()).toEqual([...first, ...second]);
        if (fixture.traits.concurrentDuplicate === "published once") {
          expect(calls).toEqual([[sampleAt(agent, 1)]]);
        } else {
          expect(calls.length).toBeGreaterThanOrEqual(1);
          for (const call of calls) expect(call).toEqual([sampleAt(agent, 1)]);
        }
        expect(await journal.append(agent, [sampleAt(agent, 1)], RECEIVED_AT, publish)).toEqual([]);
      });
    });

    describe("newest", () => {
      it("is undefined for an agent with no samples", async () => {
        expect(await journal.newest(agent)).toBeUndefined();
      });

      it("is the newest accepted sample by timestamp, not the last to arrive", async () => {
        const { publish } = recordingPublish();
        await journal.append(agent, [sampleAt(agent, 20, 1)], RECEIVED_AT, publish);
        // A back-fill of older samples does not move it back.
        await journal.append(agent, [sampleAt(agent, 5), sampleAt(agent, 10)], RECEIVED_AT + 1000, publish);
        expect(await journal.newest(agent)).toEqual(sampleAt(agent, 20, 1));
        // Nor does a duplicate of it with other values.
        await journal.append(agent, [sampleAt(agent, 20, 2)], RECEIVED_AT + 2000, publish);
        expect(await journal.newest(agent)).toEqual(sampleAt(agent, 20, 1));
        await journal.append(agent, [sampleAt(agent, 30), sampleAt(agent, 25)], RECEIVED_AT + 3000, publish);
        expect(await fixture.peer.newest(agent)).toEqual(sampleAt(agent, 30));
      });

      it("ends at the newest when instances append different samples at once", async () => {
        const { publish } = recordingPublish();
        await Promise.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 ? fixture.peer : journal).append(agent, [sampleAt(agent, i + 1)], RECEIVED_AT, publish)),
        );
        expect(await journal.newest(agent)).toEqual(sampleAt(agent, 10));
      });

      it("is kept per agent", async () => {
        const other = await fixture.createAgent();
        const { publish } = recordingPublish();
        await journal.append(agent, [sampleAt(agent, 1)], RECEIVED_AT, publish);
        await journal.append(other, [sampleAt(other, 2)], RECEIVED_AT, publish);
        expect(await journal.newest(agent)).toEqual(sampleAt(agent, 1));
        expect(await journal.newest(other)).toEqual(sampleAt(other, 2));
      });

      it("does not count the samples of a rejected publish the journal does not keep", async () => {
        const { publish } = recordingPublish();
        await journal.append(agent, [sampleAt(agent, 1)], RECEIVED_AT, publish);
        await expect(journal.append(agent, [sampleAt(agent, 2)], RECEIVED_AT, rejectingPublish)).rejects.toThrow();
        const expected = fixture.traits.afterRejectedPublish === "new again" ? sampleAt(agent, 1) : sampleAt(agent, 2);
        expect(await journal.newest(agent)).toEqual(expected);
      });
    });
  });
}
