/** Ingestion over real HTTP: both original agents' payloads, batches with de-duplication, gzip, host facts, /latest, derived rates, presence and the per-agent rate limit. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchAck, sample as sampleSchema } from "@statusmonitor/protocol";
import { HEADLESS_SAMPLE, originalFixture, originalFixtureText, type OriginalFixture } from "../test-support/original-agents.js";
import { createAgent, expectErrorCode, HttpClient, signUp, useTestHub, withTestHub, type SignedUp } from "../test-support/test-hub.js";

type Json = Record<string, any>;

/** An original agent's payload, re-stamped so the hub accepts it as current. */
const original = (name: OriginalFixture, timestampMs: number): Json => ({ ...originalFixture(name), timestamp: timestampMs / 1000 });

const facts = { hostname: "web-01", os: "linux", arch: "x64", version: "0.3.1", boot_time: 1_764_000_000_000 };

function batch(timestamps: number[], extra: (i: number) => Json = () => ({}), agent: Json = facts): Json {
  return { agent, samples: timestamps.map((timestamp, i) => ({ seq: i, timestamp, cpu: { usage_percent: (10 + i) % 100 }, ...extra(i) })) };
}

/** Sends raw bytes, to see exactly what the hub answers. */
async function send(url: string, token: string | undefined, body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token === undefined ? {} : { "x-agent-token": token }), ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : null };
}

