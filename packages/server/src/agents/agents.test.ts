/** Agent management over real HTTP: create, list with status, detail, rename, delete, token regeneration, the activation window and hashed token storage. */
import { createHash } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { agent as agentSchema, agentList, agentWithToken } from "@statusmonitor/protocol";
import { createAgent, expectErrorCode, signUp, TEST_PASSWORD as PASSWORD, useTestHub, type HttpClient, type SignedUp } from "../test-support/test-hub.js";

const FIVE_MINUTES = 5 * 60_000;

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const iso = (ms: number) => new Date(ms).toISOString();

describe("agent management", () => {
  const ctx = useTestHub({ manualClock: true, settings: { INGEST_RATE_LIMIT_PER_S: "10000" } });
  let alice: SignedUp;
  let bob: SignedUp;

  beforeAll(async () => {
    alice = await signUp(ctx.url, "alice", PASSWORD);
    bob = await signUp(ctx.url, "bob", PASSWORD);
  });

  /** Moves the manual clock and signs both users in again, since their access tokens follow the same clock. */
  async function advance(ms: number): Promise<void> {
    ctx.clock.advance(ms);
    for (const [client, username] of [
      [alice, "alice"],
      [bob, "bob"],
    ] as const) {
      const login = await ctx.http.post("/api/v1/auth/login", { username, password: PASSWORD });
      expect(login.status).toBe(200);
      client.accessToken = login.body.access_token;
    }
  }

  /** One original-format sample stamped with the manual clock's time (optionally offset). */
  function ingest(token: string, offsetMs = 0) {
    return ctx.http.post("/ingest", { timestamp: (ctx.clock.now() + offsetMs) / 1000, cpu: { usage_percent: 12.5 } }, { headers: { "x-agent-token": token } });
  }

  async function statusOf(client: HttpClient, id: number) {
    const list = await client.get("/api/v1/agents");
    expect(list.status).toBe(200);
    return list.body.find((a: { id: number }) => a.id === id);
  }

  describe("create", () => {
    it("answers 201 with the token shown once, prefixed, high-entropy, with a 5-minute window", async () => {
      const res = await alice.post("/api/v1/agents", { name: "web-01" });
      expect(res.status).toBe(201);
      expect(agentWithToken.strict().safeParse(res.body).success).toBe(true);
      const { token } = res.body;
      expect(token).toMatch(/^sma_[A-Za-z0-9_-]+$/);
      const secret = token.slice("sma_".length);
      // 160 bits need at least 27 base64url characters; the bytes must decode back to at least 20.
      expect(secret.length).toBeGreaterThanOrEqual(27);
      expect(Buffer.from(secret, "base64url").length).toBeGreaterThanOrEqual(20);
      expect(res.body).toMatchObject({
        name: "web-01",
        status: "pending",
        last_seen: null,
        token_activated: false,
        token_expires_at: iso(ctx.clock.now() + FIVE_MINUTES),
        created_at: iso(ctx.clock.now()),
        interval_s: null,
        hostname: null,
        os: null,
        arch: null,
        agent_version: null,
        boot_time: null,
        newest_sample_at: null,
      });
      expect(res.body.id).toBeGreaterThan(0);
    });

    it("issues a different token every time", async () => {
      const tokens = new Set<string>();
      for (let i = 0; i < 5; i++) tokens.add((await createAgent(alice, `many-${i}`)).token);
      expect(tokens.size).toBe(5);
    });

    it("trims the name", async () => {
      const res = await alice.post("/api/v1/agents", { name: "  spaced  " });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe("spaced");
    });

    it.each([
      ["an empty name", { name: "" }],
      ["a whitespace-only name", { name: "   " }],
      ["a 65-character name", { name: "x".repeat(65) }],
      ["a missing name", {}],
      ["a numeric name", { name: 42 }],
    ])("refuses %s with 400 VALIDATION_FAILED", async (_name, body) => {
      const res = await alice.post("/api/v1/agents", body);
      expectErrorCode(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.message).toMatch(/^body\.name: /);
      expect(res.body.error.issues[0].path).toBe("body.name");
    });

    it("accepts a 64-character name", async () => {
      const res = await alice.post("/api/v1/agents", { name: "y".repeat(64) });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe("y".repeat(64));
    });

    it("requires a signed-in user", async () => {
      const res = await ctx.http.post("/api/v1/agents", { name: "anon" }, { token: null });
      expectErrorCode(res, 401, "UNAUTHENTICATED");
    });
  });

  describe("list and status", () => {
    it("lists only the caller's agents, in creation order", async () => {
      const a1 = await createAgent(alice, "list-a1");
      const a2 = await createAgent(alice, "list-a2");
      const b1 = await createAgent(bob, "list-b1");
      const mine = await alice.get("/api/v1/agents");
      expect(mine.status).toBe(200);
      expect(agentList.safeParse(mine.body).success).toBe(true);
      const ids = mine.body.map((a: { id: number }) => a.id);
      expect(ids).toContain(a1.id);
      expect(ids).toContain(a2.id);
      expect(ids).not.toContain(b1.id);
      expect(ids.indexOf(a1.id)).toBeLessThan(ids.indexOf(a2.id));
      const theirs = await bob.get("/api/v1/agents");
      expect(theirs.body.map((a: { id: number }) => a.id)).toEqual([b1.id]);
    });

    it("goes pending → online after an ingest → offline after 3 default intervals", async () => {
      const { id, token } = await createAgent(alice, "status");
      expect((await statusOf(alice, id)).status).toBe("pending");

      expect((await ingest(token)).status).toBe(200);
      const seenAt = ctx.clock.now();
      const online = await statusOf(alice, id);
      expect(online).toMatchObject({ status: "online", last_seen: iso(seenAt), token_activated: true, token_expires_at: null });

      // Nothing learned yet: the original agents' 5 s period, so offline after 15 s of silence.
      await advance(15_000);
      expect((await statusOf(alice, id)).status).toBe("online");
      await advance(1);
      expect((await statusOf(alice, id)).status).toBe("offline");
      expect((await alice.get(`/api/v1/agents/${id}`)).body.status).toBe("offline");

      expect((await ingest(token)).status).toBe(200);
      expect((await statusOf(alice, id)).status).toBe("online");
    });

    it("goes offline after 3 of the interval it learned from the agent's samples", async () => {
      const { id, token } = await createAgent(alice, "learned");
      expect((await ingest(token)).status).toBe(200);
      await advance(2_000);
      expect((await ingest(token)).status).toBe(200);
      expect((await statusOf(alice, id)).interval_s).toBe(2);

      await advance(6_000);
      expect((await statusOf(alice, id)).status).toBe("online");
      await advance(1);
      expect((await statusOf(alice, id)).status).toBe("offline");
    });
  });

  describe("detail", () => {
    it("shows the agent without its token or the token's hash", async () => {
      const { id, token } = await createAgent(alice, "secretive");
      expect((await ingest(token)).status).toBe(200);
      const responses = [
        await alice.get(`/api/v1/agents/${id}`),
        await alice.get("/api/v1/agents"),
        await alice.patch(`/api/v1/agents/${id}`, { name: "still-secretive" }),
        await alice.get(`/api/v1/agents/${id}/latest`),
      ];
      for (const res of responses) {
        expect(res.status).toBe(200);
        const text = JSON.stringify(res.body);
        expect(text).not.toContain(token);
        expect(text).not.toContain(token.slice(4));
        expect(text).not.toContain(sha256(token));
        expect(text).not.toMatch(/"token"|token_hash/);
      }
      const detail = responses[0]!.body;
      expect(agentSchema.strict().safeParse(detail).success).toBe(true);
      expect(detail).toMatchObject({ id, name: "secretive", status: "online", token_activated: true });
    });

    it.each([
      ["a missing id", "/api/v1/agents/999999", 404, "AGENT_NOT_FOUND"],
      ["a non-numeric id", "/api/v1/agents/abc", 400, "VALIDATION_FAILED"],
      ["id zero", "/api/v1/agents/0", 400, "VALIDATION_FAILED"],
    ] as const)("answers %s with %s %s", async (_name, url, status, code) => {
      const res = await alice.get(url);
      expectErrorCode(res, status, code);
    });

    it("answers 404 for another user's agent on every endpoint, exactly like a missing one", async () => {
      const { id, token } = await createAgent(bob, "bobs");
      const attempts = [
        await alice.get(`/api/v1/agents/${id}`),
        await alice.patch(`/api/v1/agents/${id}`, { name: "mine now" }),
        await alice.post(`/api/v1/agents/${id}/token`),
        await alice.get(`/api/v1/agents/${id}/latest`),
        await alice.delete(`/api/v1/agents/${id}`),
      ];
      for (const res of attempts) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: { code: "AGENT_NOT_FOUND", message: "Agent not found." } });
      }
      // Nothing changed for the owner.
      const own = await bob.get(`/api/v1/agents/${id}`);
      expect(own.status).toBe(200);
      expect(own.body.name).toBe("bobs");
      expect((await ingest(token)).status).toBe(200);
    });
  });

  describe("rename", () => {
    it("renames with PATCH and shows the new name everywhere", async () => {
      const { id } = await createAgent(alice, "old-name");
      const res = await alice.patch(`/api/v1/agents/${id}`, { name: "  new-name " });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, name: "new-name" });
      expect((await alice.get(`/api/v1/agents/${id}`)).body.name).toBe("new-name");
      expect((await statusOf(alice, id)).name).toBe("new-name");
    });

    it.each([
      ["an empty name", { name: "" }],
      ["a whitespace-only name", { name: " \t " }],
      ["a 65-character name", { name: "z".repeat(65) }],
      ["a missing name", {}],
      ["a null name", { name: null }],
    ])("refuses %s with 400 VALIDATION_FAILED and keeps the old name", async (_name, body) => {
      const { id } = await createAgent(alice, "keep-me");
      const res = await alice.patch(`/api/v1/agents/${id}`, body);
      expectErrorCode(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.message).toMatch(/^body\.name: /);
      expect((await alice.get(`/api/v1/agents/${id}`)).body.name).toBe("keep-me");
    });

    it("answers 404 for a missing agent", async () => {
      const res = await alice.patch("/api/v1/agents/999999", { name: "ghost" });
      expectErrorCode(res, 404, "AGENT_NOT_FOUND");
    });
  });

  describe("delete", () => {
    it("answers 204, then 404, and rejects the agent's token at once", async () => {
      const { id, token } = await createAgent(alice, "doomed");
      expect((await ingest(token)).status).toBe(200);

      const res = await alice.delete(`/api/v1/agents/${id}`);
      expect(res.status).toBe(204);
      expect(res.body).toBeNull();

      for (const again of [await alice.get(`/api/v1/agents/${id}`), await alice.delete(`/api/v1/agents/${id}`), await alice.get(`/api/v1/agents/${id}/latest`)]) {
        expectErrorCode(again, 404, "AGENT_NOT_FOUND");
      }
      expect((await statusOf(alice, id))).toBeUndefined();

      const rejected = await ingest(token, 1000);
      expectErrorCode(rejected, 401, "AGENT_TOKEN_INVALID");
    });
  });

  describe("regenerate", () => {
    it("issues a new token that works, rejects the old one immediately and resets activation", async () => {
      const { id, token: oldToken } = await createAgent(alice, "rotating");
      expect((await ingest(oldToken)).status).toBe(200);
      expect((await alice.get(`/api/v1/agents/${id}`)).body.token_activated).toBe(true);

      await advance(1000);
      const res = await alice.post(`/api/v1/agents/${id}/token`);
      expect(res.status).toBe(200);
      expect(agentWithToken.strict().safeParse(res.body).success).toBe(true);
      const newToken: string = res.body.token;
      expect(newToken).toMatch(/^sma_[A-Za-z0-9_-]{27,}$/);
      expect(newToken).not.toBe(oldToken);
      expect(res.body).toMatchObject({ id, name: "rotating", token_activated: false, token_expires_at: iso(ctx.clock.now() + FIVE_MINUTES) });

      const old = await ingest(oldToken);
      expect(old.status).toBe(401);
      expect(old.body).toEqual({
        error: { code: "AGENT_TOKEN_INVALID", message: "Invalid agent token. Check the token or regenerate it in the dashboard." },
      });

      const detail = (await alice.get(`/api/v1/agents/${id}`)).body;
      expect(detail).toMatchObject({ token_activated: false, token_expires_at: iso(ctx.clock.now() + FIVE_MINUTES) });

      expect((await ingest(newToken)).status).toBe(200);
      expect((await alice.get(`/api/v1/agents/${id}`)).body).toMatchObject({ token_activated: true, token_expires_at: null });
      expect((await ingest(oldToken, 500)).status).toBe(401);
    });

    it("gives the new token its own 5-minute window", async () => {
      const { id } = await createAgent(alice, "late-regen");
      const res = await alice.post(`/api/v1/agents/${id}/token`);
      await advance(FIVE_MINUTES + 1);
      const late = await ingest(res.body.token);
      expectErrorCode(late, 401, "AGENT_TOKEN_EXPIRED");
    });

    it("answers 404 for a missing agent", async () => {
      const res = await alice.post("/api/v1/agents/999999/token");
      expectErrorCode(res, 404, "AGENT_NOT_FOUND");
    });
  });

  describe("activation window", () => {
    it("accepts an unused token at 4:59 and exactly at 5:00", async () => {
      const first = await createAgent(alice, "just-in-time");
      const second = await createAgent(alice, "on-the-dot");
      await advance(FIVE_MINUTES - 1000);
      expect((await ingest(first.token)).status).toBe(200);
      await advance(1000);
      expect((await ingest(second.token)).status).toBe(200);
    });

    it("refuses an unused token at 5:01 with AGENT_TOKEN_EXPIRED telling to regenerate, and leaves it pending", async () => {
      const { id, token } = await createAgent(alice, "too-late");
      await advance(FIVE_MINUTES + 1000);
      const res = await ingest(token);
      expectErrorCode(res, 401, "AGENT_TOKEN_EXPIRED");
      expect(res.body.error.message).toMatch(/regenerate/i);
      expect(await statusOf(alice, id)).toMatchObject({ status: "pending", token_activated: false, last_seen: null });

      // Regenerating is the way out.
      const regenerated = await alice.post(`/api/v1/agents/${id}/token`);
      expect((await ingest(regenerated.body.token)).status).toBe(200);
    });

    it("refuses an expired token even one millisecond past the window", async () => {
      const { token } = await createAgent(alice, "one-ms");
      await advance(FIVE_MINUTES + 1);
      expect((await ingest(token)).body.error.code).toBe("AGENT_TOKEN_EXPIRED");
    });

    it("keeps an activated token working long after the window", async () => {
      const { id, token } = await createAgent(alice, "long-lived");
      await advance(60_000);
      expect((await ingest(token)).status).toBe(200);
      for (const step of [FIVE_MINUTES, 10 * FIVE_MINUTES, 24 * 3600_000]) {
        await advance(step);
        const res = await ingest(token);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: "received" });
      }
      expect((await alice.get(`/api/v1/agents/${id}`)).body).toMatchObject({ token_activated: true, token_expires_at: null });
    });
  });

  describe("token storage", () => {
    it("stores only the SHA-256 of the token, nowhere the token itself", async () => {
      const { id, token: firstToken } = await createAgent(alice, "hashed");
      expect((await ingest(firstToken)).status).toBe(200);
      const regenerated = await alice.post(`/api/v1/agents/${id}/token`);
      const token: string = regenerated.body.token;
      expect((await ingest(token)).status).toBe(200);
      await ctx.hub.services.agents.flushPresence();

      const db = new Database(path.join(ctx.hub.dataDir, "statusmonitor.db"), { readonly: true, fileMustExist: true });
      try {
        const row = db.prepare("SELECT token_hash FROM agents WHERE id = ?").get(id) as { token_hash: string };
        expect(row.token_hash).toBe(sha256(token));
        expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);

        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
        expect(tables).toContain("agents");
        let cellsChecked = 0;
        for (const table of tables) {
          for (const record of db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][]) {
            for (const cell of record) {
              cellsChecked++;
              const text = Buffer.isBuffer(cell) ? cell.toString("latin1") : String(cell);
              for (const raw of [token, firstToken]) {
                expect(text).not.toContain(raw);
                expect(text).not.toContain(raw.slice(4));
              }
            }
          }
        }
        expect(cellsChecked).toBeGreaterThan(0);
      } finally {
        db.close();
      }
    });
  });
});
