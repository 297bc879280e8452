/**
 * The contract every Cache adapter must pass: values with expiry, single-use takes, counter windows
 * and leases, on one instance and between two instances racing each other.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../test-support/test-hub.js";
import type { Cache } from "./cache.js";
import type { ManualClock } from "./clock.js";

/** How a fixture lets time pass, so one suite serves a cache on a manual clock and one on a server's clock. */
export interface CacheTime {
  /**
   * Resolves once `check` holds, which the test expects as soon as `ms` have passed: a manual clock
   * is moved `ms` ahead and `check` must hold at once; real time is polled until a deadline.
   */
  after(ms: number, check: () => Promise<boolean>): Promise<void>;
}

export function manualCacheTime(clock: ManualClock): CacheTime {
  return {
    after: async (ms, check) => {
      clock.advance(ms);
      if (!(await check())) throw new Error(`still not so ${ms} ms later`);
    },
  };
}

/** Real time; the deadline leaves room for a busy machine, the polling keeps a quick one quick. */
export const realCacheTime: CacheTime = {
  after: async (ms, check) => {
    await waitFor(check, `the state expected ${ms} ms later`, ms + 5_000, 10);
  },
};

export interface CacheFixture {
  /** A fresh cache with nothing in it. */
  cache: Cache;
  /** Another instance's view of the same state (its own connection on Redis); races spread their calls over both. */
  peer: Cache;
  time: CacheTime;
  close(): Promise<void>;
}

/** Long enough to expire during a test on a real clock, short enough to keep the suite quick. */
const SHORT_MS = 200;
/** Never runs out during a test. */
const LONG_MS = 60_000;
const RACERS = 20;

