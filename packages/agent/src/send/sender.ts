/** Sends batches of samples to the hub and turns every outcome into a SendResult the runtime can act on; never throws. */
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { AgentFacts, BatchSample } from "@statusmonitor/protocol";
import { nodeFetch, type HttpFetch, type HttpResponse } from "./node-fetch.js";
import { parseRetryAfter } from "./retry-policy.js";

export { ingestUrl } from "./ingest-url.js";
export { backoffMs, parseRetryAfter } from "./retry-policy.js";

export type SendResult =
  | { ok: true; newestTimestamp: number | null; stored: number; duplicates: number }
  | { ok: false; retryable: boolean; retryAfterMs?: number; status?: number; code?: string; error: string };

/** Bodies above this go gzip-compressed (a 1 Hz single sample stays plain: compressing it saves little). */
export const GZIP_ABOVE_BYTES = 1024;
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface HubClientOptions {
  /** The batch endpoint, as `ingestUrl` gives it. */
  url: string;
  token: string;
  timeoutMs?: number;
  /** Defaults to `nodeFetch`; the global `fetch` fits too (tests, the settings UI). */
  fetch?: HttpFetch;
  /** The clock an HTTP-date Retry-After is measured against. */
  now?: () => number;
}

const gzipAsync = promisify(gzip);

export class HubClient {
  private readonly url: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly fetch: HttpFetch;
  private readonly now: () => number;

  constructor(o: HubClientOptions) {
    this.url = o.url;
    this.token = o.token;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetch = o.fetch ?? nodeFetch;
    this.now = o.now ?? Date.now;
  }

  /** POSTs `{agent, samples}` (gzip when the body is over 1 KiB) and reports what the hub made of it. */
  async send(facts: AgentFacts, samples: BatchSample[]): Promise<SendResult> {
    let response: HttpResponse;
    let text: string;
    try {
      const json = Buffer.from(JSON.stringify({ agent: facts, samples }), "utf8");
      const compress = json.length > GZIP_ABOVE_BYTES;
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "x-agent-token": this.token,
        "user-agent": `statusmonitor-agent/${facts.version.replace(/[^\x21-\x7e]/g, "")}`,
      };
      if (compress) headers["content-encoding"] = "gzip";
      const body = compress ? await gzipAsync(json) : json;
      // One deadline for the whole exchange, the answer's body included.
      response = await this.fetch(this.url, { method: "POST", headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      text = await response.text();
    } catch (err) {
      return { ok: false, retryable: true, error: this.describeFailure(err) };
    }
    return this.interpret(response, text);
  }

  private interpret(response: HttpResponse, text: string): SendResult {
    const status = response.status;
    const body = parseJson(text);
    if (response.ok) {
      const ack = readAck(body);
      if (ack) return { ok: true, ...ack };
      // Something else answered (a proxy's page, an old hub): the samples must not be taken as delivered.
      return { ok: false, retryable: true, status, error: `${this.url} answered ${status} but not as a StatusMonitor hub: check INGESTION_URL` };
    }
    const { code, message, detail } = hubError(body);
    const said = `(${status}${code ? ` ${code}` : ""})${message ? `: ${message}` : ""}`;
    if (status === 401) return { ok: false, retryable: true, status, code, error: unauthorizedMessage(code) };
    // A wrong URL is a setting to fix, not a reason to throw the samples away.
    if (status === 404) return { ok: false, retryable: true, status, code, error: `nothing at ${this.url} takes samples ${said}: check INGESTION_URL` };
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), this.now());
      const what = status === 429 ? "the hub asks the agent to slow down" : `the hub could not take the batch`;
      return { ok: false, retryable: true, status, code, error: `${what} ${said}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    return { ok: false, retryable: false, status, code, error: `the hub rejected the batch ${said}${detail}` };
  }

  private describeFailure(err: unknown): string {
    const origin = URL.canParse(this.url) ? new URL(this.url).origin : this.url;
    const error = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (error.name === "TimeoutError") return `the hub at ${origin} did not answer: timed out after ${this.timeoutMs / 1000} s`;
    const code = error.cause?.code;
    if (code === "ECONNREFUSED") return `cannot reach the hub at ${origin}: connection refused (is it running?)`;
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `cannot reach the hub at ${origin}: host not found`;
    if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return `the connection to the hub at ${origin} was cut`;
    return `cannot reach the hub at ${origin}: ${code ?? error.cause?.message ?? error.message ?? String(err)}`;
  }
}

/** What to tell the user for each reason the hub gives for refusing the token (the runtime retries every minute). */
function unauthorizedMessage(code: string | undefined): string {
  switch (code) {
    case "AGENT_TOKEN_EXPIRED":
      return "the agent token expired before its first use (AGENT_TOKEN_EXPIRED): regenerate it in the dashboard and update AGENT_TOKEN";
    case "AGENT_TOKEN_MISSING":
      return "no agent token was sent (AGENT_TOKEN_MISSING): set AGENT_TOKEN";
    default:
      return `the hub refused the agent token (${code ?? "401"}): check AGENT_TOKEN or regenerate it in the dashboard`;
  }
}

/** The hub's `{error: {code, message, issues}}`, read loosely so a code this agent does not know still shows. */
function hubError(body: unknown): { code?: string; message?: string; detail: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | null)?.error;
  const code = typeof error?.code === "string" ? error.code : undefined;
  const message = typeof error?.message === "string" ? error.message : undefined;
  const issues = Array.isArray(error?.issues) ? (error.issues as { path?: unknown; message?: unknown }[]) : [];
  const shown = issues.slice(0, 3).map((issue) => `${String(issue.path)}: ${String(issue.message)}`);
  const detail = shown.length > 0 ? ` [${shown.join("; ")}${issues.length > 3 ? "; …" : ""}]` : "";
  return { code, message, detail };
}

/**
 * The batch acknowledgement `{status: "received", stored, duplicates, newest_timestamp}`, checked by
 * hand: validating it with protocol's zod schema would load zod into the agent for this one read.
 */
function readAck(body: unknown): { newestTimestamp: number | null; stored: number; duplicates: number } | undefined {
  const ack = body as { status?: unknown; stored?: unknown; duplicates?: unknown; newest_timestamp?: unknown } | null | undefined;
  if (!ack || ack.status !== "received") return undefined;
  const count = (value: unknown) => (typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined);
  const stored = count(ack.stored);
  const duplicates = count(ack.duplicates);
  const newest = ack.newest_timestamp;
  if (stored === undefined || duplicates === undefined || !(newest === null || (typeof newest === "number" && Number.isFinite(newest)))) return undefined;
  return { newestTimestamp: newest, stored, duplicates };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