describe("ingest", () => {
  const ctx = useTestHub({ settings: { INGEST_RATE_LIMIT_PER_S: "10000" } });
  let user: SignedUp;
  let other: SignedUp;

  beforeAll(async () => {
    user = await signUp(ctx.url, "ingest-user");
    other = await signUp(ctx.url, "other-user");
  });

  const post = (path: string, token: string | undefined, payload: unknown, headers: Record<string, string> = {}) =>
    send(ctx.url + path, token, JSON.stringify(payload), headers);

  it("answers agents without the page-security headers browsers need (bytes on every agent's wire), but with nosniff", async () => {
    const { token } = await createAgent(user, "headers");
    for (const path of ["/ingest", "/api/v1/ingest"]) {
      const res = await post(path, token, original("original-headless.json", Date.now() - (path === "/ingest" ? 1000 : 0)));
      expect(res.status).toBe(200);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      for (const header of ["content-security-policy", "strict-transport-security", "cross-origin-opener-policy", "x-frame-options"]) {
        expect(res.headers.get(header)).toBeNull();
      }
    }
    // Everything else keeps them.
    const health = await fetch(`${ctx.url}/health`);
    expect(health.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(health.headers.get("x-frame-options")).not.toBeNull();
  });

  describe("original agents", () => {
    it.each([
      ["headless", "original-headless.json", "/ingest"],
      ["headless", "original-headless.json", "/api/v1/ingest"],
      ["GUI", "original-gui.json", "/ingest"],
      ["GUI", "original-gui.json", "/api/v1/ingest"],
    ] as const)("accepts the %s agent's payload on %s and answers exactly {\"status\":\"received\"}", async (_variant, file, path) => {
      const { id, token } = await createAgent(user, `${file}-${path}`);
      const res = await post(path, token, original(file, Date.now()));
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"status":"received"}');
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect((await user.get(`/api/v1/agents/${id}`)).body).toMatchObject({ status: "online", token_activated: true });
    });

    it("accepts the payload exactly as Python's requests sends it (key order, charset, user agent)", async () => {
      const { token } = await createAgent(user, "python");
      const text = originalFixtureText("original-headless.json").replace("1764545441.52", String(Date.now() / 1000));
      const res = await send(ctx.url + "/ingest", token, text, {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "python-requests/2.32.3",
        accept: "*/*",
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "received" });
    });

    it("answers a repeated timestamp with the same acknowledgement and stores it once", async () => {
      const { id, token } = await createAgent(user, "repeat");
      const ts = Date.now() - 1000;
      expect((await post("/ingest", token, original("original-gui.json", ts))).text).toBe('{"status":"received"}');
      const changed = original("original-gui.json", ts);
      changed.cpu.usage_percent = 99;
      expect((await post("/ingest", token, changed)).text).toBe('{"status":"received"}');
      const latest = await user.get(`/api/v1/agents/${id}/latest`);
      expect(latest.body.cpu.usage_percent).toBe(15.7);
    });
  });

  describe("agent token", () => {
    let token: string;
    beforeAll(async () => {
      ({ token } = await createAgent(user, "token-checks"));
    });

    it.each([
      ["no X-Agent-Token header", undefined, "AGENT_TOKEN_MISSING"],
      ["an empty X-Agent-Token header", "", "AGENT_TOKEN_MISSING"],
      ["an unknown token", "sma_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AGENT_TOKEN_INVALID"],
      ["a token of the original's format", "a".repeat(64), "AGENT_TOKEN_INVALID"],
      ["an absurdly long token", "sma_" + "x".repeat(5000), "AGENT_TOKEN_INVALID"],
    ] as const)("answers %s with 401 %s", async (_name, header, code) => {
      for (const path of ["/ingest", "/api/v1/ingest"]) {
        const res = await post(path, header, original("original-headless.json", Date.now()));
        expectErrorCode(res, 401, code);
      }
    });

    it("does not take the token from the Authorization header", async () => {
      const res = await post("/ingest", undefined, original("original-headless.json", Date.now()), { authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: "AGENT_TOKEN_MISSING", message: "The X-Agent-Token header is missing." } });
    });

    it("checks the token before the body, so a stranger learns nothing about the payload rules", async () => {
      const res = await post("/ingest", "sma_wrong", { timestamp: "not a number" });
      expectErrorCode(res, 401, "AGENT_TOKEN_INVALID");
    });

    it("treats tokens as case-sensitive", async () => {
      const flipped = token.slice(0, 4) + [...token.slice(4)].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join("");
      expect(flipped).not.toBe(token);
      const res = await post("/ingest", flipped, original("original-headless.json", Date.now()));
      expectErrorCode(res, 401, "AGENT_TOKEN_INVALID");
    });
  });

  describe("batches", () => {
    it("answers with how many samples were stored and the newest timestamp, then de-duplicates a resend", async () => {
      const { token } = await createAgent(user, "batcher");
      const t0 = Date.now() - 60_000;
      const timestamps = [t0, t0 + 1000, t0 + 2000, t0 + 3000];
      const first = await post("/api/v1/ingest", token, batch(timestamps));
      expect(first.status).toBe(200);
      expect(batchAck.strict().safeParse(first.body).success).toBe(true);
      expect(first.body).toEqual({ status: "received", stored: 4, duplicates: 0, newest_timestamp: t0 + 3000 });

      const again = await post("/api/v1/ingest", token, batch(timestamps));
      expect(again.body).toEqual({ status: "received", stored: 0, duplicates: 4, newest_timestamp: t0 + 3000 });

      // De-duplication is on (agent, timestamp): a different seq or value does not make a sample new.
      const overlap = await post("/ingest", token, batch([t0 + 2000, t0 + 3000, t0 + 4000, t0 + 5000], (i) => ({ seq: 100 + i })));
      expect(overlap.body).toEqual({ status: "received", stored: 2, duplicates: 2, newest_timestamp: t0 + 5000 });
    });

    it("de-duplicates per agent, not across agents", async () => {
      const a = await createAgent(user, "dedupe-a");
      const b = await createAgent(user, "dedupe-b");
      const ts = [Date.now() - 5000];
      expect((await post("/ingest", a.token, batch(ts))).body.stored).toBe(1);
      expect((await post("/ingest", b.token, batch(ts))).body.stored).toBe(1);
    });

    it("counts a timestamp repeated inside one batch as a duplicate", async () => {
      const { token } = await createAgent(user, "inner-dupes");
      const ts = Date.now() - 10_000;
      const res = await post("/ingest", token, batch([ts, ts, ts + 1000]));
      expect(res.body).toEqual({ status: "received", stored: 2, duplicates: 1, newest_timestamp: ts + 1000 });
    });

    it("accepts samples out of order and back-fill older than the newest without moving the watermark", async () => {
      const { id, token } = await createAgent(user, "backfill");
      const t0 = Date.now() - 120_000;
      const res = await post("/ingest", token, batch([t0 + 60_000, t0 + 50_000, t0 + 55_000]));
      expect(res.body).toEqual({ status: "received", stored: 3, duplicates: 0, newest_timestamp: t0 + 60_000 });

      const backfill = await post("/ingest", token, batch([t0, t0 + 1000]));
      expect(backfill.body).toEqual({ status: "received", stored: 2, duplicates: 0, newest_timestamp: t0 + 60_000 });
      expect((await user.get(`/api/v1/agents/${id}/latest`)).body.timestamp).toBe(t0 + 60_000);
      expect((await user.get(`/api/v1/agents/${id}`)).body.newest_sample_at).toBe(t0 + 60_000);
    });

    it("de-duplicates concurrent overlapping batches: every timestamp is stored exactly once", async () => {
      const { id, token } = await createAgent(user, "concurrent");
      const t0 = Date.now() - 300_000;
      // Ten batches of 20 samples, each overlapping the next by 10: 110 distinct timestamps.
      const batches = Array.from({ length: 10 }, (_, b) => Array.from({ length: 20 }, (_, i) => t0 + (b * 10 + i) * 1000));
      const acks = await Promise.all(batches.map((timestamps) => post("/ingest", token, batch(timestamps))));
      for (const ack of acks) {
        expect(ack.status).toBe(200);
        expect(ack.body.stored + ack.body.duplicates).toBe(20);
      }
      expect(acks.reduce((sum, ack) => sum + ack.body.stored, 0)).toBe(110);
      expect((await user.get(`/api/v1/agents/${id}/latest`)).body.timestamp).toBe(t0 + 109_000);
      const resend = await post("/ingest", token, batch(batches.flat().filter((t, i, all) => all.indexOf(t) === i)));
      expect(resend.body).toEqual({ status: "received", stored: 0, duplicates: 110, newest_timestamp: t0 + 109_000 });
    });

    it("accepts a gzip-compressed batch", async () => {
      const { token } = await createAgent(user, "gzipper");
      const ts = Date.now() - 3000;
      const body = gzipSync(JSON.stringify(batch([ts, ts + 1000])));
      const res = await send(ctx.url + "/api/v1/ingest", token, body, { "content-encoding": "gzip" });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "received", stored: 2, duplicates: 0, newest_timestamp: ts + 1000 });
    });

    it.each(["gzip", "GZIP", " gzip "])("accepts a gzip-compressed original payload with Content-Encoding %j", async (encoding) => {
      const { id, token } = await createAgent(user, `gzip-original-${encoding.trim()}`);
      const ts = Date.now();
      const res = await send(ctx.url + "/ingest", token, gzipSync(JSON.stringify(original("original-headless.json", ts))), { "content-encoding": encoding });
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"status":"received"}');
      expect((await user.get(`/api/v1/agents/${id}/latest`)).body.timestamp).toBe(Math.round(ts));
    });

    it("accepts Content-Encoding identity", async () => {
      const { token } = await createAgent(user, "identity");
      const res = await post("/ingest", token, batch([Date.now()]), { "content-encoding": "identity" });
      expect(res.status).toBe(200);
      expect(res.body.stored).toBe(1);
    });

    it("shows the host facts on the agent detail and follows changes", async () => {
      const { id, token } = await createAgent(user, "facts");
      const before = (await user.get(`/api/v1/agents/${id}`)).body;
      expect(before).toMatchObject({ hostname: null, os: null, arch: null, agent_version: null, boot_time: null });

      const ts = Date.now() - 2000;
      expect((await post("/ingest", token, batch([ts]))).status).toBe(200);
      const detail = (await user.get(`/api/v1/agents/${id}`)).body;
      expect(detail).toMatchObject({
        hostname: "web-01",
        os: "linux",
        arch: "x64",
        agent_version: "0.3.1",
        boot_time: new Date(facts.boot_time).toISOString(),
      });
      const listed = (await user.get("/api/v1/agents")).body.find((a: Json) => a.id === id);
      expect(listed).toMatchObject({ hostname: "web-01", agent_version: "0.3.1" });

      const upgraded = { ...facts, version: "0.4.0", boot_time: facts.boot_time + 3600_000, hostname: "web-01.lan" };
      expect((await post("/ingest", token, batch([ts + 1000], undefined, upgraded))).status).toBe(200);
      expect((await user.get(`/api/v1/agents/${id}`)).body).toMatchObject({
        hostname: "web-01.lan",
        agent_version: "0.4.0",
        boot_time: new Date(upgraded.boot_time).toISOString(),
      });
    });

    it("leaves the host facts empty for the original agents, which send none", async () => {
      const { id, token } = await createAgent(user, "no-facts");
      expect((await post("/ingest", token, original("original-gui.json", Date.now()))).status).toBe(200);
      expect((await user.get(`/api/v1/agents/${id}`)).body).toMatchObject({ hostname: null, os: null, arch: null, agent_version: null });
    });
  });

  describe("latest sample", () => {
    it("answers 404 NO_SAMPLES_YET before any sample", async () => {
      const { id } = await createAgent(user, "silent");
      const res = await user.get(`/api/v1/agents/${id}/latest`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: "NO_SAMPLES_YET", message: "This agent has not sent any samples yet." } });
    });

    it("returns the newest normalized sample of an original agent", async () => {
      const { id, token } = await createAgent(user, "latest-original");
      const ts = Date.now() - 500;
      expect((await post("/ingest", token, original("original-headless.json", ts))).status).toBe(200);
      const res = await user.get(`/api/v1/agents/${id}/latest`);
      expect(res.status).toBe(200);
      expect(sampleSchema.strict().safeParse(res.body).success).toBe(true);
      expect(res.body).toStrictEqual({ agent_id: id, timestamp: Math.round(ts), ...HEADLESS_SAMPLE });
    });

    it("returns the newest normalized sample of a batch, with network totals and interfaces", async () => {
      const { id, token } = await createAgent(user, "latest-batch");
      const ts = Date.now() - 5000;
      const interfaces = [
        { name: "eth0", bytes_sent: 100, bytes_recv: 200, packets_sent: 1, packets_recv: 2 },
        { name: "wlan0", bytes_sent: 10, bytes_recv: 20, packets_sent: 3, packets_recv: 4 },
      ];
      const payload = batch([ts + 1000, ts], (i) => ({
        memory: { total: 1000, used: 400 + i, used_percent: 40 },
        disks: [{ mountpoint: "/", used_percent: 50 }],
        network: { interfaces },
        uptime_s: 99,
      }));
      expect((await post("/ingest", token, payload)).body.stored).toBe(2);
      const res = await user.get(`/api/v1/agents/${id}/latest`);
      expect(res.status).toBe(200);
      expect(res.body).toStrictEqual({
        agent_id: id,
        timestamp: ts + 1000,
        seq: 0,
        cpu: { usage_percent: 10 },
        memory: { total: 1000, used: 400, used_percent: 40 },
        disks: [{ mountpoint: "/", used_percent: 50 }],
        // The older sample in the same batch has the same counters: rates of zero.
        network: {
          bytes_sent: 110,
          bytes_recv: 220,
          packets_sent: 4,
          packets_recv: 6,
          bytes_sent_per_s: 0,
          bytes_recv_per_s: 0,
          packets_sent_per_s: 0,
          packets_recv_per_s: 0,
          interfaces: interfaces.map((i) => ({ ...i, bytes_sent_per_s: 0, bytes_recv_per_s: 0, packets_sent_per_s: 0, packets_recv_per_s: 0 })),
        },
        uptime_s: 99,
      });
    });

    it("answers 404 AGENT_NOT_FOUND for another user's agent and 401 without a session", async () => {
      const { id, token } = await createAgent(user, "private");
      expect((await post("/ingest", token, batch([Date.now()]))).status).toBe(200);
      const foreign = await other.get(`/api/v1/agents/${id}/latest`);
      expectErrorCode(foreign, 404, "AGENT_NOT_FOUND");
      const anonymous = await ctx.http.get(`/api/v1/agents/${id}/latest`);
      expectErrorCode(anonymous, 401, "UNAUTHENTICATED");
    });
  });

  describe("derived rates", () => {
    it("derives network and disk rates from two consecutive original samples and drops them after a counter reset", async () => {
      const { id, token } = await createAgent(user, "rates-original");
      const t0 = Date.now() - 30_000;
      const first = original("original-headless.json", t0);
      expect((await post("/ingest", token, first)).status).toBe(200);
      const firstLatest = (await user.get(`/api/v1/agents/${id}/latest`)).body;
      expect(firstLatest.network).not.toHaveProperty("bytes_sent_per_s");
      expect(firstLatest.disk_io).not.toHaveProperty("read_bytes_per_s");

      const second = original("original-headless.json", t0 + 2000);
      second.network.bytes_sent += 2000;
      second.network.bytes_recv += 8000;
      second.network.packets_sent += 20;
      second.network.packets_recv += 40;
      second.disk.io.read_bytes += 4096;
      second.disk.io.write_count += 10;
      expect((await post("/ingest", token, second)).status).toBe(200);
      const latest = (await user.get(`/api/v1/agents/${id}/latest`)).body;
      expect(latest.timestamp).toBe(Math.round(t0 + 2000));
      expect(latest.network).toMatchObject({ bytes_sent_per_s: 1000, bytes_recv_per_s: 4000, packets_sent_per_s: 10, packets_recv_per_s: 20 });
      expect(latest.disk_io).toMatchObject({ read_bytes_per_s: 2048, write_bytes_per_s: 0, read_ops_per_s: 0, write_ops_per_s: 5 });

      // The machine rebooted: counters restart from zero, so the step has no known rate.
      const third = original("original-headless.json", t0 + 3000);
      third.network = { bytes_sent: 100, bytes_recv: 200, packets_sent: 1, packets_recv: 2 };
      third.disk.io = { read_count: 1, write_count: 1, read_bytes: 512, write_bytes: 512 };
      expect((await post("/ingest", token, third)).status).toBe(200);
      const afterReset = (await user.get(`/api/v1/agents/${id}/latest`)).body;
      expect(afterReset.network).toStrictEqual({ bytes_sent: 100, bytes_recv: 200, packets_sent: 1, packets_recv: 2 });
      expect(afterReset.disk_io).toStrictEqual({ read_bytes: 512, write_bytes: 512, read_ops: 1, write_ops: 1 });

      // The next step after the reset has rates again.
      const fourth = original("original-headless.json", t0 + 4000);
      fourth.network = { bytes_sent: 600, bytes_recv: 200, packets_sent: 1, packets_recv: 2 };
      expect((await post("/ingest", token, fourth)).status).toBe(200);
      expect((await user.get(`/api/v1/agents/${id}/latest`)).body.network.bytes_sent_per_s).toBe(500);
    });

    it("derives per-interface rates across batches, matched by interface name", async () => {
      const { id, token } = await createAgent(user, "rates-batch");
      const t0 = Date.now() - 20_000;
      const net = (interfaces: Json[]) => () => ({ network: { interfaces } });
      await post("/ingest", token, batch([t0], net([{ name: "eth0", bytes_sent: 1000, bytes_recv: 0 }, { name: "wlan0", bytes_sent: 50, bytes_recv: 50 }])));
      const res = await post(
        "/ingest",
        token,
        batch([t0 + 4000], net([{ name: "wlan0", bytes_sent: 10, bytes_recv: 450 }, { name: "eth0", bytes_sent: 5000, bytes_recv: 400 }])),
      );
      expect(res.body.stored).toBe(1);
      const network = (await user.get(`/api/v1/agents/${id}/latest`)).body.network;
      expect(network.interfaces).toStrictEqual([
        { name: "wlan0", bytes_sent: 10, bytes_recv: 450, bytes_recv_per_s: 100 },
        { name: "eth0", bytes_sent: 5000, bytes_recv: 400, bytes_sent_per_s: 1000, bytes_recv_per_s: 100 },
      ]);
      expect(network).toMatchObject({ bytes_sent: 5010, bytes_recv: 850, bytes_sent_per_s: 990, bytes_recv_per_s: 200 });
    });
  });

  describe("presence", () => {
    it("shows last_seen and online status right after an ingest, without waiting for a flush", async () => {
      const { id, token } = await createAgent(user, "presence");
      const sampleAt = Date.now() - 1000;
      const before = Date.now();
      expect((await post("/ingest", token, batch([sampleAt]))).status).toBe(200);
      const after = Date.now();
      const listed = (await user.get("/api/v1/agents")).body.find((a: Json) => a.id === id);
      expect(listed.status).toBe("online");
      expect(listed.newest_sample_at).toBe(sampleAt);
      const lastSeen = Date.parse(listed.last_seen);
      expect(lastSeen).toBeGreaterThanOrEqual(before);
      expect(lastSeen).toBeLessThanOrEqual(after);
    });

    it("moves last_seen forward with every ingest", async () => {
      const { id, token } = await createAgent(user, "presence-2");
      const ts = Date.now() - 2000;
      await post("/ingest", token, batch([ts]));
      const first = Date.parse((await user.get(`/api/v1/agents/${id}`)).body.last_seen);
      const moved = Date.now();
      await post("/ingest", token, batch([ts + 1000]));
      const second = Date.parse((await user.get(`/api/v1/agents/${id}`)).body.last_seen);
      expect(second).toBeGreaterThanOrEqual(Math.max(first, moved));
    });
  });
});

