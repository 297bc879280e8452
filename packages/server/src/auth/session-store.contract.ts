/** The contract every SessionStore adapter must pass, written against the ports alone so each backend runs the same suite. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlainUser, type AccountStoresFixture } from "../test-support/account-stores.js";
import type { NewRefreshToken, SessionRecord, SessionStore } from "./ports.js";

/** 2026-03-10T10:00:00Z. */
const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
const MINUTE = 60_000;
const DAY = 24 * 3600_000;

export function describeSessionStoreContract(name: string, factory: () => Promise<AccountStoresFixture>): void {
  describe(`SessionStore contract: ${name}`, () => {
    let fixture: AccountStoresFixture;
    let sessions: SessionStore;
    let alice: number;
    let bob: number;
    beforeEach(async () => {
      fixture = await factory();
      sessions = fixture.sessions;
      alice = await createUser("alice");
      bob = await createUser("bob");
    });
    afterEach(async () => {
      await fixture.close();
    });

    const createUser = (username: string) => createPlainUser(fixture.users, username, T0);

    const token = (tokenHash: string, issuedAt = T0, expiresAt = T0 + 30 * DAY): NewRefreshToken => ({ tokenHash, issuedAt, expiresAt });

    /** Signs a user in: a session that ends at `expiresAt`, with its first refresh token. */
    async function signIn(id: string, userId: number, firstHash: string, expiresAt = T0 + 30 * DAY): Promise<SessionRecord> {
      await sessions.createSession({ id, userId, createdAt: T0, expiresAt }, token(firstHash, T0, expiresAt));
      return { id, userId, createdAt: T0, expiresAt, revokedAt: null };
    }

    describe("sessions and tokens", () => {
      it("reads a session and its first token back with every field", async () => {
        const session = await signIn("s-1", alice, "t-1");
        expect(await sessions.getSession("s-1")).toEqual(session);
        expect(await sessions.findToken("t-1")).toEqual({
          token: { tokenHash: "t-1", sessionId: "s-1", issuedAt: T0, expiresAt: session.expiresAt, rotatedAt: null },
          session,
        });
      });

      it("finds nothing for unknown sessions and tokens", async () => {
        await signIn("s-1", alice, "t-1");
        expect(await sessions.getSession("s-unknown")).toBeUndefined();
        expect(await sessions.findToken("t-unknown")).toBeUndefined();
      });

      it("keeps the sessions of several users apart", async () => {
        const a = await signIn("s-a", alice, "t-a");
        const b = await signIn("s-b", bob, "t-b");
        expect((await sessions.findToken("t-a"))?.session).toEqual(a);
        expect((await sessions.findToken("t-b"))?.session).toEqual(b);
      });
    });

    describe("rotate", () => {
      it("marks the old token used and adds the next one to the same session", async () => {
        const session = await signIn("s-1", alice, "t-1");
        expect(await sessions.rotate("t-1", token("t-2", T0 + MINUTE, session.expiresAt), T0 + MINUTE)).toBe(true);

        expect(await sessions.findToken("t-1")).toEqual({
          token: { tokenHash: "t-1", sessionId: "s-1", issuedAt: T0, expiresAt: session.expiresAt, rotatedAt: T0 + MINUTE },
          session,
        });
        expect(await sessions.findToken("t-2")).toEqual({
          token: { tokenHash: "t-2", sessionId: "s-1", issuedAt: T0 + MINUTE, expiresAt: session.expiresAt, rotatedAt: null },
          session,
        });
      });

      it("rotates along a chain, each token once", async () => {
        await signIn("s-1", alice, "t-1");
        expect(await sessions.rotate("t-1", token("t-2"), T0 + 1)).toBe(true);
        expect(await sessions.rotate("t-2", token("t-3"), T0 + 2)).toBe(true);
        expect(await sessions.rotate("t-3", token("t-4"), T0 + 3)).toBe(true);
        expect((await sessions.findToken("t-2"))?.token.rotatedAt).toBe(T0 + 2);
        expect((await sessions.findToken("t-4"))?.token).toMatchObject({ sessionId: "s-1", rotatedAt: null });
      });

      it("refuses a token used before (a re-use), storing nothing and keeping the first rotation's time", async () => {
        await signIn("s-1", alice, "t-1");
        expect(await sessions.rotate("t-1", token("t-2"), T0 + 1)).toBe(true);
        expect(await sessions.rotate("t-1", token("t-stolen"), T0 + 2)).toBe(false);
        expect(await sessions.findToken("t-stolen")).toBeUndefined();
        expect((await sessions.findToken("t-1"))?.token.rotatedAt).toBe(T0 + 1);
      });

      it("refuses an unknown token", async () => {
        expect(await sessions.rotate("t-unknown", token("t-next"), T0)).toBe(false);
        expect(await sessions.findToken("t-next")).toBeUndefined();
      });

      it("lets exactly one of ten concurrent rotations of one token on several instances win", async () => {
        await signIn("s-1", alice, "t-1");
        const stores = [fixture, await fixture.openInstance(), await fixture.openInstance()];
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) => stores[i % stores.length]!.sessions.rotate("t-1", token(`t-next-${i}`), T0 + i)),
        );
        expect(outcomes.filter(Boolean)).toHaveLength(1);
        const winner = outcomes.indexOf(true);
        const stored = await Promise.all(outcomes.map((_, i) => sessions.findToken(`t-next-${i}`)));
        expect(stored.map((found) => found !== undefined)).toEqual(outcomes);
        expect((await sessions.findToken("t-1"))?.token.rotatedAt).toBe(T0 + winner);
      });
    });

    describe("revokeSession", () => {
      it("marks the session revoked, visible through its tokens too, and leaves other sessions alone", async () => {
        const a = await signIn("s-a", alice, "t-a");
        const b = await signIn("s-b", bob, "t-b");
        await sessions.revokeSession("s-a", T0 + MINUTE, "logout");
        expect(await sessions.getSession("s-a")).toEqual({ ...a, revokedAt: T0 + MINUTE });
        expect((await sessions.findToken("t-a"))?.session.revokedAt).toBe(T0 + MINUTE);
        expect(await sessions.getSession("s-b")).toEqual(b);
      });

      it("keeps the time of the first revocation", async () => {
        await signIn("s-a", alice, "t-a");
        await sessions.revokeSession("s-a", T0 + MINUTE, "logout");
        await sessions.revokeSession("s-a", T0 + 2 * MINUTE, "refresh token re-used");
        expect((await sessions.getSession("s-a"))?.revokedAt).toBe(T0 + MINUTE);
      });

      it("ignores an unknown session", async () => {
        await sessions.revokeSession("s-unknown", T0, "logout");
        expect(await sessions.getSession("s-unknown")).toBeUndefined();
      });
    });

    describe("deleteStale", () => {
      it("removes expired and revoked sessions with their tokens and expired tokens of live sessions, counting each session once", async () => {
        const now = T0 + 10 * DAY;
        const live = await signIn("s-live", alice, "t-live-1", now + DAY);
        // A used token of a live session stays: presenting it again is how re-use is detected.
        expect(await sessions.rotate("t-live-1", token("t-live-2", T0 + 1, now + DAY), T0 + 1)).toBe(true);
        await sessions.rotate("t-live-2", token("t-live-short", T0 + 2, now - 1), T0 + 2);
        await signIn("s-expired", alice, "t-expired-1", now - 1);
        await sessions.rotate("t-expired-1", token("t-expired-2", T0 + 1, now - 1), T0 + 1);
        await signIn("s-revoked", bob, "t-revoked", now + DAY);
        await sessions.revokeSession("s-revoked", T0 + 5, "logout");

        // s-expired and s-revoked (their three tokens go with them) and the expired t-live-short.
        expect(await sessions.deleteStale(now)).toBe(3);

        expect(await sessions.getSession("s-live")).toEqual(live);
        expect((await sessions.findToken("t-live-1"))?.token.rotatedAt).toBe(T0 + 1);
        expect((await sessions.findToken("t-live-2"))?.token.rotatedAt).toBe(T0 + 2);
        expect(await sessions.findToken("t-live-short")).toBeUndefined();
        for (const gone of ["s-expired", "s-revoked"]) expect(await sessions.getSession(gone)).toBeUndefined();
        for (const gone of ["t-expired-1", "t-expired-2", "t-revoked"]) expect(await sessions.findToken(gone)).toBeUndefined();
        expect(await sessions.deleteStale(now)).toBe(0);
      });

      it("keeps a session and token that expire exactly now", async () => {
        const now = T0 + DAY;
        const session = await signIn("s-edge", alice, "t-edge", now);
        expect(await sessions.deleteStale(now)).toBe(0);
        expect(await sessions.getSession("s-edge")).toEqual(session);
        expect(await sessions.findToken("t-edge")).toBeDefined();
        expect(await sessions.deleteStale(now + 1)).toBe(1);
      });

      it("removes nothing from a store with only live sessions", async () => {
        await signIn("s-a", alice, "t-a");
        expect(await sessions.deleteStale(T0 + MINUTE)).toBe(0);
        expect(await sessions.findToken("t-a")).toBeDefined();
      });
    });
  });
}
