/**
 * One WebSocket subscriber with a bounded send queue: while the socket's buffer is over the high
 * water mark, only the newest sample per agent is kept; a client that stays stuck is disconnected.
 */
import type { WebSocket } from "ws";
import { LIVE_CLOSE_CODES, type ServerMessage } from "@statusmonitor/protocol";
import type { LiveGrant } from "./ports.js";

export const HIGH_WATER_BYTES = 256 * 1024;
/** Past this much unsent data the client is disconnected outright. */
export const HARD_LIMIT_BYTES = 4 * 1024 * 1024;
/** A client that cannot drain below the high-water mark for this long is disconnected. */
export const MAX_STALL_MS = 30_000;
const DRAIN_CHECK_MS = 50;

export interface QueuedSample {
  agentId: number;
  json: string;
  /** When the hub accepted the sample, for the delivery-latency metric; null for the newest sample sent on subscribe. */
  receivedAt: number | null;
}

export class LiveClient {
  /** One agent, or null for every agent of the user. */
  subscription: number | null;
  alive = true;
  private readonly pending = new Map<number, QueuedSample>();
  private drainTimer: NodeJS.Timeout | undefined;
  private stalledSince: number | undefined;

  constructor(
    readonly socket: WebSocket,
    readonly grant: LiveGrant,
    private readonly hooks: { onSent(sample: QueuedSample): void; onCoalesced(): void; now(): number },
  ) {
    this.subscription = grant.agentId;
  }

  /** Sends a message outside the sample queue: ready, pong, error, the newest sample on subscribe. */
  send(message: ServerMessage): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    // A client that asks (ping, subscribe) without reading the answers must not grow the buffer without bound.
    if (this.socket.bufferedAmount > HARD_LIMIT_BYTES) return this.close(LIVE_CLOSE_CODES.TOO_SLOW, "client too slow");
    this.socket.send(JSON.stringify(message));
  }

  /** Sends a sample now, or queues it (replacing an older one of the same agent) if the client is behind. */
  offer(sample: QueuedSample): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > HARD_LIMIT_BYTES) return this.close(LIVE_CLOSE_CODES.TOO_SLOW, "client too slow");
    if (this.pending.size === 0 && this.socket.bufferedAmount < HIGH_WATER_BYTES) return this.write(sample);
    if (this.pending.has(sample.agentId)) this.hooks.onCoalesced();
    this.pending.set(sample.agentId, sample);
    this.stalledSince ??= this.hooks.now();
    this.drainTimer ??= setInterval(() => this.drain(), DRAIN_CHECK_MS);
  }

  close(code: number, reason: string): void {
    this.stopDraining();
    this.pending.clear();
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  dispose(): void {
    this.stopDraining();
    this.pending.clear();
  }

  /** Writes queued samples only up to the high-water mark, so a backlog of many agents never lands in memory at once. */
  private drain(): void {
    if (this.socket.readyState !== this.socket.OPEN) return this.dispose();
    let wrote = false;
    for (const [agentId, sample] of this.pending) {
      if (this.socket.bufferedAmount >= HIGH_WATER_BYTES) break;
      this.pending.delete(agentId);
      this.write(sample);
      wrote = true;
    }
    if (this.pending.size === 0) return this.stopDraining();
    const now = this.hooks.now();
    if (wrote) this.stalledSince = now;
    else if (now - (this.stalledSince ?? now) > MAX_STALL_MS) this.close(LIVE_CLOSE_CODES.TOO_SLOW, "client too slow");
  }

  private write(sample: QueuedSample): void {
    this.socket.send(sample.json);
    this.hooks.onSent(sample);
  }

  private stopDraining(): void {
    clearInterval(this.drainTimer);
    this.drainTimer = undefined;
    this.stalledSince = undefined;
  }
}
