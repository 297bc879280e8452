import { LIVE_CLOSE_CODES } from "@statusmonitor/protocol/constants";
import { describe, expect, it } from "vitest";
import {
  backoffDelay,
  CONNECT_TIMEOUT_MS,
  connectionView,
  initialState,
  OFFLINE_AFTER_ATTEMPTS,
  PING_EVERY_MS,
  PONG_TIMEOUT_MS,
  STABLE_AFTER_MS,
  step,
  type Effect,
  type MachineEvent,
  type MachineState,
} from "./connection-machine";

const MID = () => 0.5; // no jitter: the exact doubling

/** Feeds events at the given times; returns the final state and every effect in order. */
function run(events: Array<[at: number, event: MachineEvent]>, state: MachineState = initialState(0), random = MID) {
  const effects: Effect[] = [];
  for (const [at, event] of events) {
    const t = step(state, event, at, random);
    state = t.state;
    effects.push(...t.effects);
  }
  return { state, effects };
}
const types = (effects: Effect[]) => effects.map((e) => e.type);
const retries = (effects: Effect[]) => effects.flatMap((e) => (e.type === "schedule_retry" ? [e.delayMs] : []));

describe("backoffDelay", () => {
  it.each([
    [0, 1_000],
    [1, 2_000],
    [2, 4_000],
    [3, 8_000],
    [4, 16_000],
    [5, 30_000],
    [12, 30_000],
    [1000, 30_000],
  ])("attempt %i → %i ms without jitter", (attempt, want) => expect(backoffDelay(attempt, MID)).toBe(want));

  it("jitters ±20 % and never passes the cap", () => {
    expect(backoffDelay(0, () => 0)).toBe(800);
    expect(backoffDelay(0, () => 1)).toBe(1_200);
    expect(backoffDelay(5, () => 0)).toBe(24_000);
    expect(backoffDelay(5, () => 1)).toBe(30_000);
  });
});

