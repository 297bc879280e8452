/** The hub client against a real hub (and stand-ins for a broken one): acks, gzip, token errors, retryable failures, Retry-After. */
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import type { AgentFacts, BatchSample } from "@statusmonitor/protocol";
import { closedPortUrl, recordingServer } from "../../../server/src/test-support/recording-server.js";
import { createAgent, signUp, useTestHub, type SignedUp } from "../../../server/src/test-support/test-hub.js";
import { GZIP_ABOVE_BYTES, HubClient, ingestUrl, type SendResult } from "./sender.js";

const facts: AgentFacts = { hostname: "web-01", os: "linux", arch: "x64", version: "0.4.0", kernel: "6.1.0" };
const sampleAt = (seq: number, timestamp: number): BatchSample => ({
  seq,
  timestamp,
  cpu: { usage_percent: 12.5, per_core_usage: [10, 15], load_avg: [0.5, 0.4, 0.3] },
  memory: { total: 8_000_000_000, available: 5_000_000_000, used: 3_000_000_000, used_percent: 37.5 },
  uptime_s: 1000 + seq,
});
const samplesFrom = (t0: number, count: number) => Array.from({ length: count }, (_, i) => sampleAt(i, t0 + i * 1000));

/** A fetch that records each request's headers and body on the way to the real one. */
function recordingFetch() {
  const sent: { headers: Headers; body: Buffer }[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    sent.push({ headers: new Headers(init?.headers), body: Buffer.from(init?.body as Uint8Array) });
    return fetch(input, init);
  };
  return { fetch: wrapped, sent };
}

describe("HubClient against a real hub", () => {
  const ctx = useTestHub({ settings: { INGEST_RATE_LIMIT_PER_S: "10000" } });
  let user: SignedUp;
  beforeAll(async () => {
    user = await signUp(ctx.url, "sender-user");
  });
  const clientFor = async (name: string, extra: Partial<ConstructorParameters<typeof HubClient>[0]> = {}) =>
    new HubClient({ url: ingestUrl(ctx.url), token: (await createAgent(user, name)).token, ...extra });

  it("sends a small batch plain and gets the stored count and the newest timestamp back", async () => {
    const wire = recordingFetch();
    const client = await clientFor("small", { fetch: wire.fetch });
    const t0 = Date.now() - 5000;
    const result = await client.send(facts, [sampleAt(0, t0)]);
    expect(result).toEqual({ ok: true, stored: 1, duplicates: 0, newestTimestamp: t0 });
    expect(wire.sent[0]!.headers.get("content-encoding")).toBeNull();
    expect(wire.sent[0]!.body.length).toBeLessThanOrEqual(GZIP_ABOVE_BYTES);
    expect(JSON.parse(wire.sent[0]!.body.toString())).toEqual({ agent: facts, samples: [sampleAt(0, t0)] });
  });

  it("gzips a body over 1 KiB, which the hub takes", async () => {
    const wire = recordingFetch();
    const client = await clientFor("gzip", { fetch: wire.fetch });
    const samples = samplesFrom(Date.now() - 60_000, 50);
    expect(await client.send(facts, samples)).toEqual({ ok: true, stored: 50, duplicates: 0, newestTimestamp: samples.at(-1)!.timestamp });
    const { headers, body } = wire.sent[0]!;
    expect(headers.get("content-encoding")).toBe("gzip");
    expect(headers.get("x-agent-token")).toMatch(/.+/);
    const json = gunzipSync(body);
    expect(json.length).toBeGreaterThan(GZIP_ABOVE_BYTES);
    expect(body.length).toBeLessThan(json.length / 3);
    expect(JSON.parse(json.toString()).samples).toEqual(samples);
  });

  it("reports duplicates when a batch is sent again (a back-fill overlapping what the hub has)", async () => {
    const client = await clientFor("dupes");
    const samples = samplesFrom(Date.now() - 30_000, 10);
    expect(await client.send(facts, samples.slice(0, 6))).toMatchObject({ ok: true, stored: 6, duplicates: 0 });
    expect(await client.send(facts, samples)).toEqual({ ok: true, stored: 4, duplicates: 6, newestTimestamp: samples[9]!.timestamp });
  });

  it("reaches the hub through every accepted form of INGESTION_URL", async () => {
    const { token } = await createAgent(user, "url-forms");
    const forms = [ctx.url, `${ctx.url}/`, `${ctx.url}/ingest`, `${ctx.url}/ingest/`, `${ctx.url}/api/v1/ingest`, `${ctx.url}/api/v1/ingest/`];
    const t0 = Date.now() - 10_000;
    for (const [i, form] of forms.entries()) {
      const result = await new HubClient({ url: ingestUrl(form), token }).send(facts, [sampleAt(i, t0 + i * 1000)]);
      expect({ form, result }).toEqual({ form, result: { ok: true, stored: 1, duplicates: 0, newestTimestamp: t0 + i * 1000 } });
    }
  });

  it("explains a wrong token (401), retryable because the token may be regenerated", async () => {
    const client = new HubClient({ url: ingestUrl(ctx.url), token: "sm_not-a-real-token" });
    const result = await client.send(facts, [sampleAt(0, Date.now())]);
    expect(result).toEqual({
      ok: false,
      retryable: true,
      status: 401,
      code: "AGENT_TOKEN_INVALID",
      error: "the hub refused the agent token (AGENT_TOKEN_INVALID): check AGENT_TOKEN or regenerate it in the dashboard",
    });
    const missing = await new HubClient({ url: ingestUrl(ctx.url), token: "" }).send(facts, [sampleAt(0, Date.now())]);
    expect(missing).toMatchObject({ ok: false, retryable: true, status: 401, code: "AGENT_TOKEN_MISSING", error: expect.stringContaining("set AGENT_TOKEN") });
  });

  it("gives up on a batch the hub finds invalid (400), with the hub's reason", async () => {
    const client = await clientFor("invalid");
    const bad = { ...sampleAt(0, Date.now()), cpu: { usage_percent: 150 } };
    const result = await client.send(facts, [bad]);
    expect(result).toMatchObject({ ok: false, retryable: false, status: 400, code: "VALIDATION_FAILED" });
    expect((result as Extract<SendResult, { ok: false }>).error).toMatch(/^the hub rejected the batch \(400 VALIDATION_FAILED\): .+usage_percent/);
  });

  it("keeps the batch when the URL points at nothing that takes samples (404)", async () => {
    const client = new HubClient({ url: `${ctx.url}/not/the/hub/api/v1/ingest`, token: "x" });
    expect(await client.send(facts, [sampleAt(0, Date.now())])).toMatchObject({ ok: false, retryable: true, status: 404, error: expect.stringContaining("check INGESTION_URL") });
  });
});

