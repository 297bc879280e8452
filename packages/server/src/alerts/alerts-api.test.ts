/** The alerts HTTP API over a real hub: rules and their validation, channel settings and the sealed webhook secret, the test message, and the event log — each scoped to its caller. */
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alertChannels, alertEventPage, alertRule, MAX_ALERT_RULES_PER_USER } from "@statusmonitor/protocol";
import { recordingServer, type RecordedRequest } from "../test-support/recording-server.js";
import {
  createAgent,
  expectErrorCode,
  HttpClient,
  signUp,
  startTestHub,
  useTestHub,
  waitFor,
  type JsonResponse,
  type SignedUp,
  type TestHub,
} from "../test-support/test-hub.js";

const RULES = "/api/v1/alerts/rules";
const CHANNELS = "/api/v1/alerts/channels";
const CHANNEL_TEST = "/api/v1/alerts/channels/test";
const EVENTS = "/api/v1/alerts/events";
const UNKNOWN_AGENT = 987_654_321;
const UNKNOWN_RULE = 987_654_322;
const BOT_TOKEN = "123456789:AAtest-bot-token_for-the-api-tests";

const CPU_OVER_90 = { agent_id: null, metric: "cpu", operator: ">", threshold: 90 };
const DEFAULT_CHANNELS = (available: boolean) => ({
  telegram: { chat_id: "", enabled: false, available },
  webhook: { url: "", enabled: false, has_secret: false },
});

const iso = (ms: number) => new Date(ms).toISOString();

const NO_CHANNELS_INPUT = { telegram: { chat_id: "", enabled: false }, webhook: { url: "", secret: null, enabled: false } };

