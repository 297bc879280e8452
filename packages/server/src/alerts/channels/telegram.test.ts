/** The Telegram channel against a real local HTTP server: the exact sendMessage request and how each kind of answer or failure maps to a delivery result. */
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { closedPortUrl, recordingServer } from "../../test-support/recording-server.js";
import { firedMessage } from "../messages.js";
import { TelegramChannel } from "./telegram.js";


const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (res: ServerResponse) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

const TOKEN = "123456789:AAH-secret_bot_token";
const message = firedMessage({
  agentId: 1,
  agentName: "<b>&",
  metric: "cpu",
  operator: ">",
  threshold: 80,
  value: 93.21,
  at: Date.UTC(2026, 0, 1),
});
const channel = (apiUrl: string, timeoutMs = 5000) => new TelegramChannel({ apiUrl, botToken: TOKEN, timeoutMs });

describe("TelegramChannel", () => {
  it("posts sendMessage with HTML parse mode to the configured API URL", async () => {
    const server = await recordingServer(json(200, { ok: true, result: { message_id: 1 } }));
    await expect(channel(`${server.url}/`).send(message, { chatId: "-100123" })).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe(`/bot${TOKEN}/sendMessage`);
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request!.body)).toEqual({
      chat_id: "-100123",
      text: "🚨 <b>Alert for &lt;b&gt;&amp;</b>\n\nMetric: CPU\nCurrent Value: 93.2%\nThreshold: &gt; 80.0%\nTime: 2026-01-01 00:00:00 UTC",
      parse_mode: "HTML",
      disable_web_page_preview: true,
    });
  });

  it("honours retry_after on 429", async () => {
    const server = await recordingServer(
      json(429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } }),
    );
    await expect(channel(server.url).send(message, { chatId: "1" })).resolves.toEqual({
      ok: false,
      retryable: true,
      retryAfterMs: 7000,
      error: "Telegram 429: Too Many Requests: retry after 7",
    });
  });

  it("retries a 5xx", async () => {
    const server = await recordingServer(json(502, { ok: false, error_code: 502, description: "Bad Gateway" }));
    await expect(channel(server.url).send(message, { chatId: "1" })).resolves.toEqual({
      ok: false,
      retryable: true,
      error: "Telegram 502: Bad Gateway",
    });
  });

  it("retries a 500 whose body is not JSON", async () => {
    const server = await recordingServer((res) => res.writeHead(500).end("<html>oops</html>"));
    await expect(channel(server.url).send(message, { chatId: "1" })).resolves.toEqual({
      ok: false,
      retryable: true,
      error: "Telegram 500: no description",
    });
  });

  it.each([
    [400, "Bad Request: chat not found"],
    [403, "Forbidden: bot was blocked by the user"],
    [401, "Unauthorized"],
  ])("gives up on %d with Telegram's description", async (status, description) => {
    const server = await recordingServer(json(status, { ok: false, error_code: status, description }));
    await expect(channel(server.url).send(message, { chatId: "1" })).resolves.toEqual({
      ok: false,
      retryable: false,
      error: `Telegram ${status}: ${description}`,
    });
  });

  it("retries when the connection is refused", async () => {
    const result = await channel(await closedPortUrl()).send(message, { chatId: "1" });
    expect(result).toEqual({ ok: false, retryable: true, error: "network error: ECONNREFUSED" });
  });

  it("retries after a timeout when the server never answers", async () => {
    const server = await recordingServer(() => undefined);
    const result = await channel(server.url, 150).send(message, { chatId: "1" });
    expect(result).toEqual({ ok: false, retryable: true, error: "timed out after 150 ms" });
    expect(server.requests).toHaveLength(1);
  });

  it("never puts the bot token in an error, even when the failure quotes the URL", async () => {
    const server = await recordingServer(json(400, { ok: false, description: `Bad Request: bot${TOKEN} is odd` }));
    const failures = [
      await channel(server.url).send(message, { chatId: "1" }),
      await channel("not a url").send(message, { chatId: "1" }),
      await new TelegramChannel({
        apiUrl: "http://127.0.0.1:1",
        botToken: TOKEN,
        timeoutMs: 1000,
        fetch: (input) => Promise.reject(new TypeError(`fetch failed for ${String(input)}`)),
      }).send(message, { chatId: "1" }),
    ];
    for (const failure of failures) {
      expect(failure.ok).toBe(false);
      expect(JSON.stringify(failure)).not.toContain(TOKEN);
      expect(JSON.stringify(failure)).not.toContain("AAH-secret");
    }
    expect(failures[0]).toMatchObject({ error: "Telegram 400: Bad Request: bot[redacted] is odd" });
    expect(failures[2]).toMatchObject({ error: "network error: fetch failed for http://127.0.0.1:1/bot[redacted]/sendMessage" });
  });
});