describe("per-agent ingest rate limit", () => {
  const ctx = useTestHub({ manualClock: true, settings: { INGEST_RATE_LIMIT_PER_S: "3" } });
  let user: SignedUp;

  beforeAll(async () => {
    user = await signUp(ctx.url, "limited");
  });

  const ingestAt = (token: string, offsetMs: number) =>
    send(ctx.url + "/ingest", token, JSON.stringify({ timestamp: (ctx.clock.now() + offsetMs) / 1000, cpu: { usage_percent: 1 } }));

  it("refuses the 4th request within a second with 429 INGEST_RATE_LIMITED and Retry-After, for that agent only", async () => {
    const limited = await createAgent(user, "chatty");
    const bystander = await createAgent(user, "quiet");
    for (let i = 0; i < 3; i++) {
      const res = await ingestAt(limited.token, -i);
      expect(res.status).toBe(200);
    }
    const refused = await ingestAt(limited.token, -10);
    expectErrorCode(refused, 429, "INGEST_RATE_LIMITED");
    expect(refused.headers.get("retry-after")).toBe("1");

    // Batches count as one request each, and the same agent's other path shares the budget.
    const viaApi = await send(ctx.url + "/api/v1/ingest", limited.token, JSON.stringify(batch([ctx.clock.now() - 20])));
    expect(viaApi.status).toBe(429);

    expect((await ingestAt(bystander.token, 0)).status).toBe(200);

    ctx.clock.advance(1000);
    expect((await ingestAt(limited.token, 0)).status).toBe(200);
  });
});