async function createRule(client: HttpClient, rule: Record<string, unknown>): Promise<any> {
  const res = await client.post(RULES, rule);
  if (res.status !== 201) throw new Error(`create rule: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function listRules(client: HttpClient): Promise<any[]> {
  const res = await client.get(RULES);
  expect(res.status).toBe(200);
  return res.body;
}

/** Deletes every rule of the caller: the hub allows few registrations per hour, so tests share users and start from a clean slate. */
async function deleteAllRules(client: HttpClient): Promise<void> {
  for (const rule of await listRules(client)) expect((await client.delete(`${RULES}/${rule.id}`)).status).toBe(204);
}

/** Saves empty, disabled channels (and no secret): what a user who never saved any has. */
async function resetChannels(client: HttpClient): Promise<void> {
  expect((await client.request("PUT", CHANNELS, { json: NO_CHANNELS_INPUT })).status).toBe(200);
}

/** Asserts a 400 VALIDATION_FAILED whose issues point at `where` (e.g. `body.threshold`). */
function expectInvalid(res: JsonResponse, where: string): void {
  expectErrorCode(res, 400, "VALIDATION_FAILED");
  expect(res.body.error.issues.map((issue: { path: string }) => issue.path)).toContain(where);
}

/** Runs `task(0..count-1)` with at most `concurrency` in flight; returns the results in order. */
async function inPool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

describe("alert rules", () => {
  const ctx = useTestHub({ manualClock: true });
  let alice: SignedUp;
  let bob: SignedUp;
  let alicesAgent: { id: number };

  beforeAll(async () => {
    alice = await signUp(ctx.url, "alice");
    bob = await signUp(ctx.url, "bob");
    alicesAgent = await createAgent(alice, "alice-web");
  });
  beforeEach(async () => {
    await deleteAllRules(alice);
    await deleteAllRules(bob);
  });

  describe("create", () => {
    it("answers 201 with the defaults filled in and a generated name", async () => {
      const res = await alice.post(RULES, { agent_id: alicesAgent.id, metric: "cpu", operator: ">", threshold: 90 });
      expect(res.status).toBe(201);
      expect(alertRule.strict().safeParse(res.body).success).toBe(true);
      expect(res.body).toEqual({
        id: expect.any(Number),
        name: "CPU > 90",
        agent_id: alicesAgent.id,
        metric: "cpu",
        operator: ">",
        threshold: 90,
        mountpoint: null,
        duration_s: 0,
        cooldown_s: 300,
        enabled: true,
        created_at: iso(ctx.clock.now()),
        updated_at: iso(ctx.clock.now()),
      });
    });

    it("keeps every field given, and names disk rules after their mountpoint", async () => {
      const named = await createRule(alice, { ...CPU_OVER_90, name: "  busy  ", duration_s: 60, cooldown_s: 0, enabled: false });
      expect(named).toMatchObject({ name: "busy", duration_s: 60, cooldown_s: 0, enabled: false });
      const disk = await createRule(alice, { agent_id: alicesAgent.id, metric: "disk", operator: ">=", threshold: 80, mountpoint: "/data" });
      expect(disk).toMatchObject({ name: "Disk /data >= 80", mountpoint: "/data" });
      const network = await createRule(alice, { agent_id: null, metric: "network_rx", operator: ">", threshold: 5e9 });
      expect(network).toMatchObject({ threshold: 5e9 });
    });

    it("accepts agent_id null: a rule for all of the caller's agents", async () => {
      const rule = await createRule(alice, CPU_OVER_90);
      expect(rule.agent_id).toBeNull();
      expect((await listRules(alice)).map((r) => r.agent_id)).toEqual([null]);
    });

    it("accepts an offline rule without operator or threshold, stored as > 0 (automatic)", async () => {
      const rule = await createRule(alice, { agent_id: alicesAgent.id, metric: "offline" });
      expect(rule).toMatchObject({ name: "Offline", metric: "offline", operator: ">", threshold: 0, mountpoint: null });
      expect(await createRule(alice, { agent_id: null, metric: "offline", operator: ">", threshold: 10 })).toMatchObject({ threshold: 10 });
    });
  });

  describe("validation", () => {
    const cases: Array<[what: string, body: Record<string, unknown>, where: string]> = [
      ["cpu threshold above 100", { ...CPU_OVER_90, threshold: 100.5 }, "body.threshold"],
      ["cpu threshold below 0", { ...CPU_OVER_90, threshold: -1 }, "body.threshold"],
      ["memory threshold above 100", { ...CPU_OVER_90, metric: "memory", threshold: 101 }, "body.threshold"],
      ["disk threshold below 0", { ...CPU_OVER_90, metric: "disk", threshold: -0.5 }, "body.threshold"],
      ["a negative network threshold", { ...CPU_OVER_90, metric: "network_tx", threshold: -1 }, "body.threshold"],
      ["duration_s above a day", { ...CPU_OVER_90, duration_s: 86_401 }, "body.duration_s"],
      ["a fractional duration_s", { ...CPU_OVER_90, duration_s: 1.5 }, "body.duration_s"],
      ["an unknown metric", { ...CPU_OVER_90, metric: "gpu" }, "body.metric"],
      ["an unknown operator", { ...CPU_OVER_90, operator: "==" }, "body.operator"],
      ["a mountpoint on a cpu rule", { ...CPU_OVER_90, mountpoint: "/" }, "body.mountpoint"],
      ["a cpu rule without operator", { agent_id: null, metric: "cpu", threshold: 90 }, "body.operator"],
      ["a cpu rule without threshold", { agent_id: null, metric: "cpu", operator: ">" }, "body.threshold"],
      ["offline with operator <", { agent_id: null, metric: "offline", operator: "<", threshold: 60 }, "body.operator"],
      ["offline with threshold 5 (neither automatic nor at least 10 s)", { agent_id: null, metric: "offline", threshold: 5 }, "body.threshold"],
      ["a name over 100 characters", { ...CPU_OVER_90, name: "n".repeat(101) }, "body.name"],
      ["an empty name", { ...CPU_OVER_90, name: "   " }, "body.name"],
      ["a missing agent_id", { metric: "cpu", operator: ">", threshold: 90 }, "body.agent_id"],
    ];

    it.each(cases)("refuses %s with 400 VALIDATION_FAILED naming the field", async (_what, body, where) => {
      expectInvalid(await alice.post(RULES, body), where);
      expect(await listRules(alice)).toEqual([]);
    });
  });

  it("lists only the caller's rules, oldest first", async () => {
    const first = await createRule(alice, { ...CPU_OVER_90, threshold: 10 });
    ctx.clock.advance(1000);
    const second = await createRule(alice, { ...CPU_OVER_90, threshold: 30 });
    const third = await createRule(alice, { ...CPU_OVER_90, threshold: 20 });
    const bobs = await createRule(bob, CPU_OVER_90);

    expect((await listRules(alice)).map((r) => r.id)).toEqual([first.id, second.id, third.id]);
    expect(await listRules(bob)).toEqual([bobs]);
  });

  describe("update", () => {
    it("changes only the fields given and moves updated_at", async () => {
      const rule = await createRule(alice, { ...CPU_OVER_90, agent_id: alicesAgent.id });
      ctx.clock.advance(5000);
      const res = await alice.patch(`${RULES}/${rule.id}`, { threshold: 75.5 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...rule, threshold: 75.5, updated_at: iso(ctx.clock.now()) });
      expect(await listRules(alice)).toEqual([res.body]);
    });

    it("disables and enables a rule", async () => {
      const rule = await createRule(alice, CPU_OVER_90);
      expect((await alice.patch(`${RULES}/${rule.id}`, { enabled: false })).body.enabled).toBe(false);
      expect((await listRules(alice))[0].enabled).toBe(false);
      expect((await alice.patch(`${RULES}/${rule.id}`, { enabled: true })).body.enabled).toBe(true);
      expect((await listRules(alice))[0].enabled).toBe(true);
    });

    it("re-aims a rule at one agent and back at all of them", async () => {
      const rule = await createRule(alice, CPU_OVER_90);
      expect((await alice.patch(`${RULES}/${rule.id}`, { agent_id: alicesAgent.id })).body.agent_id).toBe(alicesAgent.id);
      expect((await alice.patch(`${RULES}/${rule.id}`, { agent_id: null })).body.agent_id).toBeNull();
    });

    it("drops the mountpoint of a disk rule moved to cpu", async () => {
      const rule = await createRule(alice, { agent_id: null, metric: "disk", operator: ">", threshold: 80, mountpoint: "/data" });
      const res = await alice.patch(`${RULES}/${rule.id}`, { metric: "cpu" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ metric: "cpu", mountpoint: null, threshold: 80 });
      expect((await listRules(alice))[0]).toMatchObject({ metric: "cpu", mountpoint: null });
    });

    it("refuses an empty body, or none", async () => {
      const rule = await createRule(alice, CPU_OVER_90);
      expectErrorCode(await alice.patch(`${RULES}/${rule.id}`, {}), 400, "VALIDATION_FAILED");
      expectErrorCode(await alice.request("PATCH", `${RULES}/${rule.id}`), 400, "VALIDATION_FAILED");
      expect(await listRules(alice)).toEqual([rule]);
    });

    const invalidPatches: Array<[what: string, rule: Record<string, unknown>, patch: Record<string, unknown>, where: string]> = [
      ["threshold 150 on a cpu rule", CPU_OVER_90, { threshold: 150 }, "body.threshold"],
      ["a memory rule moved to offline, keeping its < operator", { ...CPU_OVER_90, metric: "memory", operator: "<" }, { metric: "offline", threshold: 60 }, "body.operator"],
      ["a mountpoint on a cpu rule", CPU_OVER_90, { mountpoint: "/data" }, "body.mountpoint"],
      ["a network rule moved to cpu, keeping its huge threshold", { ...CPU_OVER_90, metric: "network_rx", threshold: 1e6 }, { metric: "cpu" }, "body.threshold"],
      ["duration_s above a day", CPU_OVER_90, { duration_s: 86_401 }, "body.duration_s"],
    ];

    it("describes a merged rule's problem exactly as a new rule's", async () => {
      const rule = await createRule(alice, CPU_OVER_90);
      const patched = await alice.patch(`${RULES}/${rule.id}`, { threshold: 150 });
      const created = await alice.post(RULES, { ...CPU_OVER_90, threshold: 150 });
      expect(patched.body).toEqual(created.body);
      expect(patched.body.error.issues).toEqual([{ path: "body.threshold", message: "must be between 0 and 100 for cpu" }]);
    });

    it.each(invalidPatches)("refuses %s with 400 and leaves the rule unchanged", async (_what, original, patch, where) => {
      const rule = await createRule(alice, original);
      expectInvalid(await alice.patch(`${RULES}/${rule.id}`, patch), where);
      expect(await listRules(alice)).toEqual([rule]);
    });
  });

  it("deletes a rule: 204, then 404 ALERT_RULE_NOT_FOUND for it", async () => {
    const kept = await createRule(alice, { ...CPU_OVER_90, threshold: 10 });
    const doomed = await createRule(alice, CPU_OVER_90);
    const res = await alice.delete(`${RULES}/${doomed.id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect(await listRules(alice)).toEqual([kept]);
    expectErrorCode(await alice.delete(`${RULES}/${doomed.id}`), 404, "ALERT_RULE_NOT_FOUND");
    expectErrorCode(await alice.patch(`${RULES}/${doomed.id}`, { enabled: false }), 404, "ALERT_RULE_NOT_FOUND");
  });

  describe("isolation", () => {
    it("answers a rule for another user's agent exactly like one for an unknown agent", async () => {
      const foreign = await bob.post(RULES, { ...CPU_OVER_90, agent_id: alicesAgent.id });
      const missing = await bob.post(RULES, { ...CPU_OVER_90, agent_id: UNKNOWN_AGENT });
      expectErrorCode(foreign, 404, "AGENT_NOT_FOUND");
      expect(foreign.body).toEqual(missing.body);
      expect(await listRules(bob)).toEqual([]);
    });

    it("answers re-aiming a rule at another user's agent exactly like at an unknown agent, and keeps the rule", async () => {
      const rule = await createRule(bob, CPU_OVER_90);
      const foreign = await bob.patch(`${RULES}/${rule.id}`, { agent_id: alicesAgent.id });
      const missing = await bob.patch(`${RULES}/${rule.id}`, { agent_id: UNKNOWN_AGENT });
      expectErrorCode(foreign, 404, "AGENT_NOT_FOUND");
      expect(foreign.body).toEqual(missing.body);
      expect(await listRules(bob)).toEqual([rule]);
    });

    it("answers another user's rule exactly like an unknown one, and leaves it untouched", async () => {
      const rule = await createRule(alice, { ...CPU_OVER_90, agent_id: alicesAgent.id, name: "alice-private-rule" });
      for (const [foreign, missing] of [
        [await bob.patch(`${RULES}/${rule.id}`, { enabled: false }), await bob.patch(`${RULES}/${UNKNOWN_RULE}`, { enabled: false })],
        [await bob.patch(`${RULES}/${rule.id}`, { threshold: 150 }), await bob.patch(`${RULES}/${UNKNOWN_RULE}`, { threshold: 150 })],
        [await bob.delete(`${RULES}/${rule.id}`), await bob.delete(`${RULES}/${UNKNOWN_RULE}`)],
      ]) {
        expectErrorCode(foreign!, 404, "ALERT_RULE_NOT_FOUND");
        expect(foreign!.body).toEqual(missing!.body);
        expect(JSON.stringify(foreign!.body)).not.toContain("alice-private-rule");
      }
      expect(await listRules(alice)).toEqual([rule]);
      expect(await listRules(bob)).toEqual([]);
    });
  });

  it(`refuses rule ${MAX_ALERT_RULES_PER_USER + 1} with 409 ALERT_RULE_LIMIT, for its owner only`, async () => {
    const carol = await signUp(ctx.url, "carol");
    const statuses = await inPool(MAX_ALERT_RULES_PER_USER, 20, async (i) => (await carol.post(RULES, { ...CPU_OVER_90, threshold: i % 101 })).status);
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    expectErrorCode(await carol.post(RULES, CPU_OVER_90), 409, "ALERT_RULE_LIMIT");
    expect(await listRules(carol)).toHaveLength(MAX_ALERT_RULES_PER_USER);
    // A PATCH is not a new rule, and another user has their own allowance.
    const first = (await listRules(carol))[0];
    expect((await carol.patch(`${RULES}/${first.id}`, { enabled: false })).status).toBe(200);
    expect((await bob.post(RULES, CPU_OVER_90)).status).toBe(201);
    // Room again after a delete.
    expect((await carol.delete(`${RULES}/${first.id}`)).status).toBe(204);
    expect((await carol.post(RULES, CPU_OVER_90)).status).toBe(201);
  }, 60_000);

  // The count and the insert are two store calls: with a store that really waits between them, a burst at the edge would slip through.
  it("never lets concurrent creates overshoot the limit", async () => {
    const dave = await signUp(ctx.url, "dave");
    const room = 10;
    await inPool(MAX_ALERT_RULES_PER_USER - room, 20, (i) => createRule(dave, { ...CPU_OVER_90, threshold: i % 101 }));
    const statuses = await Promise.all(Array.from({ length: 2 * room }, () => dave.post(RULES, CPU_OVER_90).then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(room);
    expect(statuses.filter((s) => s === 409)).toHaveLength(room);
    expect(await listRules(dave)).toHaveLength(MAX_ALERT_RULES_PER_USER);
  }, 60_000);
});

describe("alert routes without a session", () => {
  const ctx = useTestHub();
  const ROUTES: Array<[method: string, path: string, body?: unknown]> = [
    ["GET", RULES],
    ["POST", RULES, CPU_OVER_90],
    ["PATCH", `${RULES}/{id}`, { enabled: false }],
    ["DELETE", `${RULES}/{id}`],
    ["GET", CHANNELS],
    ["PUT", CHANNELS, { webhook: { url: "http://127.0.0.1:9/hook", enabled: true } }],
    ["POST", CHANNEL_TEST, { webhook: { url: "http://127.0.0.1:9/hook", enabled: true } }],
    ["GET", EVENTS],
    ["DELETE", EVENTS],
  ];
  let owner: SignedUp;
  let rule: any;

  beforeAll(async () => {
    owner = await signUp(ctx.url, "owner");
    rule = await createRule(owner, CPU_OVER_90);
  });

  it("covers every alerts route of the OpenAPI document", async () => {
    const doc = await ctx.http.get("/api/docs/json");
    expect(doc.status).toBe(200);
    const routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .filter(([route]) => route.startsWith("/api/v1/alerts"))
      .flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`));
    expect(ROUTES.map(([method, route]) => `${method} ${route}`).sort()).toEqual(routes.sort());
  });

  it.each(ROUTES)("answers %s %s with 401 UNAUTHENTICATED", async (method, route, body) => {
    const res = await ctx.http.request(method, route.replace("{id}", String(rule.id)), body === undefined ? {} : { json: body });
    expectErrorCode(res, 401, "UNAUTHENTICATED");
    const bogus = await ctx.http.request(method, route.replace("{id}", String(rule.id)), { ...(body === undefined ? {} : { json: body }), token: "not-a-token" });
    expectErrorCode(bogus, 401, "UNAUTHENTICATED");
    expect(await listRules(owner)).toEqual([rule]);
  });

  it("checks the session before the body: a caller without one learns nothing about the schema", async () => {
    for (const [method, route] of [["POST", RULES], ["PATCH", `${RULES}/${rule.id}`], ["PUT", CHANNELS]] as const) {
      const res = await ctx.http.request(method, route, { json: { metric: "nonsense", threshold: "x", telegram: 5 } });
      expect(res.body).toEqual({ error: { code: "UNAUTHENTICATED", message: expect.any(String) } });
      expect(res.status).toBe(401);
    }
  });
});

/** Every file of the hub's data directory (SQLite database, WAL and shared memory), as raw bytes. */
function dataFiles(dataDir: string): Buffer[] {
  return readdirSync(dataDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name)));
}

describe("alert channels", () => {
  const ctx = useTestHub();
  let alice: SignedUp;
  let bob: SignedUp;

  beforeAll(async () => {
    alice = await signUp(ctx.url, "alice");
    bob = await signUp(ctx.url, "bob");
  });
  beforeEach(async () => {
    await resetChannels(alice);
    await resetChannels(bob);
  });

  const put = (client: HttpClient, body: unknown) => client.request("PUT", CHANNELS, { json: body });

  it("starts with nothing set, and Telegram unavailable on a hub without a bot token", async () => {
    const res = await alice.get(CHANNELS);
    expect(res.status).toBe(200);
    expect(alertChannels.strict().safeParse(res.body).success).toBe(true);
    expect(res.body).toEqual(DEFAULT_CHANNELS(false));
  });

  it("saves Telegram alone keeping the webhook, and the webhook alone keeping Telegram", async () => {
    const webhook = { url: "https://hooks.example.com/statusmonitor?key=1", enabled: true };
    const afterWebhook = await put(alice, { webhook });
    expect(afterWebhook.status).toBe(200);
    expect(afterWebhook.body).toEqual({ ...DEFAULT_CHANNELS(false), webhook: { ...webhook, has_secret: false } });

    const afterTelegram = await put(alice, { telegram: { chat_id: "-1001234567890", enabled: true } });
    const both = {
      telegram: { chat_id: "-1001234567890", enabled: true, available: false },
      webhook: { ...webhook, has_secret: false },
    };
    expect(afterTelegram.body).toEqual(both);
    expect((await alice.get(CHANNELS)).body).toEqual(both);

    const afterDisabling = await put(alice, { webhook: { ...webhook, enabled: false } });
    expect(afterDisabling.body).toEqual({ ...both, webhook: { ...both.webhook, enabled: false } });
    expect((await put(alice, {})).body).toEqual(afterDisabling.body);

    expect((await bob.get(CHANNELS)).body).toEqual(DEFAULT_CHANNELS(false));
  });

  it("accepts numeric chat ids and @channel names", async () => {
    for (const chatId of ["424242", "-1001234567890", "@status_channel"]) {
      const res = await put(alice, { telegram: { chat_id: chatId, enabled: true } });
      expect(res.status).toBe(200);
      expect(res.body.telegram.chat_id).toBe(chatId);
    }
  });

  const invalid: Array<[what: string, body: unknown, where: string]> = [
    ["a chat id that is a word", { telegram: { chat_id: "abc", enabled: false } }, "body.telegram.chat_id"],
    ["a chat id with a space", { telegram: { chat_id: "12 34", enabled: true } }, "body.telegram.chat_id"],
    ["Telegram enabled without a chat id", { telegram: { chat_id: "", enabled: true } }, "body.telegram.chat_id"],
    ["an ftp webhook URL", { webhook: { url: "ftp://x", enabled: true } }, "body.webhook.url"],
    ["a webhook URL that is not a URL", { webhook: { url: "not a url", enabled: false } }, "body.webhook.url"],
    ["the webhook enabled without a URL", { webhook: { url: "", enabled: true } }, "body.webhook.url"],
    ["a webhook secret over 256 characters", { webhook: { url: "https://x.example", secret: "s".repeat(257), enabled: true } }, "body.webhook.secret"],
  ];

  it.each(invalid)("refuses %s with 400 VALIDATION_FAILED and saves nothing", async (_what, body, where) => {
    expectInvalid(await put(alice, body), where);
    expect((await alice.get(CHANNELS)).body).toEqual(DEFAULT_CHANNELS(false));
  });

  it("keeps the webhook secret when left out, removes it when null or empty, and never shows it", async () => {
    const secret = "whsec-never-shown-4f7c1a";
    const url = "https://hooks.example.com/in";
    const answers: JsonResponse[] = [];
    const record = async (res: Promise<JsonResponse>) => {
      const answer = await res;
      answers.push(answer);
      expect(answer.status).toBe(200);
      return answer.body;
    };

    expect((await record(put(alice, { webhook: { url, secret, enabled: true } }))).webhook).toEqual({ url, enabled: true, has_secret: true });
    expect((await record(alice.get(CHANNELS))).webhook.has_secret).toBe(true);
    expect((await record(put(alice, { webhook: { url: `${url}/v2`, enabled: true } }))).webhook).toEqual({ url: `${url}/v2`, enabled: true, has_secret: true });
    expect((await record(put(alice, { telegram: { chat_id: "1", enabled: false } }))).webhook.has_secret).toBe(true);
    expect((await record(put(alice, { webhook: { url, secret: null, enabled: true } }))).webhook.has_secret).toBe(false);
    expect((await record(put(alice, { webhook: { url, secret, enabled: true } }))).webhook.has_secret).toBe(true);
    expect((await record(put(alice, { webhook: { url, secret: "", enabled: true } }))).webhook.has_secret).toBe(false);
    expect((await record(alice.get(CHANNELS))).webhook.has_secret).toBe(false);

    for (const answer of answers) {
      expect(JSON.stringify(answer.body)).not.toContain(secret);
      expect([...answer.headers.values()].join("\n")).not.toContain(secret);
    }
  });

  it("stores the webhook secret sealed, never in plaintext", async () => {
    const secret = "plaintext-webhook-secret-d41d8cd98f00";
    // The URL is stored as it is: finding it proves the scan sees the saved row.
    const url = "https://hooks.example.com/marker-93b1e6";
    expect((await put(alice, { webhook: { url, secret, enabled: true } })).status).toBe(200);
    const files = dataFiles(ctx.hub.dataDir);
    expect(files.some((bytes) => bytes.includes(url))).toBe(true);
    for (const bytes of files) {
      expect(bytes.includes(secret)).toBe(false);
      expect(bytes.includes(Buffer.from(secret).toString("base64"))).toBe(false);
      expect(bytes.includes(Buffer.from(secret).toString("hex"))).toBe(false);
    }
  });

  describe("test message", () => {
    /** A webhook receiver answering `status`; it lives for the current test. */
    const receiver = (status = 200) =>
      recordingServer((res) => {
        res.writeHead(status, { "content-type": "text/plain" });
        res.end(status === 200 ? "ok" : "receiver says no");
      });

    function expectSigned(request: RecordedRequest, secret: string): void {
      const timestamp = request.headers["x-statusmonitor-timestamp"] as string;
      expect(timestamp).toMatch(/^\d+$/);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(300);
      const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${request.body}`).digest("hex")}`;
      expect(request.headers["x-statusmonitor-signature"]).toBe(expected);
    }

    it("answers 409 NO_CHANNEL_ENABLED when nothing is enabled, saved or given", async () => {
      expectErrorCode(await alice.post(CHANNEL_TEST), 409, "NO_CHANNEL_ENABLED");
      expectErrorCode(await alice.post(CHANNEL_TEST, {}), 409, "NO_CHANNEL_ENABLED");
      expect((await put(alice, { webhook: { url: "http://127.0.0.1:9/", enabled: false } })).status).toBe(200);
      expectErrorCode(await alice.post(CHANNEL_TEST), 409, "NO_CHANNEL_ENABLED");
      expectErrorCode(await alice.post(CHANNEL_TEST, { webhook: { url: "http://127.0.0.1:9/", enabled: false } }), 409, "NO_CHANNEL_ENABLED");
    });

    it("answers 409 TELEGRAM_NOT_CONFIGURED for Telegram on a hub without a bot token", async () => {
      expect((await put(alice, { telegram: { chat_id: "424242", enabled: true } })).status).toBe(200);
      expectErrorCode(await alice.post(CHANNEL_TEST), 409, "TELEGRAM_NOT_CONFIGURED");
      expectErrorCode(await bob.post(CHANNEL_TEST, { telegram: { chat_id: "424242", enabled: true } }), 409, "TELEGRAM_NOT_CONFIGURED");
    });

    it("signs a webhook test with the saved (sealed) secret: sha256=HMAC(secret, timestamp.body)", async () => {
      const hook = await receiver();
      const secret = "saved-secret-0c5e";
      expect((await put(alice, { webhook: { url: `${hook.url}/hook`, secret, enabled: true } })).status).toBe(200);

      const res = await alice.post(CHANNEL_TEST);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ results: [{ channel: "webhook", ok: true }] });
      expect(hook.requests).toHaveLength(1);
      const [request] = hook.requests;
      expect(request).toMatchObject({ method: "POST", path: "/hook" });
      expect(request!.headers["content-type"]).toBe("application/json");
      expect(() => JSON.parse(request!.body)).not.toThrow();
      expectSigned(request!, secret);
      expect(JSON.stringify(res.body)).not.toContain(secret);
    });

    it("uses webhook settings from the body without saving them", async () => {
      const hook = await receiver();
      const secret = "body-secret-77aa";
      const res = await alice.post(CHANNEL_TEST, { webhook: { url: `${hook.url}/try`, secret, enabled: true } });
      expect(res.body).toEqual({ results: [{ channel: "webhook", ok: true }] });
      expect(hook.requests.map((r) => r.path)).toEqual(["/try"]);
      expectSigned(hook.requests[0]!, secret);
      expect((await alice.get(CHANNELS)).body).toEqual(DEFAULT_CHANNELS(false));
    });

    it("sends an unsigned webhook test when there is no secret", async () => {
      const hook = await receiver();
      expect((await alice.post(CHANNEL_TEST, { webhook: { url: hook.url, enabled: true } })).body).toEqual({ results: [{ channel: "webhook", ok: true }] });
      expect(hook.requests[0]!.headers["x-statusmonitor-signature"]).toBeUndefined();
    });

    it("reports a failing receiver as ok:false with what it answered", async () => {
      const hook = await receiver(500);
      const res = await alice.post(CHANNEL_TEST, { webhook: { url: hook.url, enabled: true } });
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual([{ channel: "webhook", ok: false, error: expect.stringContaining("500") }]);
      expect(hook.requests).toHaveLength(1);
    });
  });
});

describe("alert channels on a hub with a Telegram bot", () => {
  let answer: { status: number; body: unknown };
  const okAnswer = { status: 200, body: { ok: true, result: {} } };
  let telegram: { url: string; requests: RecordedRequest[] };
  let hub: TestHub;
  let alice: SignedUp;
  let seen: number;

  const telegramApi = (res: ServerResponse) => {
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
  };
  const sent = () => telegram.requests.slice(seen);

  beforeAll(async () => {
    telegram = await recordingServer(telegramApi, { lifetime: "file" });
    hub = await startTestHub({ settings: { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_URL: telegram.url } });
    alice = await signUp(hub.url, "alice");
  });
  afterAll(() => hub?.close());
  beforeEach(async () => {
    answer = okAnswer;
    await resetChannels(alice);
    seen = telegram.requests.length;
  });

  it("shows Telegram as available", async () => {
    expect((await alice.get(CHANNELS)).body).toEqual(DEFAULT_CHANNELS(true));
  });

  it("sends the test message to the saved chat id through sendMessage, in HTML", async () => {
    expect((await alice.request("PUT", CHANNELS, { json: { telegram: { chat_id: "424242", enabled: true } } })).status).toBe(200);
    const res = await alice.post(CHANNEL_TEST);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ results: [{ channel: "telegram", ok: true }] });
    expect(sent()).toHaveLength(1);
    const [request] = sent();
    expect(request).toMatchObject({ method: "POST", path: `/bot${BOT_TOKEN}/sendMessage` });
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({ chat_id: "424242", parse_mode: "HTML" });
    expect(body.text).toEqual(expect.any(String));
    expect(body.text.length).toBeGreaterThan(0);
  });

  it("uses the chat id from the body without saving it", async () => {
    expect((await alice.request("PUT", CHANNELS, { json: { telegram: { chat_id: "424242", enabled: false } } })).status).toBe(200);
    const res = await alice.post(CHANNEL_TEST, { telegram: { chat_id: "777", enabled: true } });
    expect(res.body).toEqual({ results: [{ channel: "telegram", ok: true }] });
    expect(sent().map((r) => JSON.parse(r.body).chat_id)).toEqual(["777"]);
    expect((await alice.get(CHANNELS)).body.telegram).toEqual({ chat_id: "424242", enabled: false, available: true });
  });

  it("tests every enabled channel, each with its own outcome", async () => {
    const hook = await recordingServer((res) => res.end("ok"));
    const res = await alice.post(CHANNEL_TEST, { telegram: { chat_id: "424242", enabled: true }, webhook: { url: hook.url, enabled: true } });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual(
      expect.arrayContaining([
        { channel: "telegram", ok: true },
        { channel: "webhook", ok: true },
      ]),
    );
    expect(res.body.results).toHaveLength(2);
    expect(sent()).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
  });

  it("reports Telegram's refusal (chat not found) as ok:false, without the bot token", async () => {
    answer = { status: 400, body: { ok: false, error_code: 400, description: "Bad Request: chat not found" } };
    const res = await alice.post(CHANNEL_TEST, { telegram: { chat_id: "999", enabled: true } });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([{ channel: "telegram", ok: false, error: expect.stringContaining("chat not found") }]);
    expect(JSON.stringify(res.body)).not.toContain(BOT_TOKEN);
    expect(sent()).toHaveLength(1);
  });

  it("never echoes the bot token, even when Telegram's answer quotes it", async () => {
    answer = { status: 404, body: { ok: false, error_code: 404, description: `Not Found: /bot${BOT_TOKEN}/sendMessage` } };
    const res = await alice.post(CHANNEL_TEST, { telegram: { chat_id: "999", enabled: true } });
    expect(res.body.results).toEqual([{ channel: "telegram", ok: false, error: expect.stringContaining("Not Found") }]);
    expect(JSON.stringify(res.body)).not.toContain(BOT_TOKEN);
    expect(JSON.stringify(res.body)).not.toContain(BOT_TOKEN.split(":")[1]);
  });
});

describe("the alert event log", () => {
  const ctx = useTestHub({ manualClock: true, settings: { INGEST_RATE_LIMIT_PER_S: "10000" } });
  let alice: SignedUp;
  let bob: SignedUp;
  let web: { id: number; token: string };
  let db: { id: number; token: string };
  let bobsAgent: { id: number; token: string };
  /** Sample times of Alice's four events, oldest first: web fired, db fired, web resolved, web memory fired. */
  const at: number[] = [];
  let lastTs = ctx.clock.now() - 3600_000;

  /** Sends one sample stamped a second after the previous one; returns its timestamp. */
  async function sample(agent: { token: string }, values: { cpu: number; memory?: number }): Promise<number> {
    const timestamp = (lastTs += 1000);
    const res = await ctx.http.post(
      "/api/v1/ingest",
      {
        agent: { hostname: "test-host", os: "linux", arch: "x64", version: "0.0.0-test" },
        samples: [{ seq: 0, timestamp, cpu: { usage_percent: values.cpu }, ...(values.memory === undefined ? {} : { memory: { used_percent: values.memory } }) }],
      },
      { headers: { "x-agent-token": agent.token } },
    );
    expect(res.status).toBe(200);
    return timestamp;
  }

  const events = async (client: HttpClient, query = "") => {
    const res = await client.get(`${EVENTS}${query}`);
    expect(res.status).toBe(200);
    return res.body as { total: number; items: any[] };
  };
  /** Waits until the engine has logged `total` events for `client`. */
  const logged = (client: HttpClient, total: number) =>
    waitFor(async () => {
      await ctx.hub.alerts.runNow();
      return (await events(client)).total === total;
    }, `${total} events in the log`);

  const invalidQueries: Array<[query: string, where: string]> = [
    ["?limit=0", "querystring.limit"],
    ["?limit=1001", "querystring.limit"],
    ["?limit=x", "querystring.limit"],
    ["?offset=-1", "querystring.offset"],
    ["?sort=random", "querystring.sort"],
    ["?state=pending", "querystring.state"],
    ["?metric=gpu", "querystring.metric"],
    ["?from=yesterday", "querystring.from"],
    [`?from=${iso(Date.UTC(2026, 0, 2))}&to=${iso(Date.UTC(2026, 0, 1))}`, "querystring.to"],
  ];

  beforeAll(async () => {
    alice = await signUp(ctx.url, "alice");
    bob = await signUp(ctx.url, "bob");
  });

  it.each(invalidQueries)("refuses %s with 400 VALIDATION_FAILED", async (query, where) => {
    expectInvalid(await alice.get(`${EVENTS}${query}`), where);
  });

  it("starts empty, and clearing an empty log removes nothing", async () => {
    expect(await events(alice)).toEqual({ total: 0, items: [] });
    const cleared = await alice.delete(EVENTS);
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual({ removed: 0 });
  });

  describe("with events", () => {
    beforeAll(async () => {
      web = await createAgent(alice, "alice-web");
      db = await createAgent(alice, "alice-db");
      bobsAgent = await createAgent(bob, "bob-box");
      await createRule(alice, { agent_id: null, metric: "cpu", operator: ">", threshold: 50 });
      await createRule(alice, { agent_id: web.id, metric: "memory", operator: ">=", threshold: 90, name: "web memory" });
      await createRule(bob, { agent_id: null, metric: "cpu", operator: ">", threshold: 50 });

      at.push(await sample(web, { cpu: 90 }));
      await logged(alice, 1);
      at.push(await sample(db, { cpu: 95 }));
      await logged(alice, 2);
      at.push(await sample(web, { cpu: 10 }));
      await logged(alice, 3);
      at.push(await sample(web, { cpu: 10, memory: 97.5 }));
      await logged(alice, 4);
      await sample(bobsAgent, { cpu: 99 });
      await logged(bob, 1);
    });

    it("lists the caller's events newest first, with what happened", async () => {
      const page = await events(alice);
      expect(alertEventPage.safeParse(page).success).toBe(true);
      expect(page.total).toBe(4);
      expect(page.items.map((e) => e.at)).toEqual([...at].reverse().map(iso));
      expect(page.items.at(-1)).toMatchObject({
        rule_name: "CPU > 50",
        agent_id: web.id,
        agent_name: "alice-web",
        metric: "cpu",
        operator: ">",
        threshold: 50,
        value: 90,
        mountpoint: null,
        state: "firing",
        delivery: "no_channel",
        deliveries: [],
        at: iso(at[0]!),
      });
      expect(page.items[0]).toMatchObject({ rule_name: "web memory", metric: "memory", value: 97.5, state: "firing" });
    });

    it("sorts oldest first on request, and pages with limit and offset over the same total", async () => {
      expect((await events(alice, "?sort=oldest")).items.map((e) => e.at)).toEqual(at.map(iso));
      const page = await events(alice, "?sort=oldest&limit=2&offset=1");
      expect(page.total).toBe(4);
      expect(page.items.map((e) => e.at)).toEqual([at[1], at[2]].map((t) => iso(t!)));
      expect(await events(alice, "?offset=4")).toEqual({ total: 4, items: [] });
      expect((await events(alice, "?limit=1")).items.map((e) => e.at)).toEqual([iso(at[3]!)]);
    });

    it("filters by agent, metric, state and time range", async () => {
      const timesOf = async (query: string) => {
        const page = await events(alice, `${query}&sort=oldest`);
        expect(page.items).toHaveLength(page.total);
        return page.items.map((e) => Date.parse(e.at));
      };
      expect(await timesOf(`?agent_id=${db.id}`)).toEqual([at[1]]);
      expect(await timesOf(`?agent_id=${web.id}`)).toEqual([at[0], at[2], at[3]]);
      expect(await timesOf("?metric=memory")).toEqual([at[3]]);
      expect(await timesOf("?metric=cpu")).toEqual([at[0], at[1], at[2]]);
      expect(await timesOf("?state=resolved")).toEqual([at[2]]);
      expect(await timesOf(`?state=firing&agent_id=${web.id}&metric=cpu`)).toEqual([at[0]]);
      // `from` is inclusive and `to` exclusive.
      expect(await timesOf(`?from=${iso(at[1]!)}&to=${iso(at[3]!)}`)).toEqual([at[1], at[2]]);
      expect(await timesOf(`?from=${iso(at[3]!)}&to=${iso(at[3]!)}`)).toEqual([]);
    });

    it("never shows another user's events, even filtered by their agent", async () => {
      const bobs = await events(bob);
      expect(bobs.total).toBe(1);
      expect(bobs.items[0]).toMatchObject({ agent_id: bobsAgent.id, agent_name: "bob-box", value: 99 });
      expect(await events(bob, `?agent_id=${web.id}`)).toEqual({ total: 0, items: [] });
      expect(JSON.stringify(bobs)).not.toContain("alice-");
      expect((await events(alice, `?agent_id=${bobsAgent.id}`)).total).toBe(0);
    });

    // Last in this block: it empties the logs the others read.
    it("clears only the caller's log", async () => {
      expect((await bob.delete(EVENTS)).body).toEqual({ removed: 1 });
      expect(await events(bob)).toEqual({ total: 0, items: [] });
      expect((await events(alice)).total).toBe(4);
      expect((await alice.delete(EVENTS)).body).toEqual({ removed: 4 });
      expect(await events(alice)).toEqual({ total: 0, items: [] });
      expect((await alice.delete(EVENTS)).body).toEqual({ removed: 0 });
    });
  });
});
