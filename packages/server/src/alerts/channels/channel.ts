/** The one interface every notification channel (Telegram, webhook) implements, and the outcome of a delivery attempt. */
import type { NotificationMessage } from "../messages.js";

/** A failed attempt says whether trying again can help, and how long the far side asked us to wait. */
export type DeliveryFailure = { ok: false; retryable: boolean; retryAfterMs?: number; error: string };
export type DeliveryResult = { ok: true } | DeliveryFailure;

/**
 * One instance serves every user (it holds the hub-wide settings such as the bot token); where a
 * message goes (a chat id, a URL and secret) is per user, so it is passed with each message.
 * `send` never throws: every failure is a DeliveryResult the dispatcher can record and retry.
 */
export interface NotificationChannel<Target> {
  send(message: NotificationMessage, target: Target): Promise<DeliveryResult>;
}

/** Names the failure of a fetch that threw (timeout, refused connection, DNS) without echoing a URL. */
export function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `timed out after ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === "string") return `network error: ${cause.code}`;
  return `network error: ${error instanceof Error ? error.message : String(error)}`;
}