describe("connection machine", () => {
  it("connects, goes live on ready, and asks for a resync that is not a reconnect", () => {
    const { state, effects } = run([
      [0, { type: "start" }],
      [100, { type: "ready" }],
    ]);
    expect(effects).toEqual([{ type: "open", refreshSession: false }, { type: "resync", afterReconnect: false }]);
    expect(connectionView(state).status).toBe("live");
  });

  it("shows connecting before the first success, then reconnecting, then offline after repeated failures", () => {
    let { state } = run([[0, { type: "start" }]]);
    expect(connectionView(state).status).toBe("connecting");
    state = run([[10, { type: "connect_failed", agentGone: false }]], state).state;
    expect(connectionView(state)).toMatchObject({ status: "reconnecting", retryAt: 10 + 1_000 });
    for (let i = 1; i < OFFLINE_AFTER_ATTEMPTS; i++) {
      state = run([[20 * i, { type: "retry_due" }], [20 * i + 1, { type: "connect_failed", agentGone: false }]], state).state;
    }
    expect(connectionView(state).status).toBe("offline");
  });

  it("backs off exponentially across failed attempts", () => {
    const events: Array<[number, MachineEvent]> = [[0, { type: "start" }]];
    for (let i = 0; i < 7; i++) events.push([i * 100 + 1, { type: "closed", code: 1006 }], [i * 100 + 2, { type: "retry_due" }]);
    expect(retries(run(events).effects)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it("starts again from 1 s after a stable connection, but not after a short one", () => {
    const flap = run([
      [0, { type: "start" }],
      [1, { type: "closed", code: 1006 }],
      [2, { type: "retry_due" }],
      [3, { type: "ready" }],
      [3 + STABLE_AFTER_MS - 1, { type: "closed", code: 1006 }],
    ]);
    expect(retries(flap.effects)).toEqual([1_000, 2_000]);
    const stable = run([
      [0, { type: "start" }],
      [1, { type: "closed", code: 1006 }],
      [2, { type: "retry_due" }],
      [3, { type: "ready" }],
      [3 + STABLE_AFTER_MS, { type: "closed", code: 1001 }],
    ]);
    expect(retries(stable.effects)).toEqual([1_000, 1_000]);
  });

  it("resyncs as a reconnect once it has been live before", () => {
    const { effects } = run([
      [0, { type: "start" }],
      [1, { type: "ready" }],
      [2, { type: "closed", code: 1006 }],
      [3, { type: "retry_due" }],
      [4, { type: "ready" }],
    ]);
    expect(effects.filter((e) => e.type === "resync")).toEqual([
      { type: "resync", afterReconnect: false },
      { type: "resync", afterReconnect: true },
    ]);
  });

  it("stops for good when the agent is gone: close code, deleted message or a 404 ticket", () => {
    for (const event of [{ type: "closed", code: LIVE_CLOSE_CODES.AGENT_GONE }, { type: "agent_deleted" }] as MachineEvent[]) {
      const { state, effects } = run([[0, { type: "start" }], [1, { type: "ready" }], [2, event], [3, { type: "retry_due" }], [4, { type: "visible" }]]);
      expect(state).toMatchObject({ phase: "stopped", stopReason: "agent_gone" });
      expect(effects.at(-1)).toEqual({ type: "stopped", reason: "agent_gone" });
      expect(types(effects).filter((t) => t === "open")).toHaveLength(1);
    }
    const ticket = run([[0, { type: "start" }], [1, { type: "connect_failed", agentGone: true }]]);
    expect(ticket.state.stopReason).toBe("agent_gone");
  });

  it("renews the session before reconnecting after SESSION_ENDED, then stops asking", () => {
    const { effects } = run([
      [0, { type: "start" }],
      [1, { type: "ready" }],
      [2, { type: "closed", code: LIVE_CLOSE_CODES.SESSION_ENDED }],
      [3, { type: "retry_due" }],
      [4, { type: "ready" }],
      [5, { type: "closed", code: 1006 }],
      [6, { type: "retry_due" }],
    ]);
    expect(effects.filter((e) => e.type === "open")).toEqual([
      { type: "open", refreshSession: false },
      { type: "open", refreshSession: true },
      { type: "open", refreshSession: false },
    ]);
  });

  it("pings every 20 s and treats an unanswered ping as a dead socket", () => {
    const base: Array<[number, MachineEvent]> = [[0, { type: "start" }], [0, { type: "ready" }]];
    const quiet = run([...base, [PING_EVERY_MS - 1, { type: "tick" }], [PING_EVERY_MS, { type: "tick" }]]);
    expect(types(quiet.effects)).toEqual(["open", "resync", "send_ping"]);

    const answered = run([...base, [PING_EVERY_MS, { type: "tick" }], [PING_EVERY_MS + 50, { type: "message" }], [PING_EVERY_MS + PONG_TIMEOUT_MS, { type: "tick" }]]);
    expect(answered.state.phase).toBe("live");

    const dead = run([...base, [PING_EVERY_MS, { type: "tick" }], [PING_EVERY_MS + PONG_TIMEOUT_MS, { type: "tick" }]]);
    expect(types(dead.effects).slice(-2)).toEqual(["drop_socket", "schedule_retry"]);
    expect(dead.state.phase).toBe("waiting");
  });

  it("gives up on a connect attempt that hangs", () => {
    const { state, effects } = run([[0, { type: "start" }], [CONNECT_TIMEOUT_MS - 1, { type: "tick" }], [CONNECT_TIMEOUT_MS, { type: "tick" }]]);
    expect(types(effects)).toEqual(["open", "drop_socket", "schedule_retry"]);
    expect(state.phase).toBe("waiting");
  });

  it("retries at once when the browser comes back online or the tab becomes visible, with the backoff reset", () => {
    for (const wake of [{ type: "browser_online" }, { type: "visible" }, { type: "retry_now" }] as MachineEvent[]) {
      const { state, effects } = run([
        [0, { type: "start" }],
        [1, { type: "connect_failed", agentGone: false }],
        [2, { type: "retry_due" }],
        [3, { type: "connect_failed", agentGone: false }],
        [4, wake],
      ]);
      expect(state).toMatchObject({ phase: "connecting", attempt: 0 });
      expect(effects.at(-1)).toEqual({ type: "open", refreshSession: false });
    }
  });

  it("probes a live socket when the tab wakes, and says offline while the browser is", () => {
    const live = run([[0, { type: "start" }], [1, { type: "ready" }], [5, { type: "visible" }]]);
    expect(live.effects.at(-1)).toEqual({ type: "send_ping" });
    const offline = run([[0, { type: "start" }], [1, { type: "closed", code: 1006 }], [2, { type: "browser_offline" }]]);
    expect(connectionView(offline.state).status).toBe("offline");
  });

  it("ignores late events for a socket it no longer has", () => {
    const { state, effects } = run([[0, { type: "start" }], [1, { type: "closed", code: 1006 }], [2, { type: "closed", code: 1006 }], [3, { type: "ready" }]]);
    expect(retries(effects)).toEqual([1_000]);
    expect(state.phase).toBe("waiting");
  });

  it("does nothing once stopped", () => {
    const { state, effects } = run([[0, { type: "start" }], [1, { type: "stop" }], [2, { type: "retry_due" }], [3, { type: "start" }]]);
    expect(state.phase).toBe("stopped");
    expect(types(effects)).toEqual(["open", "cancel_retry", "drop_socket", "stopped"]);
  });
});