describe("after a restart", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-ingest-restart-"));
  const options = { dataDir, settings: { INGEST_RATE_LIMIT_PER_S: "10000" } };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps de-duplication, the latest sample, presence, activation and the rate baseline", async () => {
    const t0 = Date.now() - 60_000;
    const sample = (i: number, bytes: number) => ({ network: { interfaces: [{ name: "eth0", bytes_sent: bytes }] }, seq: i });
    const { user, id, token } = await withTestHub(options, async (first) => {
      const user = await signUp(first.url, "restarter");
      const { id, token } = await createAgent(user, "survivor");
      // Two requests a second apart, so the hub learns the interval too.
      for (const i of [0, 1]) {
        const sent = await send(first.url + "/ingest", token, JSON.stringify(batch([t0 + i * 1000], () => sample(i, 1000 * i))));
        expect(sent.body).toEqual({ status: "received", stored: 1, duplicates: 0, newest_timestamp: t0 + i * 1000 });
      }
      return { user, id, token };
    });

    await withTestHub(options, async (second) => {
      const again = new HttpClient(second.url, user.accessToken);
      const detail = (await again.get(`/api/v1/agents/${id}`)).body;
      expect(detail).toMatchObject({ token_activated: true, newest_sample_at: t0 + 1000, hostname: "web-01", interval_s: 1 });
      expect(detail.last_seen).not.toBeNull();
      expect((await again.get(`/api/v1/agents/${id}/latest`)).body.timestamp).toBe(t0 + 1000);

      const resent = await send(second.url + "/ingest", token, JSON.stringify(batch([t0, t0 + 1000], (i) => sample(i, 1000 * i))));
      expect(resent.body).toEqual({ status: "received", stored: 0, duplicates: 2, newest_timestamp: t0 + 1000 });

      // The first sample after the restart gets its rate from the last one before it.
      const next = await send(second.url + "/ingest", token, JSON.stringify(batch([t0 + 3000], () => sample(2, 5000))));
      expect(next.body.stored).toBe(1);
      const latest = (await again.get(`/api/v1/agents/${id}/latest`)).body;
      expect(latest.network.bytes_sent_per_s).toBe(2000);
      expect(latest.network.interfaces[0].bytes_sent_per_s).toBe(2000);
    });
  });
});
