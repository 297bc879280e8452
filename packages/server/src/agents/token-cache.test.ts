/**
 * Two hub instances over one store and one shared cache, each with its own bus that carries nothing
 * to the other (as if Kafka were slow): a token changed through one is refused or updated by the
 * other at once, because the change deletes the shared cache entry before it is answered.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryBus } from "../adapters/memory/bus.js";
import { MemoryCache } from "../adapters/memory/cache.js";
import { SqliteSessionStore } from "../adapters/sqlite/sessions.js";
import { SqliteUserStore } from "../adapters/sqlite/users.js";
import { AuthService } from "../auth/service.js";
import type { Cache } from "../core/cache.js";
import { ManualClock } from "../core/clock.js";
import { createLogger } from "../core/logger.js";
import { sha256Hex } from "../core/secure-token.js";
import { openSqliteFixture, type SqliteFixture } from "../test-support/sqlite-fixture.js";
import { UsersService } from "../users/service.js";
import { ACTIVATION_WINDOW_MS } from "./agent-token.js";
import { AgentsService } from "./service.js";

const logger = createLogger({ level: "silent" });

interface Instance {
  agents: AgentsService;
  users: UsersService;
}

describe("agent tokens across instances sharing one cache", () => {
  let fixture: SqliteFixture;
  let clock: ManualClock;
  let cache: MemoryCache;
  let a: Instance;
  let b: Instance;
  let userId: number;

  /** A hub instance: its own services and its own bus, the shared store and cache. */
  function instance(sharedCache: Cache): Instance {
    const bus = new MemoryBus(logger);
    const userStore = new SqliteUserStore(fixture.db);
    const agents = new AgentsService(fixture.agents, bus, sharedCache, clock, logger);
    const auth = new AuthService({
      users: userStore,
      sessions: new SqliteSessionStore(fixture.db),
      cache: sharedCache,
      bus,
      clock,
      logger,
      secretKey: "a-test-secret-key-of-enough-length-for-hs256",
      accessTokenTtlS: 900,
      refreshTokenTtlDays: 30,
      allowRegistration: true,
    });
    return { agents, users: new UsersService(userStore, auth, agents, bus, logger) };
  }

  beforeEach(() => {
    fixture = openSqliteFixture("statusmonitor-token-cache-");
    clock = new ManualClock();
    cache = new MemoryCache(clock);
    a = instance(cache);
    b = instance(cache);
    userId = fixture.createUser();
  });
  afterEach(() => fixture.close());

  it("caches a checked token under its hash, never the token itself", async () => {
    const { agent, token } = await a.agents.create(userId, "web-01");
    await b.agents.authenticate(token);
    const cached = await cache.get(`agent-token:${sha256Hex(token)}`);
    expect(JSON.parse(cached!)).toMatchObject({ id: agent.id, userId, name: "web-01", activated: false });
    expect(cached).not.toContain(token);
    expect(await cache.get(`agent-token:${token}`)).toBeUndefined();
  });

  it("refuses a regenerated token on the other instance at once, and accepts the new one there", async () => {
    const { agent, token } = await a.agents.create(userId, "web-01");
    expect((await b.agents.authenticate(token)).id).toBe(agent.id);
    const { token: replacement } = await a.agents.regenerateToken(userId, agent.id);
    await expect(b.agents.authenticate(token)).rejects.toMatchObject({ code: "AGENT_TOKEN_INVALID" });
    expect((await b.agents.authenticate(replacement)).id).toBe(agent.id);
  });

  it("refuses the token of an agent deleted on the other instance at once", async () => {
    const { agent, token } = await a.agents.create(userId, "web-01");
    await b.agents.authenticate(token);
    await a.agents.delete(userId, agent.id);
    await expect(b.agents.authenticate(token)).rejects.toMatchObject({ code: "AGENT_TOKEN_INVALID" });
  });

  it("refuses the tokens of every agent of a user deleted on the other instance at once", async () => {
    const tokens = [(await a.agents.create(userId, "web-01")).token, (await a.agents.create(userId, "web-02")).token];
    const otherUser = fixture.createUser();
    const { token: othersToken } = await a.agents.create(otherUser, "db-01");
    for (const token of [...tokens, othersToken]) await b.agents.authenticate(token);
    await a.users.delete(userId, otherUser);
    for (const token of tokens) await expect(b.agents.authenticate(token)).rejects.toMatchObject({ code: "AGENT_TOKEN_INVALID" });
    expect((await b.agents.authenticate(othersToken)).userId).toBe(otherUser);
  });

  it("sees an activation on the other instance at once: the activation window no longer applies there", async () => {
    const { token } = await a.agents.create(userId, "web-01");
    // Checked late in the window, so the other instance's cache entry would outlive the window.
    clock.advance(ACTIVATION_WINDOW_MS - 1000);
    expect((await b.agents.authenticate(token)).activated).toBe(false);
    await a.agents.activate(await a.agents.authenticate(token));
    clock.advance(2000);
    expect((await b.agents.authenticate(token)).activated).toBe(true);
  });

  it("still refuses an unused token on every instance once its activation window has passed", async () => {
    const { token } = await a.agents.create(userId, "web-01");
    await b.agents.authenticate(token);
    clock.advance(ACTIVATION_WINDOW_MS + 1);
    await expect(a.agents.authenticate(token)).rejects.toMatchObject({ code: "AGENT_TOKEN_EXPIRED" });
    await expect(b.agents.authenticate(token)).rejects.toMatchObject({ code: "AGENT_TOKEN_EXPIRED" });
  });

  it("does not let a check that read the store just before a regeneration put the old token back into the cache", async () => {
    const { agent, token } = await a.agents.create(userId, "web-01");
    // Instance B reads the agent from the store, then A regenerates the token before B caches what it read.
    const staleRead = await fixture.agents.findByTokenHash(sha256Hex(token));
    let regenerated: Promise<unknown> | undefined;
    const raceStore = Object.create(fixture.agents) as typeof fixture.agents;
    raceStore.findByTokenHash = async () => {
      regenerated = a.agents.regenerateToken(userId, agent.id);
      await regenerated;
      return staleRead;
    };
    const racing = new AgentsService(raceStore, new MemoryBus(logger), cache, clock, logger);
    await expect(racing.authenticate(token)).rejects.toMatchObject({ code: "AGENT_TOKEN_INVALID" });
    expect(regenerated).toBeDefined();
    expect(await cache.get(`agent-token:${sha256Hex(token)}`)).toBeUndefined();
    await expect(b.agents.authenticate(token)).rejects.toMatchObject({ code: "AGENT_TOKEN_INVALID" });
  });

  it("gives the other instance the new name of a renamed agent at once", async () => {
    const { agent, token } = await a.agents.create(userId, "web-01");
    await b.agents.authenticate(token);
    await a.agents.rename(userId, agent.id, "web-01-renamed");
    expect((await b.agents.authenticate(token)).name).toBe("web-01-renamed");
  });
});
