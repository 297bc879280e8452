/**
 * The scaled-out hub end to end: api, two ingest instances, live, history and alerts as separate
 * `statusmonitor serve` processes on real Kafka, PostgreSQL and Redis, fed by a load generator that
 * fails over between the ingest instances like an agent behind a load balancer. Live samples reach a
 * WebSocket, history answers, an alert reaches the recording Telegram server once; then one ingest
 * instance and the history process are SIGKILLed mid-stream and restarted, and every acknowledged
 * sample must be in history exactly once. Every wait is a poll with a deadline.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresFixture, type PostgresFixture } from "../packages/server/src/test-support/postgres-fixture.js";
import { recordingServer, type RecordedRequest } from "../packages/server/src/test-support/recording-server.js";
import { buildServer } from "../packages/server/src/test-support/server-process.js";
import { serviceUrls, uniqueTestName } from "../packages/server/src/test-support/services.js";
import { LiveSocket, issueTicket } from "../packages/server/src/test-support/live-socket.js";
import { createAgent, signUp, waitFor, type SignedUp } from "../packages/server/src/test-support/test-hub.js";
import { Cluster } from "./support/cluster.js";
import { LoadSender } from "./support/load-sender.js";

const BOT_TOKEN = "123456789:AAE2eDistributedTestBotTokenValue";
const CHAT_ID = "5150";
/** Redis database of this test (the contract suites use database 0 with key prefixes). */
const REDIS_DB = 9;

let postgres: PostgresFixture;
let redis: Redis;
let cluster: Cluster;
let telegram: { url: string; requests: RecordedRequest[] };
let alice: SignedUp;
let agent: { id: number; token: string };
let sender: LoadSender;
let ingestUrls: string[];
let lastHistoryAnswer = "";

const telegramTexts = () => telegram.requests.map((r) => (JSON.parse(r.body) as { text: string }).text);

/** The raw history of the agent's CPU usage between two timestamps, one point per stored sample. */
async function storedTimestamps(from: number, to: number): Promise<number[]> {
  const query = new URLSearchParams({ start: new Date(from).toISOString(), stop: new Date(to + 1000).toISOString(), interval: "1s" });
  const res = await alice.get(`/api/v1/agents/${agent.id}/history/cpu?${query}`);
  lastHistoryAnswer = JSON.stringify(res.body).slice(0, 1500);
  if (res.status !== 200) throw new Error(`history: ${res.status} ${JSON.stringify(res.body)}`);
  const usage = (res.body.series as Array<{ name: string; points: Array<{ t: number; v: number | null }> }>).find((s) => s.name === "usage");
  return (usage?.points ?? []).filter((p) => p.v !== null).map((p) => p.t);
}

/** Waits until history holds every acknowledged sample; returns what it holds in the acknowledged range. */
async function waitForHistoryOfAcknowledged(what: string): Promise<number[]> {
  const acknowledged = [...sender.acknowledged].sort((a, b) => a - b);
  const first = acknowledged[0]!;
  const last = acknowledged[acknowledged.length - 1]!;
  let stored: number[] = [];
  await waitFor(
    async () => {
      stored = await storedTimestamps(first, last);
      const have = new Set(stored);
      return acknowledged.every((t) => have.has(t));
    },
    what,
    // The history process writes every 10 s; after a restart it first rejoins its consumer group.
    90_000,
    500,
  ).catch((err: Error) => {
    const have = new Set(stored);
    const missing = acknowledged.filter((t) => !have.has(t));
    return postgres.pool.query<{ tier: string; chunks: number }>("SELECT tier, count(*)::int AS chunks FROM history_chunks GROUP BY tier").then(({ rows }) => {
      const chunks = rows.map((r) => `${r.tier}: ${r.chunks}`).join(", ") || "none";
      throw new Error(
        `${err.message}: ${missing.length} of ${acknowledged.length} acknowledged samples missing (first ${missing.slice(0, 5).join(", ")}); ` +
          `chunks in PostgreSQL: ${chunks}; the last answer: ${lastHistoryAnswer}\n${cluster.output("history").slice(-3000)}`,
      );
    });
  });
  return stored;
}

