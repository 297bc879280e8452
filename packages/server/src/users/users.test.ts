/** User administration over real HTTP against a real hub and SQLite file: users/me, listing and deleting users (admin only), and purging stale sign-in tokens. */
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/passwords.js";
import { originalFixture } from "../test-support/original-agents.js";
import {
  catalogError,
  createAgent,
  expectCatalogError,
  HttpClient,
  signIn,
  signUp,
  TEST_PASSWORD as PASSWORD,
  useTestHub,
  type SignedUp,
} from "../test-support/test-hub.js";

const DAY_MS = 24 * 3600_000;

const isoDate = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

const headlessPayload = originalFixture("original-headless.json");

/** Sends one original-format sample with the agent's token, timestamped now. */
function ingest(http: HttpClient, agentToken: string) {
  return http.post("/ingest", { ...headlessPayload, timestamp: Date.now() / 1000 }, { token: null, headers: { "x-agent-token": agentToken } });
}

describe("users and user administration", () => {
  const ctx = useTestHub();
  let root: SignedUp;
  let alice: SignedUp;
  let bob: SignedUp;
  beforeAll(async () => {
    root = await signUp(ctx.url, "root");
    alice = await signUp(ctx.url, "alice");
    bob = await signUp(ctx.url, "bob");
  });

  it("tells each signed-in user who they are", async () => {
    const mine = await root.get("/api/v1/users/me");
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ id: root.userId, username: "root", role: "admin", created_at: isoDate });

    const hers = await alice.get("/api/v1/users/me");
    expect(hers.status).toBe(200);
    expect(hers.body).toEqual({ id: alice.userId, username: "alice", role: "user", created_at: isoDate });
  });

  it("answers users/me without a token with 401 UNAUTHENTICATED", async () => {
    const res = await ctx.http.get("/api/v1/users/me");
    expectCatalogError(res, 401, "UNAUTHENTICATED");
  });

  it("lists every user, in creation order and without password hashes, to an administrator", async () => {
    const res = await root.get("/api/v1/users");
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: root.userId, username: "root", role: "admin", created_at: isoDate },
      { id: alice.userId, username: "alice", role: "user", created_at: isoDate },
      { id: bob.userId, username: "bob", role: "user", created_at: isoDate },
    ]);
  });

  it("refuses the user list to a non-admin with 403 ADMIN_REQUIRED and to a stranger with 401", async () => {
    const asUser = await alice.get("/api/v1/users");
    expectCatalogError(asUser, 403, "ADMIN_REQUIRED");

    const anonymous = await ctx.http.get("/api/v1/users");
    expectCatalogError(anonymous, 401, "UNAUTHENTICATED");
  });

  it("refuses deletion to a non-admin with 403 ADMIN_REQUIRED and deletes nothing", async () => {
    const res = await alice.delete(`/api/v1/users/${bob.userId}`);
    expectCatalogError(res, 403, "ADMIN_REQUIRED");
    // Not even herself, and not the admin.
    expect((await alice.delete(`/api/v1/users/${alice.userId}`)).status).toBe(403);
    expect((await alice.delete(`/api/v1/users/${root.userId}`)).status).toBe(403);
    expect((await ctx.http.delete(`/api/v1/users/${bob.userId}`)).status).toBe(401);

    expect((await bob.get("/api/v1/users/me")).status).toBe(200);
    expect((await root.get("/api/v1/users")).body).toHaveLength(3);
  });

  it("answers an unknown user id with 404 USER_NOT_FOUND and a malformed one with 400", async () => {
    const unknown = await root.delete("/api/v1/users/999999");
    expectCatalogError(unknown, 404, "USER_NOT_FOUND");

    for (const id of ["abc", "0", "-1", "1.5"]) {
      const res = await root.delete(`/api/v1/users/${id}`);
      expect({ id, status: res.status, code: res.body.error.code }).toEqual({ id, status: 400, code: "VALIDATION_FAILED" });
    }
  });

  it("refuses to delete the last administrator with 409 LAST_ADMIN", async () => {
    const res = await root.delete(`/api/v1/users/${root.userId}`);
    expectCatalogError(res, 409, "LAST_ADMIN");
    expect((await root.get("/api/v1/users/me")).status).toBe(200);
  });

  it("deletes a user with their agents, and every session of theirs stops working", async () => {
    const doomed = await signUp(ctx.url, "doomed");
    const secondDevice = await new HttpClient(ctx.url).post("/api/v1/auth/login", { username: "doomed", password: PASSWORD });
    expect(secondDevice.status).toBe(200);
    const agents = [await createAgent(doomed, "doomed-1"), await createAgent(doomed, "doomed-2")];
    const bobsAgent = await createAgent(bob, "bobs-box");
    for (const agent of [...agents, bobsAgent]) expect((await ingest(ctx.http, agent.token)).status).toBe(200);
    // The session is known active (and remembered as such) before the deletion.
    expect((await doomed.get("/api/v1/users/me")).status).toBe(200);
    expect(await ctx.hub.adapters.agents.listByUser(doomed.userId)).toHaveLength(2);

    const res = await root.delete(`/api/v1/users/${doomed.userId}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();

    for (const accessToken of [doomed.accessToken!, secondDevice.body.access_token]) {
      const me = await ctx.http.get("/api/v1/users/me", { token: accessToken });
      expectCatalogError(me, 401, "UNAUTHENTICATED");
      expect((await ctx.http.get("/api/v1/agents", { token: accessToken })).status).toBe(401);
    }
    for (const refreshToken of [doomed.refreshToken, secondDevice.body.refresh_token]) {
      const refreshed = await ctx.http.post("/api/v1/auth/refresh", { refresh_token: refreshToken }, { token: null });
      expect(refreshed.body).toEqual(catalogError("INVALID_REFRESH_TOKEN"));
    }
    const signIn = await ctx.http.post("/api/v1/auth/login", { username: "doomed", password: PASSWORD }, { token: null });
    expect(signIn.body).toEqual(catalogError("INVALID_CREDENTIALS"));

    expect(await ctx.hub.adapters.agents.listByUser(doomed.userId)).toEqual([]);
    for (const agent of agents) {
      const sent = await ingest(ctx.http, agent.token);
      expectCatalogError(sent, 401, "AGENT_TOKEN_INVALID");
    }

    // Nobody else lost anything.
    expect((await ingest(ctx.http, bobsAgent.token)).status).toBe(200);
    expect((await bob.get("/api/v1/agents")).body.map((a: { id: number }) => a.id)).toEqual([bobsAgent.id]);
    expect((await root.get("/api/v1/users")).body.map((u: { username: string }) => u.username)).toEqual(["root", "alice", "bob"]);
    // Deleting twice is a 404, not a silent success.
    expect((await root.delete(`/api/v1/users/${doomed.userId}`)).body).toEqual(catalogError("USER_NOT_FOUND"));
  });

  it("lets a deleted username be registered again as a new account that inherits nothing", async () => {
    const doomed = await signUp(ctx.url, "reborn");
    await createAgent(doomed, "old-agent");
    expect((await root.delete(`/api/v1/users/${doomed.userId}`)).status).toBe(204);

    const again = await signUp(ctx.url, "reborn");
    expect((await again.get("/api/v1/users/me")).body).toMatchObject({ id: again.userId, username: "reborn", role: "user" });
    expect((await again.get("/api/v1/agents")).body).toEqual([]);
    // SQLite may hand the new account the same id: the old account's tokens must still open nothing.
    expect((await doomed.get("/api/v1/users/me")).body).toEqual(catalogError("UNAUTHENTICATED"));
    const oldRefresh = await ctx.http.post("/api/v1/auth/refresh", { refresh_token: doomed.refreshToken }, { token: null });
    expect(oldRefresh.body).toEqual(catalogError("INVALID_REFRESH_TOKEN"));
  });
});

describe("deleting administrators", () => {
  const ctx = useTestHub();

  it("lets one of two administrators delete the other, then protects the one left", async () => {
    const founder = await signUp(ctx.url, "founder");
    // A second administrator, as the `admin create-user --admin` command makes one.
    const deputyRecord = await ctx.hub.adapters.users.create({
      username: "deputy",
      passwordHash: await hashPassword(PASSWORD),
      createdAt: Date.now(),
      onlyIfFirst: false,
      role: "admin",
    });
    if (typeof deputyRecord === "string") throw new Error(`could not create deputy: ${deputyRecord}`);
    const deputy = await signIn(ctx.url, "deputy");
    expect((await deputy.get("/api/v1/users/me")).body.role).toBe("admin");

    const res = await deputy.delete(`/api/v1/users/${founder.userId}`);
    expect(res.status).toBe(204);
    expect((await founder.get("/api/v1/users/me")).status).toBe(401);
    // The deleted administrator's token no longer opens admin endpoints either.
    expect((await founder.get("/api/v1/users")).status).toBe(401);

    const self = await deputy.delete(`/api/v1/users/${deputyRecord.id}`);
    expectCatalogError(self, 409, "LAST_ADMIN");
    expect((await deputy.get("/api/v1/users")).body).toEqual([{ id: deputyRecord.id, username: "deputy", role: "admin", created_at: isoDate }]);
  });
});

describe("POST /api/v1/admin/cleanup-tokens", () => {
  const ctx = useTestHub({ manualClock: true });

  it("is for administrators only", async () => {
    await signUp(ctx.url, "cleaner");
    const user = await signUp(ctx.url, "plain_user");
    const asUser = await user.post("/api/v1/admin/cleanup-tokens");
    expectCatalogError(asUser, 403, "ADMIN_REQUIRED");
    const anonymous = await ctx.http.post("/api/v1/admin/cleanup-tokens");
    expectCatalogError(anonymous, 401, "UNAUTHENTICATED");
  });

  it("removes revoked and expired sessions, keeps live ones and their re-use detection, and counts what went", async () => {
    const login = (username: string) => ctx.http.post("/api/v1/auth/login", { username, password: PASSWORD }, { token: null });
    const refresh = (refreshToken: string) => ctx.http.post("/api/v1/auth/refresh", { refresh_token: refreshToken }, { token: null });
    let admin = new HttpClient(ctx.url, (await login("cleaner")).body.access_token);
    const cleanup = async () => {
      const res = await admin.post("/api/v1/admin/cleanup-tokens");
      expect(res.status).toBe(200);
      return res.body;
    };
    // Sessions so far: cleaner ×2, plain_user ×1, all live.
    expect(await cleanup()).toEqual({ removed: 0 });

    const leaver = await signUp(ctx.url, "leaver");
    expect((await ctx.http.post("/api/v1/auth/logout", { refresh_token: leaver.refreshToken }, { token: null })).status).toBe(204);
    const rotator = await signUp(ctx.url, "rotator");
    const rotated = await refresh(rotator.refreshToken);
    expect(rotated.status).toBe(200);

    expect(await cleanup()).toEqual({ removed: 1 });
    expect(await cleanup()).toEqual({ removed: 0 });

    // The rotated session survived, and so did the used token that detects theft.
    expect((await ctx.http.get("/api/v1/users/me", { token: rotated.body.access_token })).status).toBe(200);
    const reuse = await refresh(rotator.refreshToken);
    expect(reuse.body).toEqual(catalogError("REFRESH_TOKEN_REUSED"));
    expect(await cleanup()).toEqual({ removed: 1 });

    // Thirty days on, every earlier sign-in (cleaner ×2, plain_user) has expired.
    ctx.clock.advance(30 * DAY_MS + 1);
    admin = new HttpClient(ctx.url, (await login("cleaner")).body.access_token);
    expect(await cleanup()).toEqual({ removed: 3 });
    expect(await cleanup()).toEqual({ removed: 0 });

    // The session that called the cleanup is untouched.
    expect((await admin.get("/api/v1/users/me")).status).toBe(200);
  });
});
