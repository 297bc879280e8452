/** LiveClient's bounded send queue over real loopback WebSockets whose reader stops reading, alone and inside a whole hub. */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { LIVE_CLOSE_CODES } from "@statusmonitor/protocol";
import { LiveSocket, openLive } from "../test-support/live-socket.js";
import { ManualClock, createAgent, signUp, useTestHub, waitFor, type SignedUp } from "../test-support/test-hub.js";
import { HARD_LIMIT_BYTES, HIGH_WATER_BYTES, LiveClient, MAX_STALL_MS, type QueuedSample } from "./client.js";

/** What a WebSocket frame adds to a message, at most. */
const FRAME_OVERHEAD = 16;
const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

interface Pair {
  wss: WebSocketServer;
  /** The hub's end, wrapped by the LiveClient. */
  server: WebSocket;
  /** The browser's end; paused to simulate a client that stops reading. */
  client: WebSocket;
  received: string[];
  closed: { code: number; reason: string } | undefined;
  clock: ManualClock;
  live: LiveClient;
  sent: QueuedSample[];
  /** The server socket's unsent bytes right after each sample was written. */
  bufferedAfterWrite: number[];
  coalesced: number;
}

async function connectPair(): Promise<Pair> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(wss, "listening");
  const accepted = once(wss, "connection");
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const [[server]] = await Promise.all([accepted as Promise<[WebSocket]>, once(client, "open")]);
  const clock = new ManualClock();
  const pair: Pair = { wss, server, client, received: [], closed: undefined, clock, live: undefined!, sent: [], bufferedAfterWrite: [], coalesced: 0 };
  client.on("message", (data) => pair.received.push(data.toString()));
  client.on("close", (code, reason) => (pair.closed = { code, reason: reason.toString() }));
  client.on("error", () => undefined);
  server.on("error", () => undefined);
  pair.live = new LiveClient(server, { userId: 1, sessionId: "session", agentId: null }, {
    onSent: (sample) => {
      pair.sent.push(sample);
      pair.bufferedAfterWrite.push(server.bufferedAmount);
    },
    onCoalesced: () => pair.coalesced++,
    now: () => clock.now(),
  });
  return pair;
}

function sample(agentId: number, seq: number, bytes: number): QueuedSample {
  const message = { type: "sample", agent_id: agentId, sample: { agent_id: agentId, timestamp: seq, seq, disks: [{ mountpoint: "x".repeat(bytes) }] } };
  return { agentId, json: JSON.stringify(message), receivedAt: 0 };
}

const pendingOf = (live: LiveClient) => (live as unknown as { pending: Map<number, QueuedSample> }).pending;
/** Runs one drain check now instead of waiting for the 50 ms timer. */
const drainNow = (live: LiveClient) => (live as unknown as { drain(): void }).drain();

/** Offers samples until the client is behind (something is queued), yielding so the kernel and timers run. */
async function offerUntilQueued(pair: Pair, bytes: number, agents = [1]): Promise<number> {
  let seq = 0;
  while (pendingOf(pair.live).size === 0) {
    if (++seq > 5_000) throw new Error("the socket never backed up: is the client really paused?");
    pair.live.offer(sample(agents[seq % agents.length]!, seq, bytes));
    if (seq % 20 === 0) await yieldToLoop();
  }
  return seq;
}

