/** The live stream over real HTTP and WebSockets on loopback: tickets, upgrade checks, fan-out, client messages and every way the hub closes a socket. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LIVE_CLOSE_CODES } from "@statusmonitor/protocol";
import {
  LiveSocket,
  ingestBatch,
  ingestOriginal,
  issueTicket,
  openLive,
  refusedUpgrade,
} from "../test-support/live-socket.js";
import {
  createAgent,
  expectErrorCode,
  signIn,
  signUp,
  useTestHub,
  waitFor,
  type HttpClient,
  type SignedUp,
} from "../test-support/test-hub.js";

/** The default 10 requests per agent per second never resets under a manual clock. */
const SETTINGS = { INGEST_RATE_LIMIT_PER_S: "10000" };

describe("live streaming", () => {
  const ctx = useTestHub({ manualClock: true, settings: SETTINGS });
  let admin: SignedUp;
  let alice: SignedUp;
  let bob: SignedUp;
  let sockets: LiveSocket[] = [];
  /** Sample timestamps: increasing, an hour behind the manual clock so they are never "in the future". */
  let lastTs = ctx.clock.now() - 3600_000;
  const nextTs = () => (lastTs += 1000);

  const track = (socket: LiveSocket) => (sockets.push(socket), socket);
  const live = async (client: HttpClient, agentId: number | null, options: { origin?: string } = {}) =>
    track(await openLive(client, agentId, options));
  const open = async (ticket: string | undefined, options: { origin?: string } = {}) =>
    track(await LiveSocket.open(ctx.url, ticket, options));
  const tsOf = (messages: any[]) => messages.map((m) => m.sample.timestamp);

  beforeAll(async () => {
    admin = await signUp(ctx.url, "root");
    alice = await signUp(ctx.url, "alice");
    bob = await signUp(ctx.url, "bob");
  });
  afterEach(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    sockets = [];
  });

  describe("POST /api/v1/live/tickets", () => {
    it("requires a Bearer token", async () => {
      const res = await alice.post("/api/v1/live/tickets", {}, { token: null });
      expectErrorCode(res, 401, "UNAUTHENTICATED");
      const forged = await alice.post("/api/v1/live/tickets", {}, { token: "not-a-jwt" });
      expectErrorCode(forged, 401, "UNAUTHENTICATED");
    });

    it("issues a 30-second ticket for one of the caller's agents", async () => {
      const agent = await createAgent(alice, "ticket-own");
      const res = await alice.post("/api/v1/live/tickets", { agent_id: agent.id });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ticket: expect.stringMatching(/^smt_[A-Za-z0-9_-]{20,}$/), expires_in: 30 });
      const second = await alice.post("/api/v1/live/tickets", { agent_id: agent.id });
      expect(second.body.ticket).not.toBe(res.body.ticket);
    });

    it.each([
      ["no body", undefined],
      ["an empty object", {}],
      ["agent_id null", { agent_id: null }],
    ])("issues an all-agents ticket for %s", async (_label, body) => {
      const res = await alice.post("/api/v1/live/tickets", body);
      expect(res.status).toBe(200);
      expect(res.body.expires_in).toBe(30);
      const socket = await open(res.body.ticket);
      expect(await socket.next((m) => m.type === "ready", "ready")).toEqual({ type: "ready", agent_id: null });
    });

    it("answers 404 AGENT_NOT_FOUND for another user's agent and for an unknown one, identically", async () => {
      const bobs = await createAgent(bob, "ticket-foreign");
      const foreign = await alice.post("/api/v1/live/tickets", { agent_id: bobs.id });
      const unknown = await alice.post("/api/v1/live/tickets", { agent_id: 987_654_321 });
      expectErrorCode(foreign, 404, "AGENT_NOT_FOUND");
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual(foreign.body);
      expect(JSON.stringify(foreign.body)).not.toContain("ticket-foreign");
    });

    it.each([["a string", "1"], ["zero", 0], ["a negative id", -3], ["a fraction", 1.5], ["an object", { id: 1 }]])(
      "rejects agent_id as %s with 400 VALIDATION_FAILED",
      async (_label, agentId) => {
        const res = await alice.post("/api/v1/live/tickets", { agent_id: agentId });
        expectErrorCode(res, 400, "VALIDATION_FAILED");
      },
    );
  });

  describe("WS /api/v1/live upgrade", () => {
    it("accepts a ticket once; the second connect is refused with 401 TICKET_INVALID", async () => {
      const agent = await createAgent(alice, "single-use");
      const ticket = await issueTicket(alice, agent.id);
      const first = await open(ticket);
      await first.next((m) => m.type === "ready", "ready");
      const second = await refusedUpgrade(ctx.url, ticket);
      expectErrorCode(second, 401, "TICKET_INVALID");
      // The first connection is not disturbed by the refused one.
      await first.barrier();
      expect(first.closed).toBeUndefined();
    });

    it("honours a ticket within 30 s and refuses it after", async () => {
      const fresh = await issueTicket(alice, null);
      const stale = await issueTicket(alice, null);
      ctx.clock.advance(29_000);
      const socket = await open(fresh);
      await socket.next((m) => m.type === "ready", "ready");
      ctx.clock.advance(2_000);
      const refused = await refusedUpgrade(ctx.url, stale);
      expectErrorCode(refused, 401, "TICKET_INVALID");
    });

    it.each([
      ["missing", undefined],
      ["empty", ""],
      ["unknown", "smt_thisticketwasneverissued0000000000000"],
      ["overlong", "x".repeat(129)],
    ])("refuses a %s ticket with 401", async (_label, ticket) => {
      const refused = await refusedUpgrade(ctx.url, ticket);
      expectErrorCode(refused, 401, "TICKET_INVALID");
    });

    it.each([["a foreign site", "http://evil.example"], ["an opaque origin", "null"], ["a look-alike host", "http://127.0.0.1.evil.example"]])(
      "refuses %s as Origin with 403 ORIGIN_NOT_ALLOWED",
      async (_label, origin) => {
        const ticket = await issueTicket(alice, null);
        const refused = await refusedUpgrade(ctx.url, ticket, { origin });
        expectErrorCode(refused, 403, "ORIGIN_NOT_ALLOWED");
      },
    );

    it("accepts the hub's own origin and clients that send no Origin", async () => {
      const own = await live(alice, null, { origin: ctx.url });
      expect(await own.next((m) => m.type === "ready", "ready")).toEqual({ type: "ready", agent_id: null });
      const none = await live(alice, null);
      expect(await none.next((m) => m.type === "ready", "ready")).toEqual({ type: "ready", agent_id: null });
    });

    it("refuses a ticket whose session was signed out before it was used", async () => {
      const session = await signIn(ctx.url, "alice");
      const ticket = await issueTicket(session, null);
      const out = await session.post("/api/v1/auth/logout", { refresh_token: session.refreshToken }, { token: null });
      expect(out.status).toBe(204);
      const refused = await refusedUpgrade(ctx.url, ticket);
      expectErrorCode(refused, 401, "TICKET_INVALID");
    });

    it("refuses a ticket whose user was deleted before it was used", async () => {
      const erin = await signUp(ctx.url, "erin");
      const agent = await createAgent(erin, "erins");
      const tickets = [await issueTicket(erin, null), await issueTicket(erin, agent.id)];
      expect((await admin.delete(`/api/v1/users/${erin.userId}`)).status).toBe(204);
      for (const ticket of tickets) {
        const refused = await refusedUpgrade(ctx.url, ticket);
        expectErrorCode(refused, 401, "TICKET_INVALID");
      }
    });

    it("refuses a ticket whose agent was deleted before it was used", async () => {
      const agent = await createAgent(alice, "deleted-before-connect");
      await ingestBatch(ctx.url, agent.token, [{ timestamp: nextTs(), cpu: 42 }]);
      const ticket = await issueTicket(alice, agent.id);
      expect((await alice.delete(`/api/v1/agents/${agent.id}`)).status).toBe(204);
      const refused = await refusedUpgrade(ctx.url, ticket);
      expectErrorCode(refused, 401, "TICKET_INVALID");
    });
  });

  describe("stream", () => {
    it("sends ready and then, at once, the agent's newest sample", async () => {
      const agent = await createAgent(alice, "has-history");
      const older = nextTs();
      const newest = nextTs();
      await ingestBatch(ctx.url, agent.token, [
        { timestamp: older, cpu: 10 },
        { timestamp: newest, cpu: 20 },
      ]);
      const socket = await live(alice, agent.id);
      await socket.next((m) => m.type === "sample", "the newest sample");
      await socket.barrier();
      expect(socket.messages.slice(0, 2)).toEqual([
        { type: "ready", agent_id: agent.id },
        {
          type: "sample",
          agent_id: agent.id,
          sample: { agent_id: agent.id, timestamp: newest, seq: 1, cpu: { usage_percent: 20 } },
        },
      ]);
      expect(socket.samples()).toHaveLength(1);
    });

    it("sends only ready to a subscriber of an agent without samples", async () => {
      const agent = await createAgent(alice, "no-history");
      const socket = await live(alice, agent.id);
      await socket.barrier();
      expect(socket.messages.map((m) => m.type)).toEqual(["ready", "pong"]);
      expect(socket.messages[0]).toEqual({ type: "ready", agent_id: agent.id });
    });

    it("pushes every sample ingested afterwards, in order, from both ingest formats", async () => {
      const agent = await createAgent(alice, "in-order");
      const socket = await live(alice, agent.id);
      await socket.barrier();
      const expected: number[] = [];
      for (let i = 0; i < 5; i++) {
        const ts = nextTs();
        expected.push(ts);
        await ingestOriginal(ctx.url, agent.token, ts, i);
      }
      const batch = [nextTs(), nextTs(), nextTs()];
      expected.push(...batch);
      // Sent out of order: the hub stores and publishes a batch sorted by time.
      await ingestBatch(ctx.url, agent.token, [batch[2]!, batch[0]!, batch[1]!].map((timestamp) => ({ timestamp, cpu: 50 })));
      await waitFor(() => socket.samples().length >= expected.length, "all samples");
      expect(tsOf(socket.samples())).toEqual(expected);
      const first = socket.samples()[0];
      expect(first).toEqual({ type: "sample", agent_id: agent.id, sample: { agent_id: agent.id, timestamp: expected[0], cpu: { usage_percent: 0 } } });
      expect(socket.samples().every((m) => m.sample.agent_id === agent.id)).toBe(true);
      await socket.barrier();
      expect(socket.samples()).toHaveLength(expected.length);
    });

    it("does not push a duplicate (same agent and timestamp) a second time", async () => {
      const agent = await createAgent(alice, "duplicates");
      const socket = await live(alice, agent.id);
      await socket.barrier();
      const ts = nextTs();
      await ingestBatch(ctx.url, agent.token, [{ timestamp: ts, cpu: 1 }]);
      const again = await ingestBatch(ctx.url, agent.token, [{ timestamp: ts, cpu: 99 }]);
      expect(again.body).toMatchObject({ stored: 0, duplicates: 1 });
      const marker = nextTs();
      await ingestBatch(ctx.url, agent.token, [{ timestamp: marker }]);
      await socket.next((m) => m.type === "sample" && m.sample.timestamp === marker, "the marker sample");
      expect(tsOf(socket.samples())).toEqual([ts, marker]);
      expect(socket.samples()[0].sample.cpu.usage_percent).toBe(1);
    });

    it("does not push back-filled samples older than the agent's newest", async () => {
      const agent = await createAgent(alice, "backfill");
      const gapStart = nextTs();
      const gapEnd = nextTs();
      const newest = nextTs();
      await ingestBatch(ctx.url, agent.token, [{ timestamp: newest, cpu: 1 }]);
      const socket = await live(alice, agent.id);
      await socket.next((m) => m.type === "sample", "the newest sample on connect");
      const ack = await ingestBatch(ctx.url, agent.token, [
        { timestamp: gapStart, cpu: 2 },
        { timestamp: gapEnd, cpu: 3 },
      ]);
      expect(ack.body).toMatchObject({ stored: 2, newest_timestamp: newest });
      // A batch that mixes back-fill with a new sample: only the new one is live.
      const mixedOld = gapEnd - 500;
      const mixedNew = nextTs();
      await ingestBatch(ctx.url, agent.token, [
        { timestamp: mixedOld, cpu: 4 },
        { timestamp: mixedNew, cpu: 5 },
      ]);
      await socket.next((m) => m.type === "sample" && m.sample.timestamp === mixedNew, "the new sample");
      await socket.barrier();
      expect(tsOf(socket.samples())).toEqual([newest, mixedNew]);
    });

    it("streams all of the user's agents to an all-agents subscriber and never another user's", async () => {
      const carol = await signUp(ctx.url, "carol");
      const c1 = await createAgent(carol, "carol-1");
      const c2 = await createAgent(carol, "carol-2");
      const c3 = await createAgent(carol, "carol-3-silent");
      const theirs = await createAgent(bob, "bob-neighbour");
      const c1Old = nextTs();
      const c2Old = nextTs();
      await ingestBatch(ctx.url, c1.token, [{ timestamp: c1Old }]);
      await ingestBatch(ctx.url, c2.token, [{ timestamp: c2Old }]);
      await ingestBatch(ctx.url, theirs.token, [{ timestamp: nextTs() }]);

      const socket = await live(carol, null);
      await waitFor(() => socket.samples().length >= 2, "the newest sample of each agent");
      expect(socket.messages[0]).toEqual({ type: "ready", agent_id: null });
      expect(socket.samples().map((m) => [m.agent_id, m.sample.timestamp]).sort()).toEqual([[c1.id, c1Old], [c2.id, c2Old]].sort());

      const bobSocket = await live(bob, null);
      await bobSocket.barrier();
      const pushed = [
        { agent: theirs, ts: nextTs() },
        { agent: c1, ts: nextTs() },
        { agent: theirs, ts: nextTs() },
        { agent: c2, ts: nextTs() },
        { agent: c3, ts: nextTs() },
      ];
      for (const { agent, ts } of pushed) await ingestBatch(ctx.url, agent.token, [{ timestamp: ts }]);
      await socket.next((m) => m.type === "sample" && m.agent_id === c3.id, "carol's last sample");
      await bobSocket.next((m) => m.type === "sample" && m.sample.timestamp === pushed[2]!.ts, "bob's last sample");
      await socket.barrier();
      const afterConnect = socket.samples().slice(2);
      expect(afterConnect.map((m) => [m.agent_id, m.sample.timestamp])).toEqual(
        pushed.filter((p) => p.agent !== theirs).map((p) => [p.agent.id, p.ts]),
      );
      expect(socket.samples().some((m) => m.agent_id === theirs.id)).toBe(false);
      expect(bobSocket.samples().every((m) => m.agent_id === theirs.id)).toBe(true);
    });

    it("switches the subscription on a subscribe message", async () => {
      const a1 = await createAgent(alice, "switch-1");
      const a2 = await createAgent(alice, "switch-2");
      const a2Old = nextTs();
      await ingestBatch(ctx.url, a2.token, [{ timestamp: a2Old }]);
      const socket = await live(alice, a1.id);
      await socket.barrier();

      let from = socket.messages.length;
      socket.send({ type: "subscribe", agent_id: a2.id });
      expect(await socket.next((m) => m.type === "ready", "ready for a2", from)).toEqual({ type: "ready", agent_id: a2.id });
      await socket.next((m) => m.type === "sample" && m.sample.timestamp === a2Old, "a2's newest sample", from);
      const ignored = nextTs();
      const wanted = nextTs();
      await ingestBatch(ctx.url, a1.token, [{ timestamp: ignored }]);
      await ingestBatch(ctx.url, a2.token, [{ timestamp: wanted }]);
      await socket.next((m) => m.type === "sample" && m.sample.timestamp === wanted, "a2's new sample", from);
      expect(socket.samples().map((m) => m.agent_id)).toEqual([a2.id, a2.id]);

      from = socket.messages.length;
      socket.send({ type: "subscribe", agent_id: null });
      expect(await socket.next((m) => m.type === "ready", "ready for all", from)).toEqual({ type: "ready", agent_id: null });
      const fromA1 = nextTs();
      await ingestBatch(ctx.url, a1.token, [{ timestamp: fromA1 }]);
      await socket.next((m) => m.type === "sample" && m.sample.timestamp === fromA1, "a1's sample after subscribing to all", from);
      expect(socket.closed).toBeUndefined();
    });

    it.each([
      ["another user's agent", "bob"],
      ["an unknown agent", "unknown"],
    ])("answers a subscribe to %s with AGENT_NOT_FOUND and close code 4004", async (_label, whose) => {
      let agentId = 987_654_321;
      if (whose === "bob") {
        const bobs = await createAgent(bob, "not-yours");
        await ingestBatch(ctx.url, bobs.token, [{ timestamp: nextTs() }]);
        agentId = bobs.id;
      }
      const socket = await live(alice, null);
      await socket.barrier();
      socket.send({ type: "subscribe", agent_id: agentId });
      expect((await socket.waitClosed()).code).toBe(LIVE_CLOSE_CODES.AGENT_GONE);
      const error = socket.messages.find((m) => m.type === "error");
      expect(error).toEqual({ type: "error", code: "AGENT_NOT_FOUND", message: expect.any(String) });
      expect(socket.samples().some((m) => m.agent_id === agentId)).toBe(false);
    });

    it("answers ping with pong and echoes the nonce", async () => {
      const socket = await live(alice, null);
      socket.send({ type: "ping", nonce: "n" });
      expect(await socket.next((m) => m.type === "pong", "pong")).toEqual({ type: "pong", nonce: "n" });
      const from = socket.messages.length;
      socket.send({ type: "ping" });
      expect(await socket.next((m) => m.type === "pong", "pong without nonce", from)).toEqual({ type: "pong" });
    });

    it.each<[string, string | Buffer]>([
      ["text that is not JSON", "hello"],
      ["a JSON array", "[]"],
      ["an unknown type", JSON.stringify({ type: "unsubscribe" })],
      ["a subscribe with a string id", JSON.stringify({ type: "subscribe", agent_id: "1" })],
      ["a subscribe without agent_id", JSON.stringify({ type: "subscribe" })],
      ["a nonce longer than 64 characters", JSON.stringify({ type: "ping", nonce: "n".repeat(65) })],
      ["a message over 4 KiB", JSON.stringify({ type: "ping", nonce: "n", pad: "x".repeat(5000) })],
      ["a binary frame", Buffer.from(JSON.stringify({ type: "ping" }))],
    ])("closes the socket with 4000 on %s", async (_label, payload) => {
      const socket = await live(alice, null);
      await socket.barrier();
      socket.ws.send(payload);
      expect((await socket.waitClosed()).code).toBe(LIVE_CLOSE_CODES.BAD_MESSAGE);
      expect(socket.messages.at(-1)).toEqual({ type: "error", code: "VALIDATION_FAILED", message: expect.any(String) });
    });

    it("closes the sockets of a signed-out session with 4001 and leaves other sessions open", async () => {
      const session = await signIn(ctx.url, "alice");
      const other = await signIn(ctx.url, "alice");
      const doomed = await live(session, null);
      const survivor = await live(other, null);
      await doomed.barrier();
      await survivor.barrier();
      const out = await ctx.http.post("/api/v1/auth/logout", { refresh_token: session.refreshToken });
      expect(out.status).toBe(204);
      expect((await doomed.waitClosed()).code).toBe(LIVE_CLOSE_CODES.SESSION_ENDED);
      await survivor.barrier();
      expect(survivor.closed).toBeUndefined();
    });

    it("closes a deleted user's sockets with 4001", async () => {
      const dave = await signUp(ctx.url, "dave");
      const socket = await live(dave, null);
      await socket.barrier();
      expect((await admin.delete(`/api/v1/users/${dave.userId}`)).status).toBe(204);
      expect((await socket.waitClosed()).code).toBe(LIVE_CLOSE_CODES.SESSION_ENDED);
    });

    it("closes a subscriber of a deleted agent with 4004 and tells all-agents subscribers", async () => {
      const doomed = await createAgent(alice, "doomed");
      const kept = await createAgent(alice, "kept");
      const single = await live(alice, doomed.id);
      const keptSocket = await live(alice, kept.id);
      const all = await live(alice, null);
      const bobAll = await live(bob, null);
      for (const s of [single, keptSocket, all, bobAll]) await s.barrier();

      expect((await alice.delete(`/api/v1/agents/${doomed.id}`)).status).toBe(204);
      expect((await single.waitClosed()).code).toBe(LIVE_CLOSE_CODES.AGENT_GONE);
      expect(await all.next((m) => m.type === "agent_deleted", "agent_deleted")).toEqual({ type: "agent_deleted", agent_id: doomed.id });
      for (const s of [keptSocket, all, bobAll]) await s.barrier();
      expect(all.closed).toBeUndefined();
      expect(keptSocket.closed).toBeUndefined();
      expect(keptSocket.messages.some((m) => m.type === "agent_deleted")).toBe(false);
      expect(bobAll.messages.some((m) => m.type === "agent_deleted")).toBe(false);

      // The all-agents socket keeps streaming the remaining agents.
      const ts = nextTs();
      await ingestBatch(ctx.url, kept.token, [{ timestamp: ts }]);
      await all.next((m) => m.type === "sample" && m.sample.timestamp === ts, "a sample of the kept agent");
    });

    it("counts open live connections in the metrics", async () => {
      const socket = await live(alice, null);
      await socket.barrier();
      const gauge = async () => Number(/^statusmonitor_live_clients (\d+)$/m.exec((await alice.get("/metrics")).body)?.[1]);
      const before = await gauge();
      expect(before).toBeGreaterThanOrEqual(1);
      await socket.close();
      await waitFor(async () => (await gauge()) === before - 1, "the gauge to drop by one");
    });
  });
});

describe("live streaming with CORS_ORIGINS", () => {
  const ctx = useTestHub({ settings: { CORS_ORIGINS: "http://dash.example" } });
  let user: SignedUp;
  const sockets: LiveSocket[] = [];
  beforeAll(async () => {
    user = await signUp(ctx.url, "owner");
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
  });

  it.each([["the allowed origin", "http://dash.example"], ["the hub's own origin", ""]])("accepts %s", async (_label, origin) => {
    const socket = await openLive(user, null, { origin: origin || ctx.url });
    sockets.push(socket);
    expect(await socket.next((m) => m.type === "ready", "ready")).toEqual({ type: "ready", agent_id: null });
  });

  it.each([["another origin", "http://evil.example"], ["the allowed host on another port", "http://dash.example:8443"], ["another scheme", "https://dash.example"]])(
    "refuses %s with 403",
    async (_label, origin) => {
      const refused = await refusedUpgrade(ctx.url, await issueTicket(user, null), { origin });
      expectErrorCode(refused, 403, "ORIGIN_NOT_ALLOWED");
    },
  );
});