describe("HubClient against a hub that rate-limits", () => {
  const ctx = useTestHub({ manualClock: true, settings: { INGEST_RATE_LIMIT_PER_S: "1" } });

  it("honours the hub's 429 and its Retry-After", async () => {
    const user = await signUp(ctx.url, "chatty-user");
    const client = new HubClient({ url: ingestUrl(ctx.url), token: (await createAgent(user, "chatty")).token });
    expect(await client.send(facts, [sampleAt(0, ctx.clock.now() - 2000)])).toMatchObject({ ok: true, stored: 1 });
    expect(await client.send(facts, [sampleAt(1, ctx.clock.now() - 1000)])).toMatchObject({
      ok: false,
      retryable: true,
      status: 429,
      code: "INGEST_RATE_LIMITED",
      retryAfterMs: 1000,
    });
  });
});

describe("HubClient when the hub is down or misbehaves", () => {
  const send = (url: string, timeoutMs?: number) => new HubClient({ url: ingestUrl(url), token: "t", timeoutMs }).send(facts, [sampleAt(0, Date.now())]);

  it("retries on a closed port: connection refused", async () => {
    const url = await closedPortUrl();
    expect(await send(url)).toEqual({ ok: false, retryable: true, error: `cannot reach the hub at ${url}: connection refused (is it running?)` });
  });

  it("retries on 503 and honours Retry-After in seconds", async () => {
    const server = await recordingServer((res) => {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "7" });
      res.end(JSON.stringify({ error: { code: "UNAVAILABLE", message: "The hub is starting or shutting down; retry shortly." } }));
    });
    expect(await send(server.url)).toEqual({
      ok: false,
      retryable: true,
      status: 503,
      code: "UNAVAILABLE",
      retryAfterMs: 7000,
      error: "the hub could not take the batch (503 UNAVAILABLE): The hub is starting or shutting down; retry shortly.",
    });
    expect(server.requests[0]).toMatchObject({ method: "POST", path: "/api/v1/ingest" });
  });

  it("retries on a 5xx without a body or Retry-After, leaving the pause to the backoff", async () => {
    const server = await recordingServer((res) => {
      res.writeHead(502);
      res.end("Bad Gateway");
    });
    const result = await send(server.url);
    expect(result).toEqual({ ok: false, retryable: true, status: 502, code: undefined, error: "the hub could not take the batch (502)" });
  });

  it("times out on a server that never answers", async () => {
    const server = await recordingServer(() => undefined);
    const started = performance.now();
    expect(await send(server.url, 200)).toEqual({ ok: false, retryable: true, error: `the hub at ${server.url} did not answer: timed out after 0.2 s` });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(server.requests).toHaveLength(1);
  });

  it("does not take a 200 from something that is not the hub as delivered", async () => {
    const server = await recordingServer((res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>Welcome to nginx!</html>");
    });
    expect(await send(server.url)).toMatchObject({ ok: false, retryable: true, status: 200, error: expect.stringContaining("not as a StatusMonitor hub") });
  });
});
