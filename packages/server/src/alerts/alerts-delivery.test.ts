/**
 * Alerts end to end over a real hub and a local recording Telegram server, on a manual clock: one
 * message per incident and per resolution, cooldowns, `duration_s`, offline, back-fill, restarts
 * mid-incident, 429 `retry_after`, a ten-minute channel outage, webhooks and user isolation.
 */
import type { ServerResponse } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ingestBatch, ingestOriginal } from "../test-support/live-socket.js";
import { recordingServer, type RecordedRequest } from "../test-support/recording-server.js";
import {
  ManualClock,
  createAgent,
  signIn,
  signUp,
  startTestHub,
  waitFor,
  type SignedIn,
  type TestHub,
} from "../test-support/test-hub.js";

const BOT_TOKEN = "123456789:TEST-bot-token-for-the-recording-server";

/** How the fake Telegram answers: fine, rate-limited, or down. */
type Mode = { kind: "ok" } | { kind: "429"; retryAfterS: number; times: number } | { kind: "down" };

const telegramReply = (mode: () => Mode) => (res: ServerResponse) => {
  const current = mode();
  if (current.kind === "429" && current.times > 0) {
    current.times -= 1;
    res.writeHead(429, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: false, error_code: 429, description: "Too Many Requests", parameters: { retry_after: current.retryAfterS } }));
  } else if (current.kind === "down") {
    res.writeHead(502, { "content-type": "text/plain" });
    res.end("bad gateway");
  } else {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, result: { message_id: 1 } }));
  }
};

interface Sent {
  chatId: string;
  text: string;
}
const sentMessages = (requests: RecordedRequest[], from = 0): Sent[] =>
  requests.slice(from).map((r) => {
    const body = JSON.parse(r.body);
    return { chatId: String(body.chat_id), text: String(body.text) };
  });

