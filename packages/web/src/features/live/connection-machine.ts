/**
 * The live connection as a pure state machine: every event (socket ready, message, close code,
 * timer tick, browser online or visible again) gives the next state and the effects the shell in
 * live-connection.ts carries out. Reconnects back off exponentially with jitter (1 s → 30 s) and the
 * count resets once a connection has stayed up; silence past an unanswered ping counts as a dead socket.
 */
import { LIVE_CLOSE_CODES } from "@statusmonitor/protocol/constants";

export const BACKOFF = { initialMs: 1_000, maxMs: 30_000, jitter: 0.2 } as const;
/** A connection that stayed up this long was a good one: the next failure starts again from 1 s. */
export const STABLE_AFTER_MS = 10_000;
export const PING_EVERY_MS = 20_000;
/** After a ping, this much silence (no pong, no sample) means the socket is dead. */
export const PONG_TIMEOUT_MS = 10_000;
/** A ticket plus an upgrade that takes longer than this has failed. */
export const CONNECT_TIMEOUT_MS = 15_000;
/** After this many failed attempts in a row (about 30 s: longer than a hub restart) the hub counts as unreachable: "offline". */
export const OFFLINE_AFTER_ATTEMPTS = 5;

/** The delay before retry number `attempt` (0-based): doubling from 1 s, capped at 30 s, ±20 % jitter so clients do not retry in step. */
export function backoffDelay(attempt: number, random: () => number = Math.random, o: { initialMs: number; maxMs: number; jitter: number } = BACKOFF): number {
  const base = Math.min(o.maxMs, o.initialMs * 2 ** Math.max(0, attempt));
  return Math.round(Math.min(o.maxMs, base * (1 - o.jitter + 2 * o.jitter * random())));
}

export type Phase = "idle" | "connecting" | "live" | "waiting" | "stopped";
export type StopReason = "agent_gone" | "closed";

export interface MachineState {
  phase: Phase;
  /** Failed attempts since the last stable connection. */
  attempt: number;
  browserOnline: boolean;
  /** Whether a connection was ever live: a later one has a gap to fill. */
  everLive: boolean;
  /** When the current phase began. */
  since: number;
  liveSince: number | null;
  lastMessageAt: number;
  lastPingAt: number;
  pingOutstanding: boolean;
  /** The next connect must renew the session first (the hub ended it with SESSION_ENDED). */
  refreshFirst: boolean;
  retryAt: number | null;
  stopReason: StopReason | null;
}

export type MachineEvent =
  | { type: "start" }
  | { type: "stop" }
  | { type: "ready" }
  | { type: "message" }
  | { type: "closed"; code: number }
  | { type: "connect_failed"; agentGone: boolean }
  | { type: "retry_due" }
  | { type: "retry_now" }
  | { type: "tick" }
  | { type: "browser_online" }
  | { type: "browser_offline" }
  | { type: "visible" }
  | { type: "agent_deleted" };

export type Effect =
  | { type: "open"; refreshSession: boolean }
  | { type: "drop_socket" }
  | { type: "schedule_retry"; delayMs: number }
  | { type: "cancel_retry" }
  | { type: "send_ping" }
  | { type: "resync"; afterReconnect: boolean }
  | { type: "stopped"; reason: StopReason };

export interface Transition {
  state: MachineState;
  effects: Effect[];
}

export function initialState(now: number, browserOnline = true): MachineState {
  return {
    phase: "idle",
    attempt: 0,
    browserOnline,
    everLive: false,
    since: now,
    liveSince: null,
    lastMessageAt: now,
    lastPingAt: now,
    pingOutstanding: false,
    refreshFirst: false,
    retryAt: null,
    stopReason: null,
  };
}

