/** The contract every AgentStore adapter must pass, written against the ports alone so each backend runs the same suite. */
import type { AgentFacts } from "@statusmonitor/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlainUser, type AccountStoresFixture } from "../test-support/account-stores.js";
import type { AgentPresence, AgentRecord, AgentStore, NewAgentToken } from "./ports.js";

/** 2026-03-10T10:00:00Z. */
const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
const MINUTE = 60_000;
const HOUR = 3600_000;
/** An id no adapter will ever have handed out in a fresh store (fits a 32-bit key). */
const NEVER = 2_000_000_000;

const FACTS: AgentFacts = {
  hostname: "web-1.example «ü»",
  os: "Debian GNU/Linux 12",
  arch: "x64",
  version: "1.2.3",
  kernel: "6.1.0-18-amd64",
  boot_time: T0 - 7 * 24 * HOUR,
};

export function describeAgentStoreContract(name: string, factory: () => Promise<AccountStoresFixture>): void {
  describe(`AgentStore contract: ${name}`, () => {
    let fixture: AccountStoresFixture;
    let agents: AgentStore;
    let alice: number;
    let bob: number;
    let made = 0;
    beforeEach(async () => {
      fixture = await factory();
      agents = fixture.agents;
      alice = await createUser("alice");
      bob = await createUser("bob");
    });
    afterEach(async () => {
      await fixture.close();
    });

    const createUser = (username: string) => createPlainUser(fixture.users, username, T0);

    const token = (tokenHash: string, issuedAt = T0): NewAgentToken => ({ tokenHash, issuedAt, expiresAt: issuedAt + HOUR });

    async function createAgent(userId: number, overrides: { name?: string; tokenHash?: string; createdAt?: number } = {}): Promise<AgentRecord> {
      made += 1;
      const createdAt = overrides.createdAt ?? T0;
      return agents.create({ userId, name: overrides.name ?? `agent ${made}`, createdAt, token: token(overrides.tokenHash ?? `hash-${made}`, createdAt) });
    }

    const presence = (id: number, lastSeen: number, newestSampleAt: number | null = null, intervalMs: number | null = null): AgentPresence => ({
      id,
      lastSeen,
      newestSampleAt,
      intervalMs,
    });

    describe("create and read", () => {
      it("reads a created agent back with every field, unknown facts and presence null", async () => {
        const created = await agents.create({ userId: alice, name: "web «1» & two", createdAt: T0 + 5, token: { tokenHash: "h-1", issuedAt: T0, expiresAt: T0 + HOUR } });
        expect(created).toEqual({
          id: expect.any(Number),
          userId: alice,
          name: "web «1» & two",
          tokenHash: "h-1",
          tokenIssuedAt: T0,
          tokenExpiresAt: T0 + HOUR,
          tokenActivatedAt: null,
          createdAt: T0 + 5,
          lastSeen: null,
          newestSampleAt: null,
          intervalMs: null,
          hostname: null,
          os: null,
          arch: null,
          agentVersion: null,
          kernel: null,
          bootTime: null,
        });
        expect(await agents.get(alice, created.id)).toEqual(created);
        expect(await agents.findByTokenHash("h-1")).toEqual(created);
      });

      it("lists a user's own agents in creation order, and everyone's in listAll", async () => {
        const a1 = await createAgent(alice);
        const b1 = await createAgent(bob);
        const a2 = await createAgent(alice, { name: "same name" });
        const a3 = await createAgent(alice, { name: "same name" });
        expect(await agents.listByUser(alice)).toEqual([a1, a2, a3]);
        expect(await agents.listByUser(bob)).toEqual([b1]);
        expect(await agents.listByUser(NEVER)).toEqual([]);
        expect(await agents.listAll()).toEqual([a1, b1, a2, a3]);
      });

      it("lists nothing in a fresh store and finds nothing for unknown ids and tokens", async () => {
        expect(await agents.listAll()).toEqual([]);
        expect(await agents.get(alice, NEVER)).toBeUndefined();
        expect(await agents.findByTokenHash("nope")).toBeUndefined();
      });

      it("refuses a second agent with a token hash already in use", async () => {
        await createAgent(alice, { tokenHash: "dup" });
        await expect(createAgent(bob, { tokenHash: "dup" })).rejects.toThrow();
        expect(await agents.listByUser(bob)).toEqual([]);
      });

      it("never hands out the id of a deleted agent again", async () => {
        const first = await createAgent(alice);
        expect(await agents.delete(alice, first.id)).toBe(true);
        const next = await createAgent(alice);
        expect(next.id).toBeGreaterThan(first.id);
      });
    });

    describe("ownership", () => {
      it("hides another user's agent from get, rename, replaceToken and delete, and changes nothing", async () => {
        const mine = await createAgent(alice);
        expect(await agents.get(bob, mine.id)).toBeUndefined();
        expect(await agents.rename(bob, mine.id, "taken over")).toBeUndefined();
        expect(await agents.replaceToken(bob, mine.id, token("bob's token"))).toBeUndefined();
        expect(await agents.delete(bob, mine.id)).toBe(false);
        expect(await agents.listByUser(bob)).toEqual([]);
        expect(await agents.get(alice, mine.id)).toEqual(mine);
        expect(await agents.findByTokenHash("bob's token")).toBeUndefined();
      });

      it("answers the same for an id that does not exist", async () => {
        expect(await agents.rename(alice, NEVER, "x")).toBeUndefined();
        expect(await agents.replaceToken(alice, NEVER, token("x"))).toBeUndefined();
        expect(await agents.delete(alice, NEVER)).toBe(false);
      });
    });

    describe("rename, replaceToken and delete", () => {
      it("renames and returns the whole record", async () => {
        const agent = await createAgent(alice);
        const renamed = await agents.rename(alice, agent.id, "db-2");
        expect(renamed).toEqual({ ...agent, name: "db-2" });
        expect(await agents.get(alice, agent.id)).toEqual(renamed);
      });

      it("replaces the token, restarting its activation window; the old hash finds nothing", async () => {
        const agent = await createAgent(alice, { tokenHash: "old" });
        await agents.activateToken(agent.id, "old", T0 + MINUTE);
        const replaced = await agents.replaceToken(alice, agent.id, { tokenHash: "new", issuedAt: T0 + HOUR, expiresAt: T0 + 2 * HOUR });
        expect(replaced).toEqual({ ...agent, tokenHash: "new", tokenIssuedAt: T0 + HOUR, tokenExpiresAt: T0 + 2 * HOUR, tokenActivatedAt: null });
        expect(await agents.findByTokenHash("old")).toBeUndefined();
        expect(await agents.findByTokenHash("new")).toEqual(replaced);
      });

      it("deletes once; the agent is gone from every read", async () => {
        const agent = await createAgent(alice, { tokenHash: "gone" });
        const other = await createAgent(alice);
        expect(await agents.delete(alice, agent.id)).toBe(true);
        expect(await agents.delete(alice, agent.id)).toBe(false);
        expect(await agents.get(alice, agent.id)).toBeUndefined();
        expect(await agents.findByTokenHash("gone")).toBeUndefined();
        expect(await agents.listByUser(alice)).toEqual([other]);
        expect(await agents.listAll()).toEqual([other]);
      });
    });

    describe("activateToken", () => {
      it("records the first activation only", async () => {
        const agent = await createAgent(alice, { tokenHash: "t" });
        await agents.activateToken(agent.id, "t", T0 + MINUTE);
        await agents.activateToken(agent.id, "t", T0 + 2 * MINUTE);
        expect((await agents.get(alice, agent.id))?.tokenActivatedAt).toBe(T0 + MINUTE);
      });

      it("does nothing for a token that is not the agent's current one", async () => {
        const agent = await createAgent(alice, { tokenHash: "first" });
        const other = await createAgent(alice, { tokenHash: "other" });
        await agents.replaceToken(alice, agent.id, token("second"));
        await agents.activateToken(agent.id, "first", T0 + MINUTE);
        await agents.activateToken(agent.id, "other", T0 + MINUTE);
        expect((await agents.get(alice, agent.id))?.tokenActivatedAt).toBeNull();
        expect((await agents.get(alice, other.id))?.tokenActivatedAt).toBeNull();
        await agents.activateToken(agent.id, "second", T0 + 2 * MINUTE);
        expect((await agents.get(alice, agent.id))?.tokenActivatedAt).toBe(T0 + 2 * MINUTE);
      });
    });

    describe("savePresence", () => {
      it("saves presence and reads it back", async () => {
        const a = await createAgent(alice);
        const b = await createAgent(bob);
        await agents.savePresence([presence(a.id, T0 + MINUTE, T0 + 50_000, 10_000), presence(b.id, T0 + 2 * MINUTE)]);
        expect(await agents.get(alice, a.id)).toEqual({ ...a, lastSeen: T0 + MINUTE, newestSampleAt: T0 + 50_000, intervalMs: 10_000 });
        expect(await agents.get(bob, b.id)).toEqual({ ...b, lastSeen: T0 + 2 * MINUTE });
      });

      it("only moves forward: an older flush neither rewinds times nor clears what it does not know", async () => {
        const a = await createAgent(alice);
        await agents.savePresence([presence(a.id, T0 + 2 * MINUTE, T0 + 110_000, 10_000)]);
        await agents.savePresence([presence(a.id, T0 + MINUTE, T0 + 50_000, null)]);
        expect(await agents.get(alice, a.id)).toMatchObject({ lastSeen: T0 + 2 * MINUTE, newestSampleAt: T0 + 110_000, intervalMs: 10_000 });
        await agents.savePresence([presence(a.id, T0 + 3 * MINUTE, null, 15_000)]);
        expect(await agents.get(alice, a.id)).toMatchObject({ lastSeen: T0 + 3 * MINUTE, newestSampleAt: T0 + 110_000, intervalMs: 15_000 });
        await agents.savePresence([presence(a.id, T0 + 4 * MINUTE, T0 + 230_000, 5_000)]);
        expect(await agents.get(alice, a.id)).toMatchObject({ lastSeen: T0 + 4 * MINUTE, newestSampleAt: T0 + 230_000, intervalMs: 5_000 });
      });

      it("saves an agent listed twice in one batch as if the entries were saved in order", async () => {
        const a = await createAgent(alice);
        await agents.savePresence([presence(a.id, T0 + 2 * MINUTE, T0 + 100_000, 10_000), presence(a.id, T0 + MINUTE, null, 20_000), presence(a.id, T0, null, null)]);
        expect(await agents.get(alice, a.id)).toMatchObject({ lastSeen: T0 + 2 * MINUTE, newestSampleAt: T0 + 100_000, intervalMs: 20_000 });
      });

      it("saves a batch of hundreds of agents, ignores unknown ids and accepts an empty batch", async () => {
        const created: AgentRecord[] = [];
        for (let i = 0; i < 250; i += 1) created.push(await createAgent(i % 2 ? alice : bob));
        await agents.savePresence([]);
        await agents.savePresence([...created.map((agent, i) => presence(agent.id, T0 + i, T0 + i - 1, 1000 + i)), presence(NEVER, T0)]);
        const byId = new Map((await agents.listAll()).map((agent) => [agent.id, agent]));
        created.forEach((agent, i) => expect(byId.get(agent.id)).toEqual({ ...agent, lastSeen: T0 + i, newestSampleAt: T0 + i - 1, intervalMs: 1000 + i }));
        expect(byId.has(NEVER)).toBe(false);
      });

      it("takes overlapping batches from several instances at once without failing, keeping the newest", async () => {
        const created: AgentRecord[] = [];
        for (let i = 0; i < 200; i += 1) created.push(await createAgent(alice));
        const stores = [fixture, await fixture.openInstance(), await fixture.openInstance()];
        for (let round = 0; round < 10; round += 1) {
          await Promise.all(
            stores.map((store, s) => {
              // A full batch (the service saves 200 at a time), each instance walking the agents in its own
              // order: the pattern that deadlocks row locking taken in whatever order the plan visits rows.
              const order = s % 2 ? [...created].reverse() : created;
              return store.agents.savePresence(order.map((agent) => presence(agent.id, T0 + round * 10 + s, T0 + round * 10 + s, 1000 + s)));
            }),
          );
        }
        for (const agent of await agents.listAll()) expect(agent).toMatchObject({ lastSeen: T0 + 92, newestSampleAt: T0 + 92 });
      });
    });

    describe("saveFacts", () => {
      it("saves every fact and reads it back", async () => {
        const a = await createAgent(alice);
        await agents.saveFacts(a.id, FACTS);
        expect(await agents.get(alice, a.id)).toEqual({
          ...a,
          hostname: FACTS.hostname,
          os: FACTS.os,
          arch: FACTS.arch,
          agentVersion: FACTS.version,
          kernel: FACTS.kernel,
          bootTime: FACTS.boot_time,
        });
      });

      it("replaces all facts, clearing the optional ones a newer agent no longer sends", async () => {
        const a = await createAgent(alice);
        const other = await createAgent(alice);
        await agents.saveFacts(a.id, FACTS);
        await agents.saveFacts(a.id, { hostname: "web-2", os: "Alpine", arch: "arm64", version: "2.0.0" });
        expect(await agents.get(alice, a.id)).toMatchObject({ hostname: "web-2", os: "Alpine", arch: "arm64", agentVersion: "2.0.0", kernel: null, bootTime: null });
        expect(await agents.get(alice, other.id)).toEqual(other);
      });

      it("ignores an unknown agent", async () => {
        await agents.saveFacts(NEVER, FACTS);
        expect(await agents.listAll()).toEqual([]);
      });
    });
  });
}
