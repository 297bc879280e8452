/**
 * The one WebSocket client of the dashboard: gets a single-use ticket, opens `/api/v1/live`, hands
 * samples of its agent to the caller, and carries out what connection-machine.ts decides (reconnect
 * with backoff, pings, session renewal, stopping when the agent is gone). Events of a socket it has
 * let go of are ignored, so a slow close can never disturb the next connection.
 */
import type { Sample, ServerMessage } from "@statusmonitor/protocol";
import { connectionView, initialState, step, type ConnectionView, type Effect, type MachineEvent, type MachineState, type StopReason } from "./connection-machine";

/** The part of the browser's WebSocket this client uses (tests pass a fake). */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface LiveConnectionOptions {
  agentId: number;
  /** POST /api/v1/live/tickets; throws the API error on failure. */
  requestTicket(): Promise<string>;
  refreshSession(): Promise<boolean>;
  /** Whether a failed ticket request means the agent no longer exists (404 AGENT_NOT_FOUND). */
  isAgentGone(error: unknown): boolean;
  openSocket(ticket: string): SocketLike;
  onSample(sample: Sample): void;
  onView(view: ConnectionView): void;
  /** The socket is (again) live: fill what may have been missed meanwhile. */
  onResync(afterReconnect: boolean): void;
  onStopped(reason: StopReason): void;
  now?: () => number;
  random?: () => number;
  browserOnline?: boolean;
  /** How often deadlines (ping, pong, connect) are checked. */
  tickMs?: number;
}

export class LiveConnection {
  private state: MachineState;
  private view: ConnectionView;
  private socket: SocketLike | null = null;
  /** Bumped whenever a socket or a pending attempt is abandoned; their late callbacks compare against it. */
  private generation = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private tickTimer: ReturnType<typeof setInterval> | undefined;
  private nonce = 0;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly o: LiveConnectionOptions) {
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
    this.state = initialState(this.now(), o.browserOnline ?? true);
    this.view = connectionView(this.state);
  }

  get current(): ConnectionView {
    return this.view;
  }

  start(): void {
    this.tickTimer ??= setInterval(() => this.dispatch({ type: "tick" }), this.o.tickMs ?? 1_000);
    this.dispatch({ type: "start" });
  }

  stop(): void {
    this.dispatch({ type: "stop" });
    this.clearTimers();
  }

  retryNow(): void {
    this.dispatch({ type: "retry_now" });
  }

  browserOnline(): void {
    this.dispatch({ type: "browser_online" });
  }

  browserOffline(): void {
    this.dispatch({ type: "browser_offline" });
  }

  visible(): void {
    this.dispatch({ type: "visible" });
  }

  private dispatch(event: MachineEvent): void {
    const transition = step(this.state, event, this.now(), this.random);
    this.state = transition.state;
    for (const effect of transition.effects) this.run(effect);
    const view = connectionView(this.state);
    if (view.status !== this.view.status || view.retryAt !== this.view.retryAt || view.stopReason !== this.view.stopReason) {
      this.view = view;
      this.o.onView(view);
    }
  }

  private run(effect: Effect): void {
    switch (effect.type) {
      case "open":
        void this.open(effect.refreshSession);
        return;
      case "drop_socket":
        this.dropSocket();
        return;
      case "schedule_retry":
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.dispatch({ type: "retry_due" }), effect.delayMs);
        return;
      case "cancel_retry":
        clearTimeout(this.retryTimer);
        return;
      case "send_ping":
        this.socket?.send(JSON.stringify({ type: "ping", nonce: String(++this.nonce) }));
        return;
      case "resync":
        this.o.onResync(effect.afterReconnect);
        return;
      case "stopped":
        this.clearTimers();
        this.o.onStopped(effect.reason);
        return;
    }
  }

  private async open(refreshSession: boolean): Promise<void> {
    this.dropSocket();
    const generation = this.generation;
    let socket: SocketLike;
    try {
      if (refreshSession) await this.o.refreshSession();
      const ticket = await this.o.requestTicket();
      if (generation !== this.generation) return;
      socket = this.o.openSocket(ticket);
    } catch (error) {
      if (generation === this.generation) this.dispatch({ type: "connect_failed", agentGone: this.o.isAgentGone(error) });
      return;
    }
    this.socket = socket;
    socket.onmessage = (event) => {
      if (generation === this.generation) this.onMessage(event.data);
    };
    socket.onclose = (event) => {
      if (generation !== this.generation) return;
      this.socket = null;
      this.dispatch({ type: "closed", code: event.code });
    };
    // A failed upgrade reports an error and then a close (1006); the close is what counts.
    socket.onerror = () => undefined;
  }

  private onMessage(data: unknown): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(data)) as ServerMessage;
    } catch {
      return;
    }
    this.dispatch({ type: "message" });
    switch (message?.type) {
      case "ready":
        this.dispatch({ type: "ready" });
        return;
      case "sample":
        if (message.agent_id === this.o.agentId && message.sample) this.o.onSample(message.sample);
        return;
      case "agent_deleted":
        if (message.agent_id === this.o.agentId) this.dispatch({ type: "agent_deleted" });
        return;
      default:
        // pong proves the socket alive (counted above); an error is followed by a close.
        return;
    }
  }

  private dropSocket(): void {
    this.generation += 1;
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(1000, "client closed");
    } catch {
      // Closing a socket that never opened throws in some browsers; it is gone either way.
    }
  }

  private clearTimers(): void {
    clearTimeout(this.retryTimer);
    clearInterval(this.tickTimer);
    this.tickTimer = undefined;
  }
}
