/** Delivers notifications through the Telegram Bot API's sendMessage, mapping its answers to retryable or final failures. */
import type { NotificationMessage } from "../messages.js";
import { describeFetchError, type DeliveryResult, type NotificationChannel } from "./channel.js";

export interface TelegramOptions {
  /** `https://api.telegram.org` in production; a local recording server in tests (`TELEGRAM_API_URL`). */
  apiUrl: string;
  botToken: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface TelegramTarget {
  chatId: string;
}

/** The parts of a Bot API answer we use (https://core.telegram.org/bots/api#making-requests). */
interface TelegramAnswer {
  ok?: boolean;
  description?: string;
  parameters?: { retry_after?: number };
}

export class TelegramChannel implements NotificationChannel<TelegramTarget> {
  private readonly url: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: TelegramOptions) {
    this.url = `${options.apiUrl.replace(/\/+$/, "")}/bot${options.botToken}/sendMessage`;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async send(message: NotificationMessage, target: TelegramTarget): Promise<DeliveryResult> {
    const result = await this.attempt(message, target);
    // The token is part of the URL, so any error text that might quote the URL is scrubbed.
    return result.ok ? result : { ...result, error: this.redact(result.error) };
  }

  private async attempt(message: NotificationMessage, target: TelegramTarget): Promise<DeliveryResult> {
    const body = JSON.stringify({
      chat_id: target.chatId,
      text: message.html,
      parse_mode: "HTML",
      disable_web_page_preview: true,
    });
    let status: number;
    let answer: TelegramAnswer;
    let retryAfterHeader: string | null;
    try {
      const response = await this.fetch(this.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.status;
      retryAfterHeader = response.headers.get("retry-after");
      answer = parseAnswer(await response.text());
    } catch (error) {
      return { ok: false, retryable: true, error: describeFetchError(error, this.options.timeoutMs) };
    }

    if (status >= 200 && status < 300 && answer.ok !== false) return { ok: true };
    const description = typeof answer.description === "string" ? answer.description.slice(0, 500) : "no description";
    const error = `Telegram ${status}: ${description}`;
    if (status === 429) {
      const retryAfter = answer.parameters?.retry_after;
      const seconds = typeof retryAfter === "number" ? retryAfter : Number(retryAfterHeader ?? Number.NaN);
      return Number.isFinite(seconds) && seconds >= 0
        ? { ok: false, retryable: true, retryAfterMs: seconds * 1000, error }
        : { ok: false, retryable: true, error };
    }
    // 5xx is Telegram's trouble; 400 (chat not found), 401/404 (bad token), 403 (bot blocked) need a person.
    return { ok: false, retryable: status >= 500, error };
  }

  private redact(text: string): string {
    return this.options.botToken === "" ? text : text.split(this.options.botToken).join("[redacted]");
  }
}

function parseAnswer(text: string): TelegramAnswer {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as TelegramAnswer) : {};
  } catch {
    return {};
  }
}