describe("alert delivery", () => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
  let mode: Mode = { kind: "ok" };
  let telegram: { url: string; requests: RecordedRequest[] };
  let dataDir: string;
  let hub: TestHub;
  let alice: SignedIn & { userId: number };
  /** A fresh agent per test, so incidents and cooldowns never carry over. */
  let agent: { id: number; token: string };
  let seen: number;

  const startHub = () =>
    startTestHub({
      clock,
      dataDir,
      settings: { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_URL: telegram.url, INGEST_RATE_LIMIT_PER_S: "10000" },
    });
  const send = async (cpu: number, target = agent) => {
    clock.advance(1000);
    await ingestBatch(hub.url, target.token, [{ timestamp: clock.now(), cpu }]);
  };
  /** Waits until the alert engine has handled everything ingested so far and due messages went out. */
  const settle = () => hub.alerts.runNow();
  const newMessages = () => sentMessages(telegram.requests, seen);
  const events = async (client: SignedIn = alice, query = "sort=oldest") => (await client.get(`/api/v1/alerts/events?${query}`)).body;
  const createRule = async (rule: Record<string, unknown>, client: SignedIn = alice) => {
    const res = await client.post("/api/v1/alerts/rules", rule);
    expect(res.status).toBe(201);
    return res.body as { id: number };
  };

  beforeAll(async () => {
    telegram = await recordingServer(telegramReply(() => mode), { lifetime: "file" });
    dataDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-alerts-"));
    hub = await startHub();
    alice = await signUp(hub.url, "alice");
    expect((await alice.request("PUT", "/api/v1/alerts/channels", { json: { telegram: { chat_id: "4242", enabled: true } } })).status).toBe(200);
  });
  afterAll(async () => {
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    mode = { kind: "ok" };
    // The manual clock runs far ahead of access-token lifetimes: a fresh session per test.
    alice = Object.assign(await signIn(hub.url, "alice"), { userId: alice.userId });
    agent = await createAgent(alice, `agent <${Math.random().toString(36).slice(2, 8)}>`);
    seen = telegram.requests.length;
  });

  it("sends exactly one message when a rule starts firing and one when it resolves", async () => {
    await createRule({ agent_id: agent.id, metric: "cpu", operator: ">", threshold: 80 });
    for (const cpu of [50, 90, 95, 92, 99]) await send(cpu);
    await settle();
    await waitFor(() => newMessages().length === 1, "the firing message");
    await send(85); // inside the hysteresis band (clears at 78 or below): still firing
    await send(70);
    await settle();
    await waitFor(() => newMessages().length === 2, "the resolved message");
    await send(72);
    await settle();

    const [fired, resolved] = newMessages();
    expect(newMessages()).toHaveLength(2);
    expect(fired!.chatId).toBe("4242");
    expect(fired!.text).toContain("🚨");
    expect(fired!.text).toContain("Current Value: 90.0%");
    expect(fired!.text).toContain("Threshold: &gt; 80.0%");
    // The agent's name is user text: escaped for Telegram's HTML parse mode.
    expect(fired!.text).toContain("Alert for agent &lt;");
    expect(resolved!.text).toContain("✅");
    expect(resolved!.text).toContain("Current Value: 70.0%");
    const body = JSON.parse(telegram.requests[seen]!.body);
    expect(body.parse_mode).toBe("HTML");
    expect(telegram.requests[seen]!.path).toBe(`/bot${BOT_TOKEN}/sendMessage`);

    const log = await events(alice, `agent_id=${agent.id}&sort=oldest`);
    expect(log.total).toBe(2);
    expect(log.items.map((e: { state: string; delivery: string; value: number }) => [e.state, e.delivery, e.value])).toEqual([
      ["firing", "sent", 90],
      ["resolved", "sent", 70],
    ]);
    expect(log.items[0].deliveries).toEqual([{ channel: "telegram", status: "sent", attempts: 1, error: null }]);
  });

  it("fires on samples of the original Python agents too (POST /ingest, epoch seconds)", async () => {
    await createRule({ agent_id: agent.id, metric: "cpu", operator: ">", threshold: 80 });
    clock.advance(1000);
    await ingestOriginal(hub.url, agent.token, clock.now(), 97.5);
    await settle();
    await waitFor(() => newMessages().length === 1, "the firing message");
    expect(newMessages()[0]!.text).toContain("Current Value: 97.5%");
  });

  it("fires only after duration_s of continuous breach, and not at all when it breaks off", async () => {
    await createRule({ agent_id: agent.id, metric: "cpu", operator: ">=", threshold: 60, duration_s: 5 });
    await send(70); // pending from here
    for (let i = 0; i < 3; i++) await send(75);
    await send(10); // broke off after 4 s: back to inactive
    for (let i = 0; i < 4; i++) await send(80); // pending again, 3 s so far
    await settle();
    expect(newMessages()).toHaveLength(0);
    await send(80); // 4 s
    await settle();
    expect(newMessages()).toHaveLength(0);
    await send(80); // 5 s: fires
    await settle();
    await waitFor(() => newMessages().length === 1, "the firing message after exactly 5 s");
    expect(newMessages()[0]!.text).toContain("Duration: 5 s");
  });

  it("suppresses a repeat incident inside the cooldown, and its resolution, then notifies again once it has passed", async () => {
    await createRule({ agent_id: agent.id, metric: "cpu", operator: ">", threshold: 50, cooldown_s: 120 });
    await send(90);
    await send(10);
    await settle();
    await waitFor(() => newMessages().length === 2, "first incident: fired and resolved");
    await send(90); // 2 s after the first message: inside the cooldown
    await send(10);
    await settle();
    expect(newMessages()).toHaveLength(2);
    clock.advance(120_000);
    await send(90);
    await settle();
    await waitFor(() => newMessages().length === 3, "a new incident after the cooldown");

    const log = await events(alice, `agent_id=${agent.id}&sort=oldest`);
    expect(log.items.map((e: { state: string; delivery: string }) => `${e.state}:${e.delivery}`)).toEqual([
      "firing:sent",
      "resolved:sent",
      "firing:suppressed",
      "resolved:suppressed",
      "firing:sent",
    ]);
  });

  it("never fires for back-filled samples, however far over the threshold", async () => {
    await createRule({ agent_id: agent.id, metric: "cpu", operator: ">", threshold: 50 });
    await send(10);
    const newest = clock.now();
    // An outage's worth of old samples, all breaching, arriving after a newer one.
    await ingestBatch(
      hub.url,
      agent.token,
      Array.from({ length: 30 }, (_, i) => ({ timestamp: newest - 60_000 + i * 1000, cpu: 99 })),
    );
    await settle();
    expect(newMessages()).toHaveLength(0);
    expect((await events(alice, `agent_id=${agent.id}`)).total).toBe(0);
  });

  it("fires offline when an agent goes silent and resolves on its next sample", async () => {
    await createRule({ agent_id: agent.id, metric: "offline" });
    for (let i = 0; i < 5; i++) await send(20);
    clock.advance(29_000); // 30 s of silence: not yet more than the 30 s floor
    await settle();
    expect(newMessages()).toHaveLength(0);
    clock.advance(2_000);
    await settle();
    await waitFor(() => newMessages().length === 1, "the offline message");
    expect(newMessages()[0]!.text).toContain("OFFLINE");
    clock.advance(60_000);
    await settle();
    expect(newMessages()).toHaveLength(1);
    await send(20);
    await settle();
    await waitFor(() => newMessages().length === 2, "the back-online message");
    expect(newMessages()[1]!.text).toContain("reporting again");
  });

  it("honours Telegram's 429 retry_after and delivers once", async () => {
    mode = { kind: "429", retryAfterS: 7, times: 1 };
    await createRule({ agent_id: agent.id, metric: "cpu", operator: ">", threshold: 50 });
    await send(90);
    await settle();
    await waitFor(() => telegram.requests.length === seen + 1, "the rate-limited attempt");
    clock.advance(6_000);
    await settle();
    expect(telegram.requests.length).toBe(seen + 1);
    clock.advance(1_000);
    await settle();
    await waitFor(() => telegram.requests.length === seen + 2, "the retry after retry_after");
    const [firing] = (await events(alice, `agent_id=${agent.id}`)).items;
    expect(firing).toMatchObject({ delivery: "sent", deliveries: [{ channel: "telegram", status: "sent", attempts: 2 }] });
  });

  it("survives a ten-minute channel outage: nothing lost, nothing doubled, delivered in order", async () => {
    await createRule({ agent_id: agent.id, metric: "cpu", operator: ">", threshold: 50, cooldown_s: 0 });
    mode = { kind: "down" };
    const expected: string[] = [];
    for (let incident = 0; incident < 3; incident++) {
      await send(90 + incident);
      expected.push(`🚨 ${90 + incident}.0%`);
      await send(10 + incident);
      expected.push(`✅ ${10 + incident}.0%`);
      await settle();
    }
    // Ten minutes down, the queue retrying with backoff the whole time.
    for (let minute = 0; minute < 10; minute++) {
      clock.advance(60_000);
      await settle();
    }
    const attemptsWhileDown = telegram.requests.length - seen;
    expect(attemptsWhileDown).toBeGreaterThan(3);
    const pending = await events(alice, `agent_id=${agent.id}&sort=oldest`);
    expect(pending.items.every((e: { delivery: string }) => e.delivery === "pending")).toBe(true);
    const health = (await alice.get("/health")).body;
    expect(health.status).toBe("degraded");
    expect(health.components.alerts).toEqual({ status: "degraded", detail: "telegram configured; 6 queued, the oldest for 10 min" });

    mode = { kind: "ok" };
    const okFrom = telegram.requests.length;
    clock.advance(6 * 60_000); // longer than the longest backoff
    await settle();
    await waitFor(() => telegram.requests.length - okFrom === 6, "all six messages after the outage");
    const delivered = sentMessages(telegram.requests, okFrom).map((m) => {
      const value = /Current Value: ([\d.]+%)/.exec(m.text)?.[1];
      return `${m.text.startsWith("🚨") ? "🚨" : "✅"} ${value}`;
    });
    expect(delivered).toEqual(expected);
    const log = await events(await signIn(hub.url, "alice"), `agent_id=${agent.id}&sort=oldest`);
    expect(log.items.every((e: { delivery: string }) => e.delivery === "sent")).toBe(true);
    expect((await alice.get("/health")).body.components.alerts).toEqual({ status: "ok", detail: "telegram configured; 0 queued" });
  });

  it("neither forgets nor repeats an incident across a restart", async () => {
    await createRule({ agent_id: agent.id, metric: "cpu", operator: ">", threshold: 50 });
    await send(90);
    await settle();
    await waitFor(() => newMessages().length === 1, "the firing message");
    await hub.stop();
    hub = await startHub();
    alice = Object.assign(await signIn(hub.url, "alice"), { userId: alice.userId });
    await send(95); // still firing: the restarted hub must remember it
    await settle();
    expect(newMessages()).toHaveLength(1);
    await send(5);
    await settle();
    await waitFor(() => newMessages().length === 2, "one resolved message after the restart");
    expect(newMessages()[1]!.text).toContain("✅");
  });

  it("sends what was queued before a restart when the hub comes back", async () => {
    await createRule({ agent_id: agent.id, metric: "cpu", operator: ">", threshold: 50 });
    mode = { kind: "down" };
    await send(90);
    await settle();
    await waitFor(() => telegram.requests.length > seen, "a failed attempt");
    await hub.stop();
    mode = { kind: "ok" };
    const from = telegram.requests.length;
    hub = await startHub();
    alice = Object.assign(await signIn(hub.url, "alice"), { userId: alice.userId });
    clock.advance(10_000);
    await settle();
    await waitFor(() => telegram.requests.length === from + 1, "the queued message after the restart");
    expect(sentMessages(telegram.requests, from)[0]!.text).toContain("🚨");
  });

  it("evaluates a user's rules only against that user's agents", async () => {
    const bob = await signUp(hub.url, `bob-${agent.id}`);
    await bob.request("PUT", "/api/v1/alerts/channels", { json: { telegram: { chat_id: "777", enabled: true } } });
    const bobsAgent = await createAgent(bob, "bobs");
    await createRule({ agent_id: null, metric: "cpu", operator: ">", threshold: 50 }, bob);
    await send(99); // Alice's agent, far over Bob's threshold
    await settle();
    expect(newMessages()).toHaveLength(0);
    await send(99, bobsAgent);
    await settle();
    await waitFor(() => newMessages().length === 1, "bob's own alert");
    expect(newMessages()[0]!.chatId).toBe("777");
    expect((await events(bob)).items.map((e: { agent_id: number }) => e.agent_id)).toEqual([bobsAgent.id]);
    expect((await events(alice, `agent_id=${agent.id}`)).total).toBe(0);
  });

  it("delivers to a webhook with the JSON payload and an HMAC signature", async () => {
    const hook = await recordingServer((res) => res.writeHead(204).end());
    await alice.request("PUT", "/api/v1/alerts/channels", {
      json: { telegram: { chat_id: "4242", enabled: false }, webhook: { url: `${hook.url}/hook`, secret: "hook-secret", enabled: true } },
    });
    try {
      await createRule({ agent_id: agent.id, metric: "cpu", operator: ">", threshold: 50, name: "Busy" });
      await send(91.5);
      await settle();
      await waitFor(() => hook.requests.length === 1, "the webhook call");
      expect(newMessages()).toHaveLength(0);
      const [call] = hook.requests;
      expect(call!.path).toBe("/hook");
      expect(call!.headers["x-statusmonitor-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(JSON.parse(call!.body)).toMatchObject({
        type: "alert.fired",
        agent: { id: agent.id },
        rule: { name: "Busy", metric: "cpu", operator: ">", threshold: 50 },
        value: 91.5,
      });
    } finally {
      await alice.request("PUT", "/api/v1/alerts/channels", { json: { telegram: { chat_id: "4242", enabled: true }, webhook: { url: "", enabled: false } } });
    }
  });
});
