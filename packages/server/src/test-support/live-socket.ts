/**
 * Test helpers for the live WebSocket over real loopback: open a socket with a ticket, record every
 * message and the close code, see how a refused upgrade was answered, and send samples as an agent.
 */
import WebSocket from "ws";
import { systemClock } from "../core/clock.js";
import { HttpClient, waitFor, type JsonResponse } from "./test-hub.js";

/** A connected live socket that records everything the hub sends. */
export class LiveSocket {
  readonly messages: any[] = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => this.messages.push(isBinary ? { binary: true } : JSON.parse(data.toString())));
    ws.on("close", (code, reason) => (this.closed = { code, reason: reason.toString() }));
    // Errors after the handshake end in a close, which is what the tests look at.
    ws.on("error", () => undefined);
  }

  /** Opens `/api/v1/live?ticket=…`; rejects with the HTTP status when the upgrade is refused. */
  static open(baseUrl: string, ticket: string | undefined, options: { origin?: string } = {}): Promise<LiveSocket> {
    const ws = new WebSocket(liveUrl(baseUrl, ticket), options.origin ? { origin: options.origin } : {});
    const socket = new LiveSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(socket));
      ws.once("unexpected-response", (_req, res) => {
        ws.terminate();
        reject(new Error(`upgrade refused with HTTP ${res.statusCode}`));
      });
      ws.once("error", reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** Waits for the first recorded message (from `from` on) matching `match`. */
  next(match: (message: any) => boolean, what: string, from = 0): Promise<any> {
    return waitFor(() => this.messages.slice(from).find(match), what);
  }

  /** Waits for the hub to close the socket; returns the close code and reason. */
  async waitClosed(what = "the socket to close"): Promise<{ code: number; reason: string }> {
    return (await waitFor(() => this.closed, what))!;
  }

  /** Round-trips a ping: every message the hub queued before the pong has been received after it. */
  async barrier(): Promise<void> {
    const nonce = `barrier-${systemClock.now()}-${Math.random()}`;
    this.send({ type: "ping", nonce });
    await this.next((m) => m.type === "pong" && m.nonce === nonce, "the barrier pong");
  }

  samples(agentId?: number): any[] {
    return this.messages.filter((m) => m.type === "sample" && (agentId === undefined || m.agent_id === agentId));
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await waitFor(() => this.ws.readyState === WebSocket.CLOSED, "the client socket to close", 5_000).catch(() => this.ws.terminate());
  }
}

export function liveUrl(baseUrl: string, ticket: string | undefined): string {
  const url = new URL("/api/v1/live", baseUrl.replace(/^http/, "ws"));
  if (ticket !== undefined) url.searchParams.set("ticket", ticket);
  return url.toString();
}

/** Tries an upgrade that should be refused; returns the HTTP status and JSON body of the refusal. */
export function refusedUpgrade(
  baseUrl: string,
  ticket: string | undefined,
  options: { origin?: string } = {},
): Promise<{ status: number; body: any }> {
  const ws = new WebSocket(liveUrl(baseUrl, ticket), options.origin ? { origin: options.origin } : {});
  return new Promise((resolve, reject) => {
    ws.once("open", () => {
      ws.terminate();
      reject(new Error("the upgrade was accepted but should have been refused"));
    });
    ws.once("unexpected-response", (_req, res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        ws.terminate();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Not JSON: the raw text is the body.
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.once("error", reject);
  });
}

/** Asks for a live ticket: for one agent, for all agents (`null`), or with no body at all (`undefined`). */
export async function issueTicket(client: HttpClient, agentId: number | null | undefined): Promise<string> {
  const res = await client.post("/api/v1/live/tickets", agentId === undefined ? undefined : { agent_id: agentId });
  if (res.status !== 200) throw new Error(`live ticket: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.ticket;
}

/** Issues a ticket and opens a live socket with it. */
export async function openLive(client: HttpClient, agentId: number | null, options: { origin?: string } = {}): Promise<LiveSocket> {
  return LiveSocket.open(client.baseUrl, await issueTicket(client, agentId), options);
}

/** Sends samples as an agent in the batch format (timestamps in ms); fails unless the hub answers 200. */
export async function ingestBatch(
  baseUrl: string,
  agentToken: string,
  samples: Array<{ timestamp: number; cpu?: number; seq?: number }>,
): Promise<JsonResponse> {
  const res = await new HttpClient(baseUrl).post(
    "/api/v1/ingest",
    {
      agent: { hostname: "test-host", os: "linux", arch: "x64", version: "0.0.0-test" },
      samples: samples.map((s, i) => ({ seq: s.seq ?? i, timestamp: s.timestamp, cpu: { usage_percent: s.cpu ?? 1 } })),
    },
    { headers: { "x-agent-token": agentToken } },
  );
  if (res.status !== 200) throw new Error(`ingest: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** Sends one sample the way the original Python agents do: POST /ingest, timestamp in epoch seconds. */
export async function ingestOriginal(baseUrl: string, agentToken: string, timestampMs: number, cpu = 1): Promise<JsonResponse> {
  const res = await new HttpClient(baseUrl).post(
    "/ingest",
    { timestamp: timestampMs / 1000, cpu: { usage_percent: cpu } },
    { headers: { "x-agent-token": agentToken } },
  );
  if (res.status !== 200) throw new Error(`ingest: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}
