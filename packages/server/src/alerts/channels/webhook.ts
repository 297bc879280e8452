/** Delivers notifications as signed JSON POSTs to a user's webhook URL. */
import { createHmac } from "node:crypto";
import { systemClock, type Clock } from "../../core/clock.js";
import { HUB_VERSION } from "../../version.js";
import type { NotificationMessage } from "../messages.js";
import { describeFetchError, type DeliveryResult, type NotificationChannel } from "./channel.js";

export const SIGNATURE_HEADER = "X-StatusMonitor-Signature";
export const TIMESTAMP_HEADER = "X-StatusMonitor-Timestamp";

/** Enough of an error response to tell a user what their endpoint said, without reading a huge body. */
const MAX_ERROR_SNIPPET = 200;

export interface WebhookOptions {
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Source of the timestamp header and of "now" for an HTTP-date Retry-After. */
  clock?: Clock;
}

export interface WebhookTarget {
  url: string;
  /** When set, the body is signed with HMAC-SHA256 so the receiver can check it came from this hub. */
  secret?: string | null;
}

/**
 * `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<exact body>`: binding the timestamp header in means
 * a captured request cannot be replayed later under a fresh timestamp.
 */
export function signWebhookBody(timestamp: string, body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export class WebhookChannel implements NotificationChannel<WebhookTarget> {
  private readonly fetch: typeof fetch;
  private readonly clock: Clock;

  constructor(private readonly options: WebhookOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.clock = options.clock ?? systemClock;
  }

  async send(message: NotificationMessage, target: WebhookTarget): Promise<DeliveryResult> {
    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      return { ok: false, retryable: false, error: "invalid webhook URL" };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return { ok: false, retryable: false, error: `webhook URL must be http or https, not ${url.protocol}` };
    }

    const body = JSON.stringify(message.payload);
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "User-Agent": `StatusMonitor/${HUB_VERSION}`,
    };
    if (target.secret) {
      const timestamp = String(Math.floor(this.clock.now() / 1000));
      headers[TIMESTAMP_HEADER] = timestamp;
      headers[SIGNATURE_HEADER] = signWebhookBody(timestamp, body, target.secret);
    }

    let response: Response;
    try {
      response = await this.fetch(url, {
        method: "POST",
        headers,
        body,
        // A redirect would turn the POST into a GET or carry the signed body somewhere the user did not name.
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      return { ok: false, retryable: true, error: describeFetchError(error, this.options.timeoutMs) };
    }

    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: true };
    }
    const snippet = await readSnippet(response);
    const error = `webhook answered ${response.status}${snippet ? `: ${snippet}` : ""}`;
    if (response.status === 429 || response.status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), this.clock.now());
      return retryAfterMs === undefined
        ? { ok: false, retryable: true, error }
        : { ok: false, retryable: true, retryAfterMs, error };
    }
    return { ok: false, retryable: false, error };
  }
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Reads at most a few hundred bytes of an error body and drops the rest. */
async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ERROR_SNIPPET) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut off or timed out mid-way still leaves the status to report.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString("utf8").slice(0, MAX_ERROR_SNIPPET);
  return text.replace(/\s+/g, " ").trim();
}