beforeAll(async () => {
  const services = serviceUrls();
  if (!services.kafkaBootstrapServers) throw new Error("TEST_KAFKA_BOOTSTRAP_SERVERS is not set: run this suite with `npm run test:services`");
  buildServer();
  postgres = await openPostgresFixture({ migrate: false });
  const redisUrl = new URL(services.redisUrl);
  redisUrl.pathname = `/${REDIS_DB}`;
  redis = new Redis(redisUrl.toString());
  await redis.flushdb();
  telegram = await recordingServer(
    (res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, result: { message_id: 1 } })),
    { lifetime: "file" },
  );
  cluster = new Cluster(
    {
      databaseUrl: postgres.url,
      redisUrl: redisUrl.toString(),
      kafkaBootstrapServers: services.kafkaBootstrapServers,
      kafkaTopicPrefix: `${uniqueTestName("e2e")}.`,
    },
    { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_URL: telegram.url, LOG_LEVEL: "info" },
  );
}, 60_000);

afterAll(async () => {
  await sender?.stop().catch(() => undefined);
  await cluster?.stopAll();
  await redis?.flushdb().catch(() => undefined);
  redis?.disconnect();
  await postgres?.close();
});

describe("the distributed hub: every role in its own process on Kafka, PostgreSQL and Redis", () => {
  it("starts six processes at once on an empty database (migrations run once, under a lock)", async () => {
    await Promise.all([
      cluster.start("api", "api"),
      cluster.start("ingest-1", "ingest"),
      cluster.start("ingest-2", "ingest"),
      cluster.start("live", "live"),
      cluster.start("history", "history"),
      cluster.start("alerts", "alerts"),
    ]);
    const migrations = await postgres.pool.query<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
    expect(migrations.rows.map((r) => r.version)).toEqual([1, 2, 3]);
    ingestUrls = [cluster.url("ingest-1"), cluster.url("ingest-2")];
  }, 120_000);

  it("reports each process's roles and dependencies in /health", async () => {
    for (const [name, roles] of [["api", ["api"]], ["ingest-1", ["ingest"]], ["live", ["live"]], ["history", ["history"]], ["alerts", ["alerts"]]] as const) {
      const res = await fetch(`${cluster.url(name)}/health`);
      const body = (await res.json()) as { status: string; roles: string[]; components: Record<string, { status: string; detail?: string }> };
      expect(res.status, name).toBe(200);
      expect(body.roles, name).toEqual(roles);
      expect(body.components.database, name).toEqual({ status: "ok", detail: "postgresql" });
      expect(body.components.cache, name).toEqual({ status: "ok", detail: "redis" });
      expect(body.components.bus?.status, name).toBe("ok");
      expect(body.components.bus?.detail, name).toMatch(/kafka/i);
    }
    const alertsHealth = (await (await fetch(`${cluster.url("alerts")}/health`)).json()) as { components: Record<string, { detail: string }> };
    expect(alertsHealth.components.alerts?.detail).toMatch(/telegram configured/);
  });

  it("serves the API from the api process: register, create an agent, set up Telegram and a rule", async () => {
    alice = await signUp(cluster.url("api"), "alice");
    agent = await createAgent(alice, "scaled-out");
    expect((await alice.request("PUT", "/api/v1/alerts/channels", { json: { telegram: { chat_id: CHAT_ID, enabled: true } } })).status).toBe(200);
    // No cooldown: the hand-over step below fires the same rule again a few seconds later.
    expect((await alice.post("/api/v1/alerts/rules", { agent_id: agent.id, metric: "cpu", operator: ">", threshold: 80, cooldown_s: 0 })).status).toBe(201);
    // Ten minutes of samples ending about now, sent faster than real time, five per request, on whole
    // seconds so each is its own point of a 1 s history query.
    const firstTimestamp = Math.floor((Date.now() - 10 * 60_000) / 1000) * 1000;
    sender = new LoadSender(() => ingestUrls, agent.token, { firstTimestamp, samplesPerRequest: 5, pauseMs: 100 });
  });

  it("streams samples accepted by either ingest instance to a WebSocket on the live process", async () => {
    const socket = await LiveSocket.open(cluster.url("live"), await issueTicket(alice, agent.id));
    try {
      const sent = [...(await sender.sendOnce()), ...(await sender.sendOnce())];
      await waitFor(() => sent.every((t) => socket.samples(agent.id).some((m) => m.sample?.timestamp === t)), "the live samples", 20_000);
    } finally {
      await socket.close();
    }
  });

  it("notifies Telegram exactly once when the rule fires, and once when it resolves", async () => {
    sender.cpu = 95;
    await sender.sendOnce();
    await waitFor(() => telegramTexts().some((t) => t.includes("🚨")), "the firing message", 30_000);
    sender.cpu = 10;
    await sender.sendOnce();
    await waitFor(() => telegramTexts().some((t) => t.includes("✅")), "the resolved message", 30_000);
    expect(telegramTexts().filter((t) => t.includes("🚨"))).toHaveLength(1);
    expect(telegramTexts().filter((t) => t.includes("✅"))).toHaveLength(1);
    expect(telegram.requests.every((r) => JSON.parse(r.body).chat_id === CHAT_ID)).toBe(true);
    const events = await alice.get(`/api/v1/alerts/events?agent_id=${agent.id}&sort=oldest`);
    expect(events.body.items.map((e: { state: string; delivery: string }) => [e.state, e.delivery])).toEqual([
      ["firing", "sent"],
      ["resolved", "sent"],
    ]);
  });

  it("answers history queries on the api process with what the history process wrote", async () => {
    const stored = await waitForHistoryOfAcknowledged("history to hold the first samples");
    expect(stored).toHaveLength(sender.acknowledged.size);
  }, 120_000);

  it("loses nothing acknowledged when an ingest instance and the history process are SIGKILLed mid-stream", async () => {
    sender.start();
    const before = sender.acknowledged.size;
    await waitFor(() => sender.acknowledged.size >= before + 50, "samples flowing before the crash", 20_000);
    await Promise.all([cluster.kill("ingest-1"), cluster.kill("history")]);
    const atCrash = sender.acknowledged.size;
    // The sender fails over to ingest-2; samples keep being acknowledged while history is down.
    await waitFor(() => sender.acknowledged.size >= atCrash + 50 && sender.failures > 0, "ingest-2 to take over", 20_000);
    await Promise.all([cluster.restart("ingest-1"), cluster.restart("history")]);
    const afterRestart = sender.acknowledged.size;
    await waitFor(() => sender.acknowledged.size >= afterRestart + 50, "samples flowing after the restart", 20_000);
    await sender.stop();

    const stored = await waitForHistoryOfAcknowledged("history to hold every acknowledged sample after the crash");
    // Exactly once: one point per acknowledged timestamp and nothing else in the range.
    expect(stored).toHaveLength(new Set(stored).size);
    expect(stored).toHaveLength(sender.acknowledged.size);
    expect(new Set(stored)).toEqual(sender.acknowledged);
  }, 180_000);

  it("hands alerting over to a standby when the leading alerts process dies, and never sends twice", async () => {
    const alertsDetail = async (name: string) =>
      ((await (await fetch(`${cluster.url(name)}/health`)).json()) as { components: Record<string, { detail: string }> }).components.alerts?.detail;
    await cluster.start("alerts-2", "alerts");
    expect(await alertsDetail("alerts-2")).toMatch(/^standby/);
    await cluster.kill("alerts");
    // The lease lasts 10 s without renewal; the standby campaigns every 2 s.
    await waitFor(async () => /telegram configured/.test((await alertsDetail("alerts-2")) ?? ""), "the standby to take the lease", 30_000, 500);
    const firingBefore = telegramTexts().filter((t) => t.includes("🚨")).length;
    sender.cpu = 97;
    await sender.sendOnce();
    await waitFor(() => telegramTexts().filter((t) => t.includes("🚨")).length > firingBefore, "the new leader's firing message", 30_000);
    sender.cpu = 10;
    await sender.sendOnce();
    await waitFor(() => telegramTexts().filter((t) => t.includes("✅")).length === 2, "the new leader's resolved message", 30_000);
    expect(telegramTexts().filter((t) => t.includes("🚨"))).toHaveLength(2);
  }, 90_000);

  it("refuses a regenerated token, and a deleted agent's, on every ingest instance at once (no cache lag)", async () => {
    const ingest = (url: string, token: string) =>
      fetch(`${url}/api/v1/ingest`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-agent-token": token },
        body: JSON.stringify({
          agent: { hostname: "token-probe", os: "linux", arch: "x64", version: "e2e" },
          samples: [{ seq: 1, timestamp: Date.now(), cpu: { usage_percent: 1 } }],
        }),
      }).then((answer) => answer.status);
    const doomed = await createAgent(alice, "doomed");
    // Both instances have checked (and cached) both tokens before the change.
    for (const url of ingestUrls) expect([await ingest(url, agent.token), await ingest(url, doomed.token)]).toEqual([200, 200]);

    expect((await alice.post(`/api/v1/agents/${agent.id}/token`)).status).toBe(200);
    expect((await alice.delete(`/api/v1/agents/${doomed.id}`)).status).toBe(204);
    for (const url of ingestUrls) expect([await ingest(url, agent.token), await ingest(url, doomed.token)], url).toEqual([401, 401]);
  });

  it("stops every process gracefully on SIGTERM", async () => {
    for (const name of ["ingest-1", "ingest-2", "live", "history", "alerts-2", "api"]) {
      expect(await cluster.stop(name), name).toBe(0);
    }
  }, 120_000);
});
