/**
 * The live fan-out: routes each sample from the bus to the sockets subscribed to its agent (or to
 * all of its owner's agents), closes sockets whose session ended or whose agent was deleted, and
 * keeps connections alive with pings.
 */
import type { WebSocket } from "ws";
import { clientMessage, LIVE_CLOSE_CODES, type Sample, type ServerMessage } from "@statusmonitor/protocol";
import type { AgentsService } from "../agents/service.js";
import { AppError } from "../core/app-error.js";
import type { Bus, ControlEvent, SampleEnvelope, Subscription, Unsubscribe } from "../core/bus.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { HubMetrics } from "../ops/metrics.js";
import { LiveClient } from "./client.js";
import type { LiveGrant } from "./ports.js";

const MAX_CLIENT_MESSAGE_BYTES = 4096;

export interface LiveHubOptions {
  bus: Bus;
  agents: AgentsService;
  /** The newest sample of an agent, sent right after a subscription starts. */
  latestSample(agentId: number): Promise<Sample | undefined>;
  metrics: HubMetrics;
  /** How often each socket is pinged; one that has not answered the previous ping is dropped. */
  pingIntervalMs: number;
  clock: Clock;
  logger: Logger;
}

export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  /** Clients by what they follow (one agent, or all agents of a user), so a sample only costs work for its own sockets. */
  private readonly followersOfAgent = new Map<number, Set<LiveClient>>();
  private readonly followersOfUser = new Map<number, Set<LiveClient>>();
  private readonly unsubscribers: Unsubscribe[] = [];
  private subscription: Subscription | undefined;
  private pingTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: LiveHubOptions) {}

  async start(): Promise<void> {
    this.unsubscribers.push(this.o.bus.onControl((event) => this.onControl(event)));
    this.subscription = await this.o.bus.subscribeSamples("live", (samples) => this.fanOut(samples));
    this.pingTimer = setInterval(() => this.ping(), this.o.pingIntervalMs);
    this.pingTimer.unref();
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    await this.subscription?.close();
    this.subscription = undefined;
    clearInterval(this.pingTimer);
    for (const client of this.clients) client.close(1001, "server shutting down");
    this.clients.clear();
    this.followersOfAgent.clear();
    this.followersOfUser.clear();
    this.o.metrics.liveClients.set(0);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Takes over an accepted socket whose ticket was already redeemed. */
  attach(socket: WebSocket, grant: LiveGrant): void {
    const client = new LiveClient(socket, grant, {
      onSent: (sample) => {
        if (sample.receivedAt !== null) this.o.metrics.liveDeliverySeconds.observe((this.o.clock.now() - sample.receivedAt) / 1000);
      },
      onCoalesced: () => this.o.metrics.liveDropped.inc(),
      now: () => this.o.clock.now(),
    });
    this.clients.add(client);
    this.follow(client, client.subscription);
    this.o.metrics.liveClients.set(this.clients.size);
    socket.on("pong", () => (client.alive = true));
    socket.on("message", (data, isBinary) => void this.onMessage(client, data.toString(), isBinary));
    socket.on("close", () => {
      client.dispose();
      this.clients.delete(client);
      this.unfollow(client);
      this.o.metrics.liveClients.set(this.clients.size);
    });
    socket.on("error", (err) => this.o.logger.debug({ err }, "live socket error"));
    client.send({ type: "ready", agent_id: client.subscription });
    void this.sendLatest(client);
  }

  private fanOut(envelopes: SampleEnvelope[]): void {
    if (this.clients.size === 0) return;
    for (const envelope of envelopes) {
      if (envelope.backfill) continue;
      this.o.metrics.busLagSeconds.set((this.o.clock.now() - envelope.received_at) / 1000);
      let json: string | undefined;
      for (const followers of [this.followersOfAgent.get(envelope.agent_id), this.followersOfUser.get(envelope.user_id)]) {
        if (!followers) continue;
        for (const client of followers) {
          if (client.grant.userId !== envelope.user_id) continue;
          json ??= JSON.stringify({ type: "sample", agent_id: envelope.agent_id, sample: envelope.sample } satisfies ServerMessage);
          client.offer({ agentId: envelope.agent_id, json, receivedAt: envelope.received_at });
        }
      }
    }
  }

  /** Makes `agentId` (or every agent of the user, for null) the client's one subscription. */
  private follow(client: LiveClient, agentId: number | null): void {
    this.unfollow(client);
    client.subscription = agentId;
    const [index, key] = agentId === null ? [this.followersOfUser, client.grant.userId] : [this.followersOfAgent, agentId];
    let followers = index.get(key);
    if (!followers) index.set(key, (followers = new Set()));
    followers.add(client);
  }

  private unfollow(client: LiveClient): void {
    const [index, key] =
      client.subscription === null ? [this.followersOfUser, client.grant.userId] : [this.followersOfAgent, client.subscription];
    const followers = index.get(key);
    if (!followers?.delete(client)) return;
    if (followers.size === 0) index.delete(key);
  }

  private onControl(event: ControlEvent): void {
    for (const client of this.clients) {
      switch (event.type) {
        case "session_ended":
          if (client.grant.sessionId === event.session_id) client.close(LIVE_CLOSE_CODES.SESSION_ENDED, "signed out");
          break;
        case "user_deleted":
          if (client.grant.userId === event.user_id) client.close(LIVE_CLOSE_CODES.SESSION_ENDED, "account deleted");
          break;
        case "agent_deleted":
          if (client.grant.userId !== event.user_id) break;
          if (client.subscription === event.agent_id) client.close(LIVE_CLOSE_CODES.AGENT_GONE, "agent deleted");
          else if (client.subscription === null) client.send({ type: "agent_deleted", agent_id: event.agent_id });
          break;
        case "agent_token_changed":
          break;
      }
    }
  }

  private async onMessage(client: LiveClient, text: string, isBinary: boolean): Promise<void> {
    const parsed = !isBinary && text.length <= MAX_CLIENT_MESSAGE_BYTES ? safeJson(text) : undefined;
    const message = clientMessage.safeParse(parsed);
    if (!message.success) {
      client.send({ type: "error", code: "VALIDATION_FAILED", message: "Expected {type:'subscribe',agent_id} or {type:'ping'}." });
      return client.close(LIVE_CLOSE_CODES.BAD_MESSAGE, "bad message");
    }
    if (message.data.type === "ping") return client.send({ type: "pong", nonce: message.data.nonce });
    const agentId = message.data.agent_id;
    if (agentId !== null) {
      try {
        await this.o.agents.get(client.grant.userId, agentId);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        client.send({ type: "error", code: err.code, message: err.message });
        return client.close(LIVE_CLOSE_CODES.AGENT_GONE, "agent not found");
      }
    }
    if (!this.clients.has(client)) return;
    this.follow(client, agentId);
    client.send({ type: "ready", agent_id: agentId });
    await this.sendLatest(client);
  }

  /** Sends the newest known sample of every agent the client now follows. */
  private async sendLatest(client: LiveClient): Promise<void> {
    try {
      const agentIds =
        client.subscription !== null
          ? [client.subscription]
          : (await this.o.agents.list(client.grant.userId)).map((agent) => agent.id);
      for (const agentId of agentIds) {
        const sample = await this.o.latestSample(agentId);
        if (!sample) continue;
        // Queued like live samples: a subscriber of many agents (or one that keeps re-subscribing) stays bounded.
        client.offer({ agentId, json: JSON.stringify({ type: "sample", agent_id: agentId, sample } satisfies ServerMessage), receivedAt: null });
      }
    } catch (err) {
      this.o.logger.warn({ err }, "could not send the latest samples to a live client");
    }
  }

  /** Terminates sockets that did not answer the previous ping. */
  private ping(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
