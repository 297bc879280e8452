/** The isolation matrix: another user's agent id answers exactly like a missing one (404 AGENT_NOT_FOUND, or close code 4004) on every endpoint and on the WebSocket, leaks nothing and changes nothing. */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { LIVE_CLOSE_CODES } from "@statusmonitor/protocol";
import { LiveSocket, ingestBatch, issueTicket, openLive, refusedUpgrade } from "../test-support/live-socket.js";
import { HttpClient, createAgent, expectErrorCode, signUp, useTestHub, type SignedUp } from "../test-support/test-hub.js";

/** What a caller got back: an HTTP status or a WebSocket close code, the error code, and everything it received. */
interface Outcome {
  status?: number;
  closeCode?: number;
  code: string | undefined;
  received: string;
}

interface MatrixRow {
  /** `METHOD path` as in the OpenAPI document, or a name for the WebSocket. */
  name: string;
  probe(caller: SignedUp, agentId: number): Promise<Outcome>;
  /** The refusal expected besides the AGENT_NOT_FOUND code. */
  refusal: { status: number } | { closeCode: number };
}

const UNKNOWN_AGENT = 987_654_321;
const UNKNOWN_RULE = 987_654_322;

function http(method: string, path: (id: number) => string, body?: (id: number) => unknown): MatrixRow["probe"] {
  return async (caller, id) => {
    const res = await caller.request(method, path(id), body ? { json: body(id) } : {});
    return { status: res.status, code: res.body?.error?.code, received: JSON.stringify(res.body) };
  };
}

const subscribeOverWebSocket: MatrixRow["probe"] = async (caller, id) => {
  const socket = await openLive(caller, null);
  try {
    await socket.barrier();
    const from = socket.messages.length;
    socket.send({ type: "subscribe", agent_id: id });
    const closed = await socket.waitClosed();
    const after = socket.messages.slice(from);
    return { closeCode: closed.code, code: after.find((m) => m.type === "error")?.code, received: JSON.stringify(after) };
  } finally {
    await socket.close();
  }
};

/**
 * PATCH on an alert rule of the caller's own, re-aimed at the agent. The rule is made first; a
 * caller without a session cannot make one and probes a made-up id (refused before it is looked up).
 */
const reaimOwnRule: MatrixRow["probe"] = async (caller, id) => {
  const own = await caller.post("/api/v1/alerts/rules", { agent_id: null, metric: "cpu", operator: ">", threshold: 90 });
  const ruleId = own.status === 201 ? (own.body.id as number) : UNKNOWN_RULE;
  return http("PATCH", () => `/api/v1/alerts/rules/${ruleId}`, (agentId) => ({ agent_id: agentId }))(caller, id);
};

/** Every endpoint that takes an agent id: adding one is adding a line. DELETE goes last so a failure there cannot hide the others. */
const MATRIX: MatrixRow[] = [
  { name: "GET /api/v1/agents/{id}", probe: http("GET", (id) => `/api/v1/agents/${id}`), refusal: { status: 404 } },
  { name: "PATCH /api/v1/agents/{id}", probe: http("PATCH", (id) => `/api/v1/agents/${id}`, () => ({ name: "hijacked" })), refusal: { status: 404 } },
  { name: "POST /api/v1/agents/{id}/token", probe: http("POST", (id) => `/api/v1/agents/${id}/token`), refusal: { status: 404 } },
  { name: "GET /api/v1/agents/{id}/latest", probe: http("GET", (id) => `/api/v1/agents/${id}/latest`), refusal: { status: 404 } },
  { name: "GET /api/v1/agents/{id}/history/{metric}", probe: http("GET", (id) => `/api/v1/agents/${id}/history/cpu?start=-1h`), refusal: { status: 404 } },
  { name: "GET /api/v1/agents/{id}/history/summary", probe: http("GET", (id) => `/api/v1/agents/${id}/history/summary`), refusal: { status: 404 } },
  { name: "POST /api/v1/live/tickets", probe: http("POST", () => "/api/v1/live/tickets", (id) => ({ agent_id: id })), refusal: { status: 404 } },
  {
    name: "POST /api/v1/alerts/rules",
    probe: http("POST", () => "/api/v1/alerts/rules", (id) => ({ agent_id: id, metric: "cpu", operator: ">", threshold: 90 })),
    refusal: { status: 404 },
  },
  { name: "PATCH /api/v1/alerts/rules/{id}", probe: reaimOwnRule, refusal: { status: 404 } },
  { name: "WS subscribe", probe: subscribeOverWebSocket, refusal: { closeCode: LIVE_CLOSE_CODES.AGENT_GONE } },
  { name: "DELETE /api/v1/agents/{id}", probe: http("DELETE", (id) => `/api/v1/agents/${id}`), refusal: { status: 404 } },
];

