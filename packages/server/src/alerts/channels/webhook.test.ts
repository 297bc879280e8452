/** The webhook channel against a real local HTTP server: the exact signed request, and how each answer or failure maps to a delivery result. */
import { createHmac } from "node:crypto";
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { closedPortUrl, recordingServer } from "../../test-support/recording-server.js";
import { ManualClock } from "../../core/clock.js";
import { HUB_VERSION } from "../../version.js";
import { firedMessage, testMessage } from "../messages.js";
import { WebhookChannel } from "./webhook.js";


const status = (code: number, body = "", headers: Record<string, string> = {}) => (res: ServerResponse) => {
  res.writeHead(code, headers);
  res.end(body);
};

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const message = firedMessage({
  agentId: 4,
  agentName: "web-1 <prod>",
  ruleId: 9,
  ruleName: "Disk full",
  metric: "disk",
  operator: ">=",
  threshold: 90,
  value: 95.5,
  mountpoint: "/",
  at: NOW - 1000,
});
const channel = (timeoutMs = 5000) => new WebhookChannel({ timeoutMs, clock: new ManualClock(NOW) });

describe("WebhookChannel", () => {
  it("posts the JSON payload, signed with HMAC-SHA256 over the timestamp and the exact body", async () => {
    const server = await recordingServer(status(204));
    const result = await channel().send(message, { url: `${server.url}/hooks/status?x=1`, secret: "s3cret" });
    expect(result).toEqual({ ok: true });
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/hooks/status?x=1");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["user-agent"]).toBe(`StatusMonitor/${HUB_VERSION}`);
    expect(request.headers["x-statusmonitor-timestamp"]).toBe(String(NOW / 1000));
    const expected = createHmac("sha256", "s3cret").update(`${NOW / 1000}.${request.body}`).digest("hex");
    expect(request.headers["x-statusmonitor-signature"]).toBe(`sha256=${expected}`);
    expect(JSON.parse(request.body)).toEqual({
      type: "alert.fired",
      agent: { id: 4, name: "web-1 <prod>" },
      rule: { id: 9, name: "Disk full", metric: "disk", operator: ">=", threshold: 90, mountpoint: "/" },
      value: 95.5,
      at: "2026-01-01T11:59:59.000Z",
      text: "🚨 Alert for web-1 <prod>\n\nRule: Disk full\nMetric: DISK (/)\nCurrent Value: 95.5%\nThreshold: >= 90.0%\nTime: 2026-01-01 11:59:59 UTC",
    });
  });

  it("sends no signature headers without a secret", async () => {
    const server = await recordingServer(status(200, "ok"));
    await expect(channel().send(testMessage(NOW), { url: server.url })).resolves.toEqual({ ok: true });
    const request = server.requests[0]!;
    expect(request.path).toBe("/");
    expect(request.headers["x-statusmonitor-signature"]).toBeUndefined();
    expect(request.headers["x-statusmonitor-timestamp"]).toBeUndefined();
    expect(JSON.parse(request.body)).toMatchObject({ type: "alert.test", agent: null, rule: null });
  });

  it.each([
    ["429 with Retry-After seconds", 429, { "retry-after": "30" }, 30_000],
    ["503 with an HTTP-date Retry-After", 503, { "retry-after": new Date(NOW + 90_000).toUTCString() }, 90_000],
    ["500 without Retry-After", 500, {}, undefined],
  ])("retries a %s", async (_name, code, headers, retryAfterMs) => {
    const server = await recordingServer(status(code, "busy", headers));
    const result = await channel().send(message, { url: server.url });
    expect(result).toEqual({
      ok: false,
      retryable: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      error: `webhook answered ${code}: busy`,
    });
  });

  it.each([400, 401, 404, 410])("gives up on %d", async (code) => {
    const server = await recordingServer(status(code, "no such hook"));
    await expect(channel().send(message, { url: server.url })).resolves.toEqual({
      ok: false,
      retryable: false,
      error: `webhook answered ${code}: no such hook`,
    });
  });

  it("reports only the start of a long error body", async () => {
    const server = await recordingServer(status(400, "x".repeat(100_000)));
    const result = await channel().send(message, { url: server.url });
    expect(result).toEqual({ ok: false, retryable: false, error: `webhook answered 400: ${"x".repeat(200)}` });
  });

  it("does not follow redirects", async () => {
    const target = await recordingServer(status(200));
    const server = await recordingServer(status(307, "", { location: target.url }));
    const result = await channel().send(message, { url: server.url });
    expect(result).toEqual({ ok: false, retryable: false, error: "webhook answered 307" });
    expect(target.requests).toHaveLength(0);
  });

  it("retries when the connection is refused", async () => {
    await expect(channel().send(message, { url: await closedPortUrl() })).resolves.toEqual({
      ok: false,
      retryable: true,
      error: "network error: ECONNREFUSED",
    });
  });

  it("retries after a timeout when the server never answers", async () => {
    const server = await recordingServer(() => undefined);
    await expect(channel(150).send(message, { url: server.url })).resolves.toEqual({
      ok: false,
      retryable: true,
      error: "timed out after 150 ms",
    });
    expect(server.requests).toHaveLength(1);
  });

  it.each(["ftp://example.com/hook", "file:///etc/passwd", "javascript:alert(1)", "not a url"])(
    "refuses %s without sending anything",
    async (url) => {
      let called = false;
      const guarded = new WebhookChannel({
        timeoutMs: 1000,
        fetch: () => {
          called = true;
          return Promise.resolve(new Response(null, { status: 200 }));
        },
      });
      const result = await guarded.send(message, { url });
      expect(result).toMatchObject({ ok: false, retryable: false });
      expect(called).toBe(false);
    },
  );
});
