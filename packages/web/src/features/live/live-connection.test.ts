import type { Sample } from "@statusmonitor/protocol";
import { LIVE_CLOSE_CODES } from "@statusmonitor/protocol/constants";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ConnectionView } from "./connection-machine";
import { LiveConnection, type SocketLike } from "./live-connection";

class FakeSocket implements SocketLike {
  sent: string[] = [];
  closed: number | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly ticket: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1000) {
    this.closed = code;
  }
  /** The hub speaks. */
  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  /** The hub (or the network) closes it. */
  drop(code: number) {
    this.onclose?.({ code });
  }
}

const sample = (timestamp: number): Sample => ({ agent_id: 7, timestamp, cpu: { usage_percent: 1 } });

function setup({ ticketFails }: { ticketFails?: (n: number) => unknown } = {}) {
  const sockets: FakeSocket[] = [];
  const samples: Sample[] = [];
  const views: ConnectionView["status"][] = [];
  const resyncs: boolean[] = [];
  const stopped: string[] = [];
  let tickets = 0;
  const refreshSession = vi.fn(async () => true);
  const connection = new LiveConnection({
    agentId: 7,
    requestTicket: async () => {
      tickets += 1;
      const failure = ticketFails?.(tickets);
      if (failure) throw failure;
      return `ticket-${tickets}`;
    },
    refreshSession,
    isAgentGone: (error) => (error as { code?: string }).code === "AGENT_NOT_FOUND",
    openSocket: (ticket) => {
      const socket = new FakeSocket(ticket);
      sockets.push(socket);
      return socket;
    },
    onSample: (s) => samples.push(s),
    onView: (view) => views.push(view.status),
    onResync: (afterReconnect) => resyncs.push(afterReconnect),
    onStopped: (reason) => stopped.push(reason),
    random: () => 0.5,
  });
  return { connection, sockets, samples, views, resyncs, stopped, refreshSession, tickets: () => tickets, last: () => sockets[sockets.length - 1]! };
}

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

describe("LiveConnection", () => {
  it("opens with a ticket, goes live on ready and delivers only its agent's samples", async () => {
    const t = setup();
    t.connection.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.last().ticket).toBe("ticket-1");
    t.last().receive({ type: "ready", agent_id: 7 });
    t.last().receive({ type: "sample", agent_id: 7, sample: sample(1) });
    t.last().receive({ type: "sample", agent_id: 8, sample: { ...sample(2), agent_id: 8 } });
    t.last().receive({ type: "pong" });
    expect(t.views).toEqual(["live"]);
    expect(t.samples.map((s) => s.timestamp)).toEqual([1]);
    expect(t.resyncs).toEqual([false]);
    t.connection.stop();
  });

  it("reconnects after the hub goes away, backing off, and resyncs as a reconnect", async () => {
    const t = setup({ ticketFails: (n) => (n === 2 || n === 3 ? new Error("hub down") : undefined) });
    t.connection.start();
    await vi.advanceTimersByTimeAsync(0);
    t.last().receive({ type: "ready", agent_id: 7 });
    t.last().drop(1006);
    expect(t.views.at(-1)).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(999);
    expect(t.tickets()).toBe(1);
    await vi.advanceTimersByTimeAsync(1); // 1 s: the ticket request fails
    expect(t.tickets()).toBe(2);
    await vi.advanceTimersByTimeAsync(2_000); // then 2 s: fails again
    expect(t.tickets()).toBe(3);
    await vi.advanceTimersByTimeAsync(3_999);
    expect(t.tickets()).toBe(3);
    await vi.advanceTimersByTimeAsync(1); // then 4 s: the hub is back
    expect(t.sockets).toHaveLength(2);
    t.last().receive({ type: "ready", agent_id: 7 });
    expect(t.views.at(-1)).toBe("live");
    expect(t.resyncs).toEqual([false, true]);
    t.connection.stop();
  });

  it("stops on AGENT_GONE, on an agent_deleted message and on a 404 ticket", async () => {
    for (const end of ["close", "message", "ticket"] as const) {
      const t = setup({ ticketFails: end === "ticket" ? () => ({ code: "AGENT_NOT_FOUND" }) : undefined });
      t.connection.start();
      await vi.advanceTimersByTimeAsync(0);
      if (end !== "ticket") {
        t.last().receive({ type: "ready", agent_id: 7 });
        if (end === "close") t.last().drop(LIVE_CLOSE_CODES.AGENT_GONE);
        else t.last().receive({ type: "agent_deleted", agent_id: 7 });
      }
      await vi.advanceTimersByTimeAsync(120_000);
      expect(t.stopped).toEqual(["agent_gone"]);
      expect(t.tickets()).toBe(1);
    }
  });

  it("renews the session before reconnecting after SESSION_ENDED", async () => {
    const t = setup();
    t.connection.start();
    await vi.advanceTimersByTimeAsync(0);
    t.last().receive({ type: "ready", agent_id: 7 });
    expect(t.refreshSession).not.toHaveBeenCalled();
    t.last().drop(LIVE_CLOSE_CODES.SESSION_ENDED);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(t.refreshSession).toHaveBeenCalledTimes(1);
    expect(t.sockets).toHaveLength(2);
    t.connection.stop();
  });

  it("pings, and drops a silent socket for a new one", async () => {
    const t = setup();
    t.connection.start();
    await vi.advanceTimersByTimeAsync(0);
    const first = t.last();
    first.receive({ type: "ready", agent_id: 7 });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(first.sent.map((s) => JSON.parse(s).type)).toEqual(["ping"]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(first.closed).toBe(1000);
    expect(t.views.at(-1)).toBe("reconnecting");
    // Whatever the dropped socket says now is ignored.
    first.receive({ type: "sample", agent_id: 7, sample: sample(5) });
    first.drop(1006);
    expect(t.samples).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(t.sockets).toHaveLength(2);
    t.connection.stop();
  });

  it("closes its socket and schedules nothing after stop", async () => {
    const t = setup();
    t.connection.start();
    await vi.advanceTimersByTimeAsync(0);
    t.last().receive({ type: "ready", agent_id: 7 });
    t.connection.stop();
    expect(t.last().closed).toBe(1000);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(t.tickets()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