/** Administrator-only endpoints; `{admin}` is replaced by the administrator's user id. */
const ADMIN_ONLY: Array<[method: string, path: string]> = [
  ["GET", "/api/v1/users"],
  ["DELETE", "/api/v1/users/{admin}"],
  ["POST", "/api/v1/admin/cleanup-tokens"],
];

describe("isolation between users", () => {
  const ctx = useTestHub({ manualClock: true, settings: { INGEST_RATE_LIMIT_PER_S: "10000" } });
  let lastTs = ctx.clock.now() - 3600_000;
  const nextTs = () => (lastTs += 1000);
  let admin: SignedUp;
  let alice: SignedUp;
  let bob: SignedUp;
  /** Alice's agent, with one sample; the target of every probe. */
  let target: { id: number; token: string };
  let bobsAgent: { id: number; token: string };
  const TARGET_NAME = "alice-secret-agent";
  const TARGET_CPU = 73.25;
  let targetTs: number;
  const sockets: LiveSocket[] = [];

  beforeAll(async () => {
    admin = await signUp(ctx.url, "root");
    alice = await signUp(ctx.url, "alice");
    bob = await signUp(ctx.url, "bob");
    target = await createAgent(alice, TARGET_NAME);
    targetTs = nextTs();
    await ingestBatch(ctx.url, target.token, [{ timestamp: targetTs, cpu: TARGET_CPU }]);
    bobsAgent = await createAgent(bob, "bobs-own");
    await ingestBatch(ctx.url, bobsAgent.token, [{ timestamp: nextTs(), cpu: 5 }]);
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });

  it("has a matrix row for every route with an agent id in its path", async () => {
    const doc = await ctx.http.get("/api/docs/json");
    expect(doc.status).toBe(200);
    const routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith("/api/v1/agents/{id}"))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(routes.length).toBeGreaterThan(0);
    expect(MATRIX.map((row) => row.name)).toEqual(expect.arrayContaining(routes));
  });

  describe.each(MATRIX)("$name", (row) => {
    it("answers another user's agent with AGENT_NOT_FOUND, exactly as a missing one, and leaks nothing", async () => {
      const foreign = await row.probe(bob, target.id);
      const missing = await row.probe(bob, UNKNOWN_AGENT);
      expect(foreign).toMatchObject({ ...row.refusal, code: "AGENT_NOT_FOUND" });
      expect(missing).toMatchObject({ ...row.refusal, code: "AGENT_NOT_FOUND" });
      expect(foreign.received).toBe(missing.received);
      for (const secret of [TARGET_NAME, target.token, String(TARGET_CPU), String(targetTs)]) {
        expect(foreign.received).not.toContain(secret);
      }
    });

    if ("status" in row.refusal) {
      it("answers a caller without a session with 401 UNAUTHENTICATED", async () => {
        const anonymous = Object.assign(new HttpClient(ctx.url), { refreshToken: "", userId: 0 });
        const outcome = await row.probe(anonymous, target.id);
        expect(outcome).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
        expect(outcome.received).not.toContain(TARGET_NAME);
      });
    }
  });

  it("leaves the victim's agent untouched after the whole matrix", async () => {
    const detail = await alice.get(`/api/v1/agents/${target.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.name).toBe(TARGET_NAME);
    const latest = await alice.get(`/api/v1/agents/${target.id}/latest`);
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ agent_id: target.id, timestamp: targetTs, cpu: { usage_percent: TARGET_CPU } });
    // The token was not regenerated behind the owner's back.
    const ts = nextTs();
    const ingest = await ingestBatch(ctx.url, target.token, [{ timestamp: ts, cpu: 12 }]);
    expect(ingest.body).toMatchObject({ status: "received", stored: 1, newest_timestamp: ts });
    const list = await alice.get("/api/v1/agents");
    expect(list.body.map((a: { id: number }) => a.id)).toContain(target.id);
  });

  it("left no alert rule of the prober aimed at the victim's agent", async () => {
    const rules = await bob.get("/api/v1/alerts/rules");
    expect(rules.status).toBe(200);
    expect(rules.body.length).toBeGreaterThan(0);
    expect(rules.body.every((r: { agent_id: number | null }) => r.agent_id === null)).toBe(true);
  });

  it("never lists another user's agents", async () => {
    const bobs = await bob.get("/api/v1/agents");
    expect(bobs.status).toBe(200);
    expect(bobs.body.map((a: { id: number }) => a.id)).toEqual([bobsAgent.id]);
    expect(JSON.stringify(bobs.body)).not.toContain(TARGET_NAME);
    const alices = await alice.get("/api/v1/agents");
    expect(alices.body.map((a: { id: number }) => a.id)).not.toContain(bobsAgent.id);
  });

  it("never streams another user's samples or agent deletions to an all-agents socket", async () => {
    const extra = await createAgent(alice, "alice-extra");
    const bobSocket = await openLive(bob, null);
    const aliceSocket = await openLive(alice, null);
    sockets.push(bobSocket, aliceSocket);
    await bobSocket.barrier();
    await aliceSocket.barrier();

    const aliceTs = nextTs();
    await ingestBatch(ctx.url, target.token, [{ timestamp: aliceTs, cpu: TARGET_CPU }]);
    await aliceSocket.next((m) => m.type === "sample" && m.sample.timestamp === aliceTs, "alice's sample on alice's socket");
    expect((await alice.delete(`/api/v1/agents/${extra.id}`)).status).toBe(204);
    await aliceSocket.next((m) => m.type === "agent_deleted" && m.agent_id === extra.id, "agent_deleted on alice's socket");
    // Bob's own sample comes after everything of Alice's: once it arrives, anything leaked would have too.
    const bobTs = nextTs();
    await ingestBatch(ctx.url, bobsAgent.token, [{ timestamp: bobTs }]);
    await bobSocket.next((m) => m.type === "sample" && m.sample.timestamp === bobTs, "bob's own sample");
    await bobSocket.barrier();

    expect(bobSocket.samples().length).toBeGreaterThan(0);
    expect(bobSocket.samples().every((m) => m.agent_id === bobsAgent.id && m.sample.agent_id === bobsAgent.id)).toBe(true);
    expect(bobSocket.messages.some((m) => m.type === "agent_deleted")).toBe(false);
    expect(JSON.stringify(bobSocket.messages)).not.toContain(String(aliceTs));
    expect(aliceSocket.samples().some((m) => m.agent_id === bobsAgent.id)).toBe(false);
  });

  // Whether or not a store ever reuses a deleted id, a ticket must not outlive what it was issued for.
  it("refuses a stale ticket for an agent deleted since, after another user created one", async () => {
    const doomed = await createAgent(alice, "alice-doomed");
    const ticket = await issueTicket(alice, doomed.id);
    expect((await alice.delete(`/api/v1/agents/${doomed.id}`)).status).toBe(204);
    const recycled = await createAgent(bob, "bobs-recycled");
    await ingestBatch(ctx.url, recycled.token, [{ timestamp: nextTs(), cpu: 66.5 }]);

    const refused = await refusedUpgrade(ctx.url, ticket);
    expect(refused).toMatchObject({ status: 401, body: { error: { code: "TICKET_INVALID" } } });
  });

  it("refuses a stale ticket of a user deleted since, after someone else signed up", async () => {
    const carol = await signUp(ctx.url, "carol");
    const ticket = await issueTicket(carol, null);
    expect((await admin.delete(`/api/v1/users/${carol.userId}`)).status).toBe(204);
    const dave = await signUp(ctx.url, "dave");
    const davesAgent = await createAgent(dave, "daves");
    await ingestBatch(ctx.url, davesAgent.token, [{ timestamp: nextTs(), cpu: 44.5 }]);

    const refused = await refusedUpgrade(ctx.url, ticket);
    expect(refused).toMatchObject({ status: 401, body: { error: { code: "TICKET_INVALID" } } });
  });

  describe.each(ADMIN_ONLY)("%s %s", (method, path) => {
    const url = () => path.replace("{admin}", String(admin.userId));

    it("answers a signed-in non-admin with 403 ADMIN_REQUIRED", async () => {
      const res = await bob.request(method, url());
      expectErrorCode(res, 403, "ADMIN_REQUIRED");
    });

    it("answers a caller without a session with 401 UNAUTHENTICATED", async () => {
      const res = await ctx.http.request(method, url());
      expectErrorCode(res, 401, "UNAUTHENTICATED");
    });
  });

  it("still has its administrator after the non-admin attempts", async () => {
    const me = await admin.get("/api/v1/users/me");
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: admin.userId, role: "admin" });
    const users = await admin.get("/api/v1/users");
    expect(users.status).toBe(200);
    expect(users.body.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(["root", "alice", "bob"]));
  });
});