export function step(state: MachineState, event: MachineEvent, now: number, random: () => number = Math.random): Transition {
  if (state.phase === "stopped") return { state, effects: [] };
  const same = (effects: Effect[] = []): Transition => ({ state, effects });
  const connect = (from: MachineState, refreshSession = from.refreshFirst): Transition => ({
    state: { ...from, phase: "connecting", since: now, retryAt: null, liveSince: null, pingOutstanding: false },
    effects: [{ type: "open", refreshSession }],
  });
  const stop = (reason: StopReason): Transition => ({
    state: { ...state, phase: "stopped", since: now, retryAt: null, stopReason: reason },
    effects: [{ type: "cancel_retry" }, { type: "drop_socket" }, { type: "stopped", reason }],
  });
  /** The current attempt failed (or the live socket died): wait, then try again. */
  const retryLater = (extra: Effect[] = [], refreshFirst = state.refreshFirst): Transition => {
    const stable = state.phase === "live" && state.liveSince !== null && now - state.liveSince >= STABLE_AFTER_MS;
    const attempt = stable ? 0 : state.attempt;
    const delayMs = backoffDelay(attempt, random);
    return {
      state: { ...state, phase: "waiting", since: now, attempt: attempt + 1, liveSince: null, pingOutstanding: false, retryAt: now + delayMs, refreshFirst },
      effects: [...extra, { type: "schedule_retry", delayMs }],
    };
  };

  switch (event.type) {
    case "start":
      return state.phase === "idle" ? connect(state) : same();
    case "stop":
      return stop("closed");
    case "agent_deleted":
      return stop("agent_gone");
    case "ready":
      if (state.phase !== "connecting") return same();
      return {
        state: { ...state, phase: "live", since: now, liveSince: now, everLive: true, lastMessageAt: now, lastPingAt: now, pingOutstanding: false, refreshFirst: false },
        effects: [{ type: "resync", afterReconnect: state.everLive }],
      };
    case "message":
      return { state: { ...state, lastMessageAt: now, pingOutstanding: false }, effects: [] };
    case "closed":
      if (state.phase !== "connecting" && state.phase !== "live") return same();
      if (event.code === LIVE_CLOSE_CODES.AGENT_GONE) return stop("agent_gone");
      return retryLater([], event.code === LIVE_CLOSE_CODES.SESSION_ENDED || state.refreshFirst);
    case "connect_failed":
      if (state.phase !== "connecting") return same();
      return event.agentGone ? stop("agent_gone") : retryLater();
    case "retry_due":
      return state.phase === "waiting" ? connect(state) : same();
    case "retry_now":
      return state.phase === "waiting" ? connect({ ...state, attempt: 0 }) : same();
    case "browser_offline":
      return { state: { ...state, browserOnline: false }, effects: [] };
    case "browser_online":
    case "visible": {
      const next = event.type === "browser_online" ? { ...state, browserOnline: true } : state;
      // Back on the network or in front of the user: try now rather than at the end of a long backoff.
      if (next.phase === "waiting") {
        const t = connect({ ...next, attempt: 0 });
        return { state: t.state, effects: [{ type: "cancel_retry" }, ...t.effects] };
      }
      // A socket that lived through sleep or a network change may be dead without knowing: probe it.
      if (next.phase === "live" && !next.pingOutstanding) {
        return { state: { ...next, lastPingAt: now, pingOutstanding: true }, effects: [{ type: "send_ping" }] };
      }
      return { state: next, effects: [] };
    }
    case "tick":
      if (state.phase === "connecting" && now - state.since >= CONNECT_TIMEOUT_MS) return retryLater([{ type: "drop_socket" }]);
      if (state.phase !== "live") return same();
      if (state.pingOutstanding && now - state.lastPingAt >= PONG_TIMEOUT_MS) return retryLater([{ type: "drop_socket" }]);
      if (!state.pingOutstanding && now - state.lastPingAt >= PING_EVERY_MS) {
        return { state: { ...state, lastPingAt: now, pingOutstanding: true }, effects: [{ type: "send_ping" }] };
      }
      return same();
  }
}

export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "offline";

export interface ConnectionView {
  status: ConnectionStatus;
  /** When the next attempt starts, while waiting. */
  retryAt: number | null;
  /** Why the connection stopped for good, if it did. */
  stopReason: StopReason | null;
}

/** What the connection indicator shows. */
export function connectionView(state: MachineState): ConnectionView {
  const view = (status: ConnectionStatus): ConnectionView => ({ status, retryAt: state.phase === "waiting" ? state.retryAt : null, stopReason: state.stopReason });
  if (state.phase === "live") return view("live");
  if (state.phase === "stopped" || !state.browserOnline) return view("offline");
  if (!state.everLive && state.attempt === 0) return view("connecting");
  if (state.attempt >= OFFLINE_AFTER_ATTEMPTS) return view("offline");
  return view("reconnecting");
}
