/** Keepalive: the hub pings every socket each LIVE_PING_INTERVAL_S and drops one that stopped answering. */
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, signUp, startTestHub, waitFor, type TestHub } from "../test-support/test-hub.js";

describe("live keepalive", () => {
  let hub: TestHub;
  let ticket: () => Promise<string>;
  beforeAll(async () => {
    hub = await startTestHub({ settings: { LIVE_PING_INTERVAL_S: "1" } });
    const user = await signUp(hub.url, "pinger");
    const agent = await createAgent(user);
    ticket = async () => (await user.post("/api/v1/live/tickets", { agent_id: agent.id })).body.ticket;
  });
  afterAll(() => hub.close());

  const open = async (autoPong: boolean) => {
    const ws = new WebSocket(`${hub.url.replace("http", "ws")}/api/v1/live?ticket=${await ticket()}`, { autoPong });
    const state = { pings: 0, closed: false };
    ws.on("ping", () => state.pings++);
    ws.on("close", () => (state.closed = true));
    ws.on("error", () => undefined);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    return { ws, state };
  };

  it("keeps a socket that answers pings", async () => {
    const { ws, state } = await open(true);
    await waitFor(() => state.pings >= 3, "three pings");
    expect(state.closed).toBe(false);
    ws.close();
  });

  it("drops a socket that stops answering", async () => {
    const { state } = await open(false);
    await waitFor(() => state.pings >= 1, "the first ping");
    await waitFor(() => state.closed, "the hub to drop the silent socket");
    expect(state.closed).toBe(true);
  });
});