// How: a real `ws` server and client on 127.0.0.1; the client calls `ws.pause()`, which stops reading
// the TCP socket, so the kernel buffers fill up and the server-side `bufferedAmount` grows exactly as
// with a stuck browser. The LiveClient under test wraps the server-side socket and its stall timer
// reads a ManualClock. Where a boundary must be checked without waiting for the 50 ms drain timer,
// the test calls the private `drain()` once.
describe("LiveClient send queue", () => {
  /** Each test connects its own pair. */
  let pair: Pair;
  afterEach(async () => {
    pair.live.dispose();
    pair.client.terminate();
    pair.server.terminate();
    await new Promise((resolve) => pair.wss.close(resolve));
  });

  it("writes straight through while the client keeps up", async () => {
    pair = await connectPair();
    for (let seq = 1; seq <= 50; seq++) pair.live.offer(sample(1 + (seq % 2), seq, 1024));
    await waitFor(() => pair.received.length === 50, "all 50 samples");
    expect(pair.coalesced).toBe(0);
    expect(pair.sent).toHaveLength(50);
    expect(pair.received).toEqual(pair.sent.map((s) => s.json));
  });

  it("keeps only the newest sample per agent for a client that stopped reading, with bounded memory", async () => {
    pair = await connectPair();
    const agents = [1, 2, 3];
    const bytes = 64 * 1024;
    const offers = 3_000; // ~190 MiB offered in total: far more than the kernel's socket buffers hold
    const newest = new Map<number, number>();
    let maxBuffered = 0;
    let maxPending = 0;
    pair.client.pause();
    for (let seq = 1; seq <= offers; seq++) {
      const agentId = agents[seq % agents.length]!;
      pair.live.offer(sample(agentId, seq, bytes));
      newest.set(agentId, seq);
      maxBuffered = Math.max(maxBuffered, pair.server.bufferedAmount);
      maxPending = Math.max(maxPending, pendingOf(pair.live).size);
      if (seq % 25 === 0) await yieldToLoop();
    }

    expect(pair.coalesced).toBeGreaterThan(0);
    expect(pair.sent.length + pair.coalesced + pendingOf(pair.live).size).toBe(offers);
    expect(maxPending).toBeLessThanOrEqual(agents.length);
    // Writes stop at the high-water mark, so at most one sample lies beyond it.
    expect(maxBuffered).toBeLessThan(HIGH_WATER_BYTES + bytes + 1024);
    expect(pair.closed).toBeUndefined();

    pair.client.resume();
    await waitFor(() => pendingOf(pair.live).size === 0 && pair.received.length === pair.sent.length, "the queue to drain");
    expect(pair.received).toEqual(pair.sent.map((s) => s.json));
    expect(pair.received.length).toBeLessThan(offers);
    const bySeq = pair.received.map((json) => JSON.parse(json) as { agent_id: number; sample: { seq: number } });
    for (const agentId of agents) {
      const seqs = bySeq.filter((m) => m.agent_id === agentId).map((m) => m.sample.seq);
      expect(seqs.at(-1)).toBe(newest.get(agentId));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it("drains a backlog of many agents in steps that stay under the high-water mark", async () => {
    pair = await connectPair();
    const bytes = 64 * 1024;
    const agents = Array.from({ length: 400 }, (_, i) => i + 1); // ~25 MiB: one sample per agent, as for an all-agents dashboard
    pair.client.pause();
    await offerUntilQueued(pair, bytes);
    for (const agentId of agents) pair.live.offer(sample(agentId, 10_000 + agentId, bytes));
    expect(pendingOf(pair.live).size).toBeGreaterThan(agents.length / 2);

    pair.client.resume();
    await waitFor(() => pendingOf(pair.live).size === 0 && pair.received.length === pair.sent.length, "the backlog to drain", 20_000);
    expect(pair.closed).toBeUndefined();
    expect(Math.max(...pair.bufferedAfterWrite)).toBeLessThan(HIGH_WATER_BYTES + bytes + 1024);
    const lastOfEach = new Set(pair.received.map((json) => JSON.parse(json) as { sample: { seq: number } }).map((m) => m.sample.seq));
    for (const agentId of agents) expect(lastOfEach.has(10_000 + agentId)).toBe(true);
    // Offered again now, a sample goes straight through: nothing was left behind and the client is healthy.
    pair.live.offer(sample(1, 99_999, 1024));
    await waitFor(() => pair.received.at(-1)?.includes('"seq":99999'), "a fresh sample");
  });

  it("closes a client stalled above the high-water mark for longer than MAX_STALL_MS with 4008", async () => {
    pair = await connectPair();
    pair.client.pause();
    const offered = await offerUntilQueued(pair, 64 * 1024);
    expect(pair.server.bufferedAmount).toBeGreaterThanOrEqual(HIGH_WATER_BYTES);

    pair.clock.advance(MAX_STALL_MS);
    drainNow(pair.live);
    expect(pair.server.readyState).toBe(WebSocket.OPEN);

    pair.clock.advance(1);
    await waitFor(() => pair.server.readyState === WebSocket.CLOSING, "the drain timer to close the socket");
    expect(pendingOf(pair.live).size).toBe(0);
    const sentBefore = pair.sent.length;
    pair.live.offer(sample(1, offered + 1, 1024));
    expect(pair.sent).toHaveLength(sentBefore);

    pair.client.resume();
    expect(await waitFor(() => pair.closed, "the close frame")).toEqual({ code: LIVE_CLOSE_CODES.TOO_SLOW, reason: "client too slow" });
  });

  it("restarts the stall clock once a client catches up", async () => {
    pair = await connectPair();
    pair.client.pause();
    await offerUntilQueued(pair, 64 * 1024);
    pair.clock.advance(MAX_STALL_MS - 5_000);
    pair.client.resume();
    await waitFor(() => pendingOf(pair.live).size === 0 && pair.received.length === pair.sent.length, "the client to catch up");

    pair.client.pause();
    await offerUntilQueued(pair, 64 * 1024);
    pair.clock.advance(10_000);
    drainNow(pair.live);
    expect(pair.server.readyState).toBe(WebSocket.OPEN);
  });

  it("closes a client whose unsent data is above the hard limit with 4008 on the next sample", async () => {
    pair = await connectPair();
    pair.client.pause();
    // Fill the socket the way a burst of other messages would, until more than the hard limit waits in memory.
    const chunk = "y".repeat(1024 * 1024);
    for (let i = 0; pair.server.bufferedAmount <= HARD_LIMIT_BYTES; i++) {
      if (i > 200) throw new Error("the socket never backed up: is the client really paused?");
      pair.server.send(chunk);
      if (i % 8 === 0) await yieldToLoop();
    }
    pair.live.offer(sample(1, 1, 1024));
    expect(pair.server.readyState).toBe(WebSocket.CLOSING);
    expect(pair.sent).toEqual([]);
    expect(pendingOf(pair.live).size).toBe(0);

    pair.client.resume();
    expect(await waitFor(() => pair.closed, "the close frame")).toEqual({ code: LIVE_CLOSE_CODES.TOO_SLOW, reason: "client too slow" });
  });

  it("bounds direct messages too: a client that never reads its answers is closed with 4008", async () => {
    pair = await connectPair();
    pair.client.pause();
    const message = { type: "error" as const, code: "X", message: "m".repeat(256 * 1024) };
    const bytes = JSON.stringify(message).length + FRAME_OVERHEAD;
    let maxBuffered = 0;
    // Without a bound this loop would buffer without end; stop it at twice the limit so the failure is cheap.
    for (let i = 0; pair.server.readyState === WebSocket.OPEN && maxBuffered <= 2 * HARD_LIMIT_BYTES; i++) {
      if (i > 2_000) throw new Error("the socket never backed up: is the client really paused?");
      pair.live.send(message);
      maxBuffered = Math.max(maxBuffered, pair.server.bufferedAmount);
      if (i % 8 === 0) await yieldToLoop();
    }
    expect(pair.server.readyState).toBe(WebSocket.CLOSING);
    expect(maxBuffered).toBeLessThanOrEqual(HARD_LIMIT_BYTES + bytes);

    pair.client.resume();
    expect(await waitFor(() => pair.closed, "the close frame")).toEqual({ code: LIVE_CLOSE_CODES.TOO_SLOW, reason: "client too slow" });
  });
});

describe("slow live clients through a real hub", () => {
  const ctx = useTestHub({ manualClock: true, settings: { INGEST_RATE_LIMIT_PER_S: "10000" } });
  let user: SignedUp;
  const sockets: LiveSocket[] = [];
  let lastTs = ctx.clock.now() - 3600_000;
  const nextTs = () => (lastTs += 1000);
  /** A sample of ~700 KiB (the body limit is 1 MiB): many long mount points. */
  const bigSample = (timestamp: number) => ({
    seq: 0,
    timestamp,
    disks: Array.from({ length: 200 }, (_, i) => ({ mountpoint: `/mnt/${i}/${"d".repeat(3500)}` })),
  });
  /** The hub's end of the only live connection, as the `ws` server tracks it. */
  const serverSocket = () => {
    const clients = [...ctx.hub.app.websocketServer.clients];
    expect(clients).toHaveLength(1);
    return clients[0]!;
  };

  beforeAll(async () => {
    user = await signUp(ctx.url, "slowpoke");
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
    await waitFor(() => ctx.hub.services.hub.size === 0, "the hub to forget the sockets");
  });

  async function ingestBig(token: string, timestamp: number): Promise<void> {
    const res = await user.post(
      "/api/v1/ingest",
      { agent: { hostname: "h", os: "linux", arch: "x64", version: "t" }, samples: [bigSample(timestamp)] },
      { token: null, headers: { "x-agent-token": token } },
    );
    if (res.status !== 200) throw new Error(`ingest: ${res.status} ${JSON.stringify(res.body)}`);
  }

  const coalescedTotal = async () => Number(/^statusmonitor_live_coalesced_total (\d+)$/m.exec((await user.get("/metrics")).body)?.[1]);

  it("coalesces samples per agent for a paused subscriber and delivers the newest of each when it reads again", async () => {
    const agents = [await createAgent(user, "big-1"), await createAgent(user, "big-2")];
    const socket = await openLive(user, null);
    sockets.push(socket);
    await socket.barrier();
    const before = await coalescedTotal();
    socket.ws.pause();
    const newest = new Map<number, number>();
    let ingested = 0;
    for (; (await coalescedTotal()) < before + 4; ingested++) {
      if (ingested > 300) throw new Error("no sample was ever coalesced");
      const i = ingested;
      const agent = agents[i % 2]!;
      const ts = nextTs();
      await ingestBig(agent.token, ts);
      newest.set(agent.id, ts);
    }
    expect(socket.closed).toBeUndefined();
    socket.ws.resume();
    for (const agent of agents) {
      await socket.next((m) => m.type === "sample" && m.sample.timestamp === newest.get(agent.id), `the newest sample of ${agent.id}`);
    }
    await socket.barrier();
    expect(socket.samples().length).toBeLessThan(ingested);
    for (const agent of agents) {
      const ts = socket.samples(agent.id).map((m) => m.sample.timestamp);
      expect(ts.at(-1)).toBe(newest.get(agent.id));
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
    }
    expect(socket.closed).toBeUndefined();
  });

  it("answers a client that keeps subscribing without reading within bounded memory", async () => {
    const agent = await createAgent(user, "big-answer");
    const ts = nextTs();
    await ingestBig(agent.token, ts);
    const socket = await openLive(user, agent.id);
    sockets.push(socket);
    await socket.next((m) => m.type === "sample" && m.sample.timestamp === ts, "the newest sample on connect");
    const server = serverSocket();
    const answerBytes = JSON.stringify(socket.samples()[0]).length + FRAME_OVERHEAD;
    const readyBytes = JSON.stringify({ type: "ready", agent_id: agent.id }).length + FRAME_OVERHEAD;
    let seen = 0;
    server.on("message", () => seen++);
    const coalescedBefore = await coalescedTotal();
    socket.ws.pause();

    // Each subscribe is answered with ready plus the ~700 KiB newest sample: 150 of them would be ~100 MiB.
    const subscribes = 150;
    for (let i = 0; i < subscribes; i++) socket.send({ type: "subscribe", agent_id: agent.id });
    // The hub answers a message within the same turn of the event loop, so once all are seen all are answered.
    await waitFor(() => seen === subscribes, "the hub to read every subscribe");
    await yieldToLoop();
    expect(server.readyState).toBe(WebSocket.OPEN);
    expect(server.bufferedAmount).toBeLessThan(HIGH_WATER_BYTES + answerBytes + subscribes * readyBytes);
    expect(await coalescedTotal()).toBeGreaterThan(coalescedBefore);

    socket.ws.resume();
    await waitFor(() => socket.messages.filter((m) => m.type === "ready").length === subscribes + 1, "every ready");
    await socket.barrier();
    const lastReady = socket.messages.findLastIndex((m) => m.type === "ready");
    await socket.next((m) => m.type === "sample" && m.sample.timestamp === ts, "the newest sample after the last ready", lastReady);
    expect(socket.samples().length).toBeLessThan(subscribes / 2);
    expect(socket.closed).toBeUndefined();
  });
});
