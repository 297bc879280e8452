/** The contract every UserStore adapter must pass, written against the ports alone so each backend runs the same suite. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AccountStores, AccountStoresFixture } from "../test-support/account-stores.js";
import type { UserRecord, UserStore } from "./ports.js";

/** 2026-03-10T10:00:00Z. */
const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
const DAY = 24 * 3600_000;
/** An id no adapter will ever have handed out in a fresh store (fits a 32-bit key). */
const NEVER = 2_000_000_000;

export function describeUserStoreContract(name: string, factory: () => Promise<AccountStoresFixture>): void {
  describe(`UserStore contract: ${name}`, () => {
    let fixture: AccountStoresFixture;
    let users: UserStore;
    beforeEach(async () => {
      fixture = await factory();
      users = fixture.users;
    });
    afterEach(async () => {
      await fixture.close();
    });

    /** Creates a user that must be created, as registration with open sign-up would. */
    async function createUser(username: string, overrides: { createdAt?: number; role?: "admin" | "user"; store?: UserStore } = {}) {
      const created = await (overrides.store ?? users).create({
        username,
        passwordHash: `hash of ${username}`,
        createdAt: overrides.createdAt ?? T0,
        onlyIfFirst: false,
        role: overrides.role,
      });
      if (typeof created === "string") throw new Error(`creating ${username}: ${created}`);
      return created;
    }

    /** Stores of `count` further hub instances on the same database. */
    async function instances(count: number): Promise<AccountStores[]> {
      return Promise.all(Array.from({ length: count }, () => fixture.openInstance()));
    }

    describe("create", () => {
      it("makes the first user admin and every later one a plain user, with every field read back", async () => {
        const alice = await createUser("alice", { createdAt: T0 });
        const bob = await createUser("bob", { createdAt: T0 + 1 });
        const carol = await createUser("carol", { createdAt: T0 + 2 });

        expect(alice).toEqual({ id: expect.any(Number), username: "alice", passwordHash: "hash of alice", role: "admin", createdAt: T0 });
        expect(bob).toMatchObject({ username: "bob", role: "user", createdAt: T0 + 1 });
        expect(carol).toMatchObject({ username: "carol", role: "user", createdAt: T0 + 2 });
        expect(new Set([alice.id, bob.id, carol.id]).size).toBe(3);
        expect(await users.findById(alice.id)).toEqual(alice);
        expect(await users.findById(bob.id)).toEqual(bob);
      });

      it("keeps the spelling of a username but treats names that differ only in case as the same", async () => {
        const alice = await createUser("Alice.Smith");
        expect(alice.username).toBe("Alice.Smith");
        expect(await users.findByUsername("alice.smith")).toEqual(alice);
        expect(await users.findByUsername("ALICE.SMITH")).toEqual(alice);
        expect(await users.findByUsername("Alice.Smith")).toEqual(alice);
        expect(await users.findByUsername("alice")).toBeUndefined();

        expect(await users.create({ username: "aLICE.sMITH", passwordHash: "other", createdAt: T0, onlyIfFirst: false })).toBe("taken");
        expect(await users.create({ username: "alice.smith", passwordHash: "other", createdAt: T0, onlyIfFirst: false, role: "admin" })).toBe("taken");
        expect(await users.list()).toEqual([alice]);
      });

      it("with onlyIfFirst creates the first user (as admin) and nobody after", async () => {
        const first = await users.create({ username: "root", passwordHash: "h", createdAt: T0, onlyIfFirst: true });
        expect(first).toMatchObject({ username: "root", role: "admin" });
        expect(await users.create({ username: "second", passwordHash: "h", createdAt: T0, onlyIfFirst: true })).toBe("closed");
        expect(await users.findByUsername("second")).toBeUndefined();
        expect(await users.list()).toHaveLength(1);
      });

      it("with onlyIfFirst answers taken rather than closed for a name in use", async () => {
        await createUser("root");
        expect(await users.create({ username: "ROOT", passwordHash: "h", createdAt: T0, onlyIfFirst: true })).toBe("taken");
      });

      it("lets a forced role override the first-user rule", async () => {
        const first = await createUser("operator", { role: "user" });
        const second = await createUser("boss", { role: "admin" });
        const third = await createUser("plain");
        expect([first.role, second.role, third.role]).toEqual(["user", "admin", "user"]);
        expect((await users.findById(second.id))?.role).toBe("admin");
      });

      it("never hands out the id of a deleted user again", async () => {
        await createUser("admin");
        const doomed = await createUser("doomed");
        expect(await users.delete(doomed.id)).toBe("deleted");
        const next = await createUser("doomed");
        expect(next.id).toBeGreaterThan(doomed.id);
      });
    });

    describe("concurrent registrations on several instances", () => {
      it("make exactly one of ten concurrent first users admin", async () => {
        const stores = [fixture, ...(await instances(2))];
        const created = await Promise.all(
          Array.from({ length: 10 }, (_, i) => createUser(`racer${i}`, { store: stores[i % stores.length]!.users })),
        );
        expect(created.filter((user) => user.role === "admin")).toHaveLength(1);
        expect(new Set(created.map((user) => user.id)).size).toBe(10);
        const listed = await users.list();
        expect(listed).toHaveLength(10);
        expect(listed.filter((user) => user.role === "admin")).toHaveLength(1);
      });

      it("let exactly one of ten concurrent onlyIfFirst registrations in", async () => {
        const stores = [fixture, ...(await instances(2))];
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            stores[i % stores.length]!.users.create({ username: `racer${i}`, passwordHash: "h", createdAt: T0, onlyIfFirst: true }),
          ),
        );
        const created = outcomes.filter((outcome): outcome is UserRecord => typeof outcome !== "string");
        expect(created).toHaveLength(1);
        expect(created[0]!.role).toBe("admin");
        expect(outcomes.filter((outcome) => outcome === "closed")).toHaveLength(9);
        expect(await users.list()).toEqual(created);
      });

      it("give one name, in any case, to exactly one of ten concurrent registrations", async () => {
        const stores = [fixture, ...(await instances(2))];
        const spellings = ["dana", "DANA", "Dana", "dAna", "daNa", "danA", "DAna", "daNA", "DanA", "dANA"];
        const outcomes = await Promise.all(
          spellings.map((username, i) => stores[i % stores.length]!.users.create({ username, passwordHash: "h", createdAt: T0, onlyIfFirst: false })),
        );
        expect(outcomes.filter((outcome) => typeof outcome !== "string")).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome === "taken")).toHaveLength(9);
        expect(await users.list()).toHaveLength(1);
      });
    });

    describe("reads", () => {
      it("finds nobody for unknown names and ids", async () => {
        await createUser("alice");
        expect(await users.findByUsername("nobody")).toBeUndefined();
        expect(await users.findById(NEVER)).toBeUndefined();
      });

      it("lists every user in the order they were created", async () => {
        const made = [];
        for (const username of ["zed", "amy", "Mike"]) made.push(await createUser(username));
        expect(await users.list()).toEqual(made);
      });

      it("lists nobody in a fresh store", async () => {
        expect(await users.list()).toEqual([]);
      });
    });

    describe("setPassword", () => {
      it("changes the hash of that user only", async () => {
        const alice = await createUser("alice");
        const bob = await createUser("bob");
        expect(await users.setPassword(bob.id, "new hash")).toBe(true);
        expect(await users.findById(bob.id)).toEqual({ ...bob, passwordHash: "new hash" });
        expect(await users.findById(alice.id)).toEqual(alice);
      });

      it("answers false for an unknown user", async () => {
        expect(await users.setPassword(NEVER, "x")).toBe(false);
      });
    });

    describe("delete", () => {
      it("removes a user, who can then not be found, and frees the name", async () => {
        const admin = await createUser("admin");
        const bob = await createUser("bob");
        expect(await users.delete(bob.id)).toBe("deleted");
        expect(await users.findById(bob.id)).toBeUndefined();
        expect(await users.findByUsername("bob")).toBeUndefined();
        expect(await users.list()).toEqual([admin]);
        expect(await users.create({ username: "BOB", passwordHash: "h", createdAt: T0, onlyIfFirst: false })).toMatchObject({ username: "BOB", role: "user" });
      });

      it("answers not_found for an unknown or already deleted user", async () => {
        await createUser("admin");
        const bob = await createUser("bob");
        expect(await users.delete(NEVER)).toBe("not_found");
        expect(await users.delete(bob.id)).toBe("deleted");
        expect(await users.delete(bob.id)).toBe("not_found");
      });

      it("refuses to delete the last admin, and allows it while another admin remains", async () => {
        const first = await createUser("first");
        const plain = await createUser("plain");
        expect(await users.delete(first.id)).toBe("last_admin");
        expect(await users.findById(first.id)).toEqual(first);

        const second = await createUser("second", { role: "admin" });
        expect(await users.delete(first.id)).toBe("deleted");
        expect(await users.delete(second.id)).toBe("last_admin");
        expect(await users.delete(plain.id)).toBe("deleted");
        expect(await users.list()).toEqual([second]);
      });

      it("deletes a plain user even when it is the only user", async () => {
        const only = await createUser("only", { role: "user" });
        expect(await users.delete(only.id)).toBe("deleted");
        expect(await users.list()).toEqual([]);
      });

      it("keeps one admin when every admin is deleted at once from several instances", async () => {
        const stores = [fixture, ...(await instances(2))];
        const admins = [await createUser("a0")];
        for (let i = 1; i < 6; i += 1) admins.push(await createUser(`a${i}`, { role: "admin" }));
        const outcomes = await Promise.all(admins.map((admin, i) => stores[i % stores.length]!.users.delete(admin.id)));
        expect(outcomes.filter((outcome) => outcome === "deleted")).toHaveLength(5);
        expect(outcomes.filter((outcome) => outcome === "last_admin")).toHaveLength(1);
        const left = await users.list();
        expect(left).toHaveLength(1);
        expect(left[0]!.role).toBe("admin");
      });

      it("takes the user's sessions, refresh tokens and agents along, and nobody else's", async () => {
        const admin = await createUser("admin");
        const bob = await createUser("bob");
        for (const owner of [admin, bob]) {
          await fixture.sessions.createSession(
            { id: `session of ${owner.username}`, userId: owner.id, createdAt: T0, expiresAt: T0 + DAY },
            { tokenHash: `refresh of ${owner.username}`, issuedAt: T0, expiresAt: T0 + DAY },
          );
          await fixture.agents.create({ userId: owner.id, name: "web-1", createdAt: T0, token: { tokenHash: `agent of ${owner.username}`, issuedAt: T0, expiresAt: T0 + DAY } });
        }
        const adminAgent = await fixture.agents.findByTokenHash("agent of admin");

        expect(await users.delete(bob.id)).toBe("deleted");

        expect(await fixture.sessions.getSession("session of bob")).toBeUndefined();
        expect(await fixture.sessions.findToken("refresh of bob")).toBeUndefined();
        expect(await fixture.agents.findByTokenHash("agent of bob")).toBeUndefined();
        expect(await fixture.agents.listByUser(bob.id)).toEqual([]);
        expect(await fixture.agents.listAll()).toEqual([adminAgent]);
        expect(await fixture.sessions.getSession("session of admin")).toMatchObject({ userId: admin.id, revokedAt: null });
        expect(await fixture.sessions.findToken("refresh of admin")).toBeDefined();
      });
    });
  });
}