export function describeCacheContract(name: string, factory: () => Promise<CacheFixture>): void {
  describe(`Cache contract: ${name}`, () => {
    let fixture: CacheFixture;
    let cache: Cache;
    let peer: Cache;
    beforeEach(async () => {
      fixture = await factory();
      ({ cache, peer } = fixture);
    });
    afterEach(async () => {
      await fixture.close();
    });

    /**
     * Lets `ms` pass without a fixed sleep: a witness value set now with that ttl is waited out, so
     * whatever was given the same ttl before this call has expired too.
     */
    async function waitOut(ms: number): Promise<void> {
      await cache.set("witness", "1", ms);
      await fixture.time.after(ms, async () => (await cache.get("witness")) === undefined);
    }

    /** Runs `call` RACERS times at once, alternating between the two instances. */
    const race = <T>(call: (c: Cache, i: number) => Promise<T>) => Promise.all(Array.from({ length: RACERS }, (_, i) => call(i % 2 ? peer : cache, i)));

    describe("values", () => {
      it("gives back what was set, and undefined for a key never set", async () => {
        await cache.set("a", "alpha", LONG_MS);
        expect(await cache.get("a")).toBe("alpha");
        expect(await cache.get("b")).toBeUndefined();
      });

      it("shares values between instances", async () => {
        await cache.set("a", "alpha", LONG_MS);
        expect(await peer.get("a")).toBe("alpha");
      });

      it("forgets a value once its ttl has passed", async () => {
        await cache.set("a", "alpha", SHORT_MS);
        expect(await cache.get("a")).toBe("alpha");
        await fixture.time.after(SHORT_MS, async () => (await cache.get("a")) === undefined);
      });

      it("replaces the value and its ttl on a second set", async () => {
        await cache.set("a", "first", SHORT_MS);
        await cache.set("a", "second", LONG_MS);
        await waitOut(SHORT_MS);
        expect(await cache.get("a")).toBe("second");
      });

      it("deletes a value; deleting a missing key is no error", async () => {
        await cache.set("a", "alpha", LONG_MS);
        await cache.delete("a");
        await cache.delete("never-set");
        expect(await cache.get("a")).toBeUndefined();
      });
    });

    describe("take", () => {
      it("gives a value once and removes it", async () => {
        await cache.set("ticket", "grant", LONG_MS);
        expect(await cache.take("ticket")).toBe("grant");
        expect(await cache.take("ticket")).toBeUndefined();
        expect(await cache.get("ticket")).toBeUndefined();
      });

      it("gives nothing for an expired value", async () => {
        await cache.set("ticket", "grant", SHORT_MS);
        await waitOut(SHORT_MS);
        expect(await cache.take("ticket")).toBeUndefined();
      });

      it("lets exactly one of many concurrent takes on two instances win", async () => {
        await cache.set("ticket", "grant", LONG_MS);
        const taken = await race((c) => c.take("ticket"));
        expect(taken.filter((value) => value === "grant")).toHaveLength(1);
        expect(taken.filter((value) => value === undefined)).toHaveLength(RACERS - 1);
      });
    });

    describe("counters", () => {
      it("reads 0 with no reset for a counter never incremented", async () => {
        expect(await cache.count("hits")).toEqual({ count: 0, resetInMs: 0 });
      });

      it("counts increments from both instances in one window and reports when it ends", async () => {
        const first = await cache.increment("hits", LONG_MS);
        expect(first.count).toBe(1);
        expect(first.resetInMs).toBeGreaterThan(LONG_MS - 5_000);
        expect(first.resetInMs).toBeLessThanOrEqual(LONG_MS);
        const second = await peer.increment("hits", LONG_MS);
        expect(second.count).toBe(2);
        expect(second.resetInMs).toBeLessThanOrEqual(first.resetInMs);
        const counted = await cache.count("hits");
        expect(counted.count).toBe(2);
        expect(counted.resetInMs).toBeGreaterThan(0);
        expect(counted.resetInMs).toBeLessThanOrEqual(second.resetInMs);
      });

      it("reading a counter does not change it", async () => {
        await cache.count("hits");
        await cache.count("hits");
        expect((await cache.increment("hits", LONG_MS)).count).toBe(1);
        expect((await cache.count("hits")).count).toBe(1);
      });

      it("keeps the window of the first increment: later ones do not extend it", async () => {
        await cache.increment("hits", LONG_MS);
        await waitOut(SHORT_MS);
        const later = await cache.increment("hits", LONG_MS);
        expect(later.count).toBe(2);
        expect(later.resetInMs).toBeLessThanOrEqual(LONG_MS - SHORT_MS);
      });

      it("starts over once the window has passed", async () => {
        await cache.increment("hits", SHORT_MS);
        await cache.increment("hits", SHORT_MS);
        await waitOut(SHORT_MS);
        expect(await cache.count("hits")).toEqual({ count: 0, resetInMs: 0 });
        const fresh = await cache.increment("hits", SHORT_MS);
        expect(fresh.count).toBe(1);
        expect(fresh.resetInMs).toBeGreaterThan(0);
        expect(fresh.resetInMs).toBeLessThanOrEqual(SHORT_MS);
      });

      it("counts every one of many concurrent increments on two instances", async () => {
        const counts = await race((c) => c.increment("hits", LONG_MS));
        expect(counts.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: RACERS }, (_, i) => i + 1));
        expect((await cache.count("hits")).count).toBe(RACERS);
      });

      it("forgets a deleted counter", async () => {
        await cache.increment("hits", LONG_MS);
        await cache.delete("hits");
        expect(await cache.count("hits")).toEqual({ count: 0, resetInMs: 0 });
      });
    });

    describe("leases", () => {
      it("grants a free key, tells who holds it, and refuses it to anyone else", async () => {
        expect(await cache.claim("leader", "a", LONG_MS)).toBe(true);
        expect(await cache.get("leader")).toBe("a");
        expect(await cache.claim("leader", "b", LONG_MS)).toBe(false);
        expect(await peer.claim("leader", "b", LONG_MS)).toBe(false);
        expect(await cache.get("leader")).toBe("a");
      });

      it("renews the holder's lease for a full ttl from now", async () => {
        expect(await cache.claim("leader", "a", SHORT_MS)).toBe(true);
        expect(await peer.claim("leader", "a", LONG_MS)).toBe(true);
        await waitOut(SHORT_MS);
        expect(await cache.claim("leader", "b", LONG_MS)).toBe(false);
        expect(await cache.get("leader")).toBe("a");
      });

      it("lets another owner take over once the lease has run out", async () => {
        expect(await cache.claim("leader", "a", SHORT_MS)).toBe(true);
        expect(await peer.claim("leader", "b", SHORT_MS)).toBe(false);
        await fixture.time.after(SHORT_MS, () => peer.claim("leader", "b", LONG_MS));
        expect(await cache.get("leader")).toBe("b");
        // The old holder can neither renew nor release what is no longer its lease.
        expect(await cache.claim("leader", "a", LONG_MS)).toBe(false);
        await cache.release("leader", "a");
        expect(await cache.get("leader")).toBe("b");
      });

      it("is released by its owner only", async () => {
        expect(await cache.claim("leader", "a", LONG_MS)).toBe(true);
        await peer.release("leader", "b");
        expect(await cache.get("leader")).toBe("a");
        await peer.release("leader", "a");
        expect(await cache.get("leader")).toBeUndefined();
        expect(await cache.claim("leader", "b", LONG_MS)).toBe(true);
        await cache.release("never-claimed", "a");
      });

      it("a refused claim leaves the holder's ttl as it was", async () => {
        expect(await cache.claim("leader", "a", SHORT_MS)).toBe(true);
        expect(await cache.claim("leader", "b", LONG_MS)).toBe(false);
        await waitOut(SHORT_MS);
        expect(await cache.get("leader")).toBeUndefined();
      });

      it("gives a key contested by many owners on two instances to exactly one", async () => {
        const granted = await race((c, i) => c.claim("leader", `owner-${i}`, LONG_MS));
        expect(granted.filter(Boolean)).toHaveLength(1);
        const winner = `owner-${granted.indexOf(true)}`;
        expect(await peer.get("leader")).toBe(winner);
        expect(await peer.claim("leader", winner, LONG_MS)).toBe(true);
      });
    });
  });
}
