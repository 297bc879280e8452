/** The channels form: what is sent for each secret choice, where the hub's issues go, and how a test reads. */
import type { AlertChannels } from "@statusmonitor/protocol";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/api-error";
import { channelFormFrom, channelProblemsFromIssues, channelsInput, testLines, testRefusalMessage, type ChannelFormValues } from "./channel-form";

const saved = (hasSecret: boolean): AlertChannels => ({
  telegram: { chat_id: "123456789", enabled: true, available: true },
  webhook: { url: "https://example.com/hook", enabled: true, has_secret: hasSecret },
});

describe("channelFormFrom", () => {
  it("keeps a stored secret and starts a new one when there is none", () => {
    expect(channelFormFrom(saved(true)).secretMode).toBe("keep");
    expect(channelFormFrom(saved(false)).secretMode).toBe("replace");
  });
});

describe("channelsInput", () => {
  const base = channelFormFrom(saved(true));
  it.each<[string, Partial<ChannelFormValues>, string | null | undefined]>([
    ["keeps the stored secret by leaving it out", { secretMode: "keep" }, undefined],
    ["removes it with null", { secretMode: "remove" }, null],
    ["replaces it with what was typed", { secretMode: "replace", newSecret: "s3cret" }, "s3cret"],
    ["keeps it when replace was chosen but nothing typed", { secretMode: "replace", newSecret: "" }, undefined],
    ["ignores a typed secret once remove is chosen", { secretMode: "remove", newSecret: "typed" }, null],
  ])("%s", (_case, patch, secret) => {
    const input = channelsInput({ ...base, ...patch });
    expect("secret" in input.webhook!).toBe(secret !== undefined);
    expect(input.webhook!.secret).toBe(secret);
  });

  it("trims the chat id and the URL but never the secret", () => {
    expect(channelsInput({ ...base, telegramChatId: " 42 ", webhookUrl: " https://x.test/h ", secretMode: "replace", newSecret: " s " })).toEqual({
      telegram: { chat_id: "42", enabled: true },
      webhook: { url: "https://x.test/h", enabled: true, secret: " s " },
    });
  });
});

describe("channelProblemsFromIssues", () => {
  it("maps the hub's paths to the fields", () => {
    expect(
      channelProblemsFromIssues([
        { path: "body.telegram.chat_id", message: "must be a numeric chat id or an @channel name" },
        { path: "body.webhook.url", message: "must be an http:// or https:// URL" },
        { path: "body.webhook.secret", message: "Too big" },
        { path: "body.webhook.url", message: "second issue on the same field" },
        { path: "body.telegram", message: "Invalid input" },
      ]),
    ).toEqual({
      problems: { telegramChatId: "must be a numeric chat id or an @channel name", webhookUrl: "must be an http:// or https:// URL", newSecret: "Too big" },
      rest: ["body.telegram: Invalid input"],
    });
  });
});

describe("testRefusalMessage", () => {
  it.each<[ApiError | Error, RegExp | null]>([
    [new ApiError("TELEGRAM_NOT_CONFIGURED", "…", 409), /no bot token \(TELEGRAM_BOT_TOKEN\)/],
    [new ApiError("NO_CHANNEL_ENABLED", "…", 409), /enable Telegram or the webhook/],
    [new ApiError("TOO_MANY_REQUESTS", "…", 429), /20 a minute/],
    [new ApiError("VALIDATION_FAILED", "…", 400), null],
    [new Error("boom"), null],
  ])("%s", (error, pattern) => {
    const message = testRefusalMessage(error);
    if (pattern === null) expect(message).toBeNull();
    else expect(message).toMatch(pattern);
  });
});

describe("testLines", () => {
  const bothOn = { telegram: { chat_id: "1", enabled: true }, webhook: { url: "https://x.test", enabled: true } };
  it("gives one line per channel result", () => {
    expect(
      testLines(
        [
          { channel: "telegram", ok: true },
          { channel: "webhook", ok: false, error: "HTTP 500" },
        ],
        bothOn,
        true,
      ),
    ).toEqual([
      { channel: "telegram", ok: true, text: "Test message sent." },
      { channel: "webhook", ok: false, text: "Failed: HTTP 500" },
    ]);
  });

  it("says why Telegram is missing when the hub has no bot token", () => {
    expect(testLines([{ channel: "webhook", ok: true }], bothOn, false)).toEqual([
      { channel: "telegram", ok: false, text: "Not sent: this hub has no Telegram bot token (TELEGRAM_NOT_CONFIGURED)." },
      { channel: "webhook", ok: true, text: "Test message sent." },
    ]);
  });

  it("does not mention Telegram when it was switched off", () => {
    const telegramOff = { ...bothOn, telegram: { chat_id: "", enabled: false } };
    expect(testLines([{ channel: "webhook", ok: true }], telegramOff, false)).toHaveLength(1);
  });
});
