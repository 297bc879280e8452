/**
 * The channels form (Telegram and webhook) and its way to the API: the write-only webhook secret,
 * the hub's field issues, and what each answer of "Send test" means to the user.
 */
import type { AlertChannels, AlertChannelsInput, ChannelName } from "@statusmonitor/protocol";
import { ApiError } from "../../api/api-error";

/** The secret is never shown again: keep the stored one, type a new one, or remove it. */
export type SecretMode = "keep" | "replace" | "remove";

export interface ChannelFormValues {
  telegramChatId: string;
  telegramEnabled: boolean;
  webhookUrl: string;
  webhookEnabled: boolean;
  secretMode: SecretMode;
  newSecret: string;
}
export type ChannelField = "telegramChatId" | "webhookUrl" | "newSecret";
export type ChannelProblems = Partial<Record<ChannelField, string>>;

export const CHANNEL_LABELS: Record<ChannelName, string> = { telegram: "Telegram", webhook: "Webhook" };

export function channelFormFrom(channels: AlertChannels): ChannelFormValues {
  return {
    telegramChatId: channels.telegram.chat_id,
    telegramEnabled: channels.telegram.enabled,
    webhookUrl: channels.webhook.url,
    webhookEnabled: channels.webhook.enabled,
    // With no secret stored the field is simply a new one (empty: none).
    secretMode: channels.webhook.has_secret ? "keep" : "replace",
    newSecret: "",
  };
}

/**
 * The body of PUT /alerts/channels and of the test. `secret` left out keeps the stored one (also
 * when "replace" was chosen but nothing typed), null removes it.
 */
export function channelsInput(values: ChannelFormValues): AlertChannelsInput {
  let secret: string | null | undefined;
  if (values.secretMode === "remove") secret = null;
  else if (values.secretMode === "replace" && values.newSecret !== "") secret = values.newSecret;
  return {
    telegram: { chat_id: values.telegramChatId.trim(), enabled: values.telegramEnabled },
    webhook: { url: values.webhookUrl.trim(), enabled: values.webhookEnabled, ...(secret === undefined ? {} : { secret }) },
  };
}

const FIELD_OF_PATH: Record<string, ChannelField> = {
  "telegram.chat_id": "telegramChatId",
  "webhook.url": "webhookUrl",
  "webhook.secret": "newSecret",
};

/** VALIDATION_FAILED issues (`body.telegram.chat_id`) under their fields; the rest as sentences. */
export function channelProblemsFromIssues(issues: readonly { path: string; message: string }[]): { problems: ChannelProblems; rest: string[] } {
  const problems: ChannelProblems = {};
  const rest: string[] = [];
  for (const issue of issues) {
    const field = FIELD_OF_PATH[issue.path.replace(/^body\./, "")];
    if (field) problems[field] ??= issue.message;
    else rest.push(issue.path && issue.path !== "(root)" ? `${issue.path}: ${issue.message}` : issue.message);
  }
  return { problems, rest };
}

/** How many test messages a user may send per minute (server compose.ts); said in the 429 explanation. */
export const TEST_MESSAGES_PER_MINUTE = 20;

/** The sentence for a test that the hub refused as a whole (no per-channel results). */
export function testRefusalMessage(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  switch (error.code) {
    case "TELEGRAM_NOT_CONFIGURED":
      return "Telegram is not available on this hub: it has no bot token (TELEGRAM_BOT_TOKEN). Ask the administrator to set one, or use a webhook.";
    case "NO_CHANNEL_ENABLED":
      return "Nothing to test: enable Telegram or the webhook above first.";
    case "TOO_MANY_REQUESTS":
      return `Too many test messages: you can send ${TEST_MESSAGES_PER_MINUTE} a minute, so that a chat or URL cannot be flooded. Wait a minute and try again.`;
    default:
      return null;
  }
}

export interface TestLine {
  channel: ChannelName;
  ok: boolean;
  text: string;
}

/**
 * One line per channel of a test answer. Telegram switched on while the hub has no bot token is
 * skipped by the hub without a word; say so rather than let its absence look like success.
 */
export function testLines(results: readonly { channel: ChannelName; ok: boolean; error?: string }[], sent: AlertChannelsInput, telegramAvailable: boolean): TestLine[] {
  const lines: TestLine[] = results.map((result) => ({
    channel: result.channel,
    ok: result.ok,
    text: result.ok ? "Test message sent." : `Failed: ${result.error ?? "no reason given"}`,
  }));
  if (!telegramAvailable && sent.telegram?.enabled && !results.some((r) => r.channel === "telegram")) {
    lines.unshift({ channel: "telegram", ok: false, text: "Not sent: this hub has no Telegram bot token (TELEGRAM_NOT_CONFIGURED)." });
  }
  return lines;
}
