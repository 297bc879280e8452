/**
 * The delivery queue over a real SQLite store on a manual clock, with a scripted far side: lanes are
 * ordered and independent, final failures move on, retries back off, and a day of failures gives up.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteAlertStore } from "../adapters/sqlite/alert-store.js";
import { ManualClock } from "../core/clock.js";
import { createLogger } from "../core/logger.js";
import { openSqliteFixture, type SqliteFixture } from "../test-support/sqlite-fixture.js";
import type { DeliveryResult } from "./channels/channel.js";
import { DeliveryDispatcher } from "./dispatcher.js";
import { testMessage } from "./messages.js";
import type { DeliveryRecord } from "./ports.js";
import { initialAlertState } from "./state-machine.js";

const logger = createLogger({ level: "silent" });

describe("DeliveryDispatcher", () => {
  let fixture: SqliteFixture;
  let store: SqliteAlertStore;
  let clock: ManualClock;
  let dispatcher: DeliveryDispatcher;
  /** What each user's far side answers next; `sent` records (user, text) in arrival order. */
  let answer: (delivery: DeliveryRecord) => DeliveryResult;
  let sent: string[];
  let ids: { user: number; agent: number; rule: number }[];

  const newDispatcher = () =>
    new DeliveryDispatcher({
      store,
      clock,
      logger,
      random: () => 0.5,
      send: async (delivery) => {
        const result = answer(delivery);
        if (result.ok) sent.push(`${delivery.userId}:${delivery.message.text}`);
        return result;
      },
    });
  /** Records an event for user `u` with one telegram delivery whose text is `text`, and queues it. */
  const queue = async (u: number, text: string) => {
    const { user, agent, rule } = ids[u]!;
    const message = { ...testMessage(clock.now()), text };
    const saved = await store.recordTransition({
      state: { ruleId: rule, agentId: agent, state: initialAlertState() },
      event: {
        userId: user, ruleId: rule, ruleName: "r", agentId: agent, agentName: "a", metric: "cpu", operator: ">",
        threshold: 1, value: 2, mountpoint: null, state: "firing", message: text, delivery: "pending", at: clock.now(),
      },
      deliveries: [{ userId: user, channel: "telegram", message, createdAt: clock.now() }],
    });
    dispatcher.enqueue(saved!.deliveries);
    return saved!.event.id;
  };
  const eventDelivery = async (u: number) =>
    (await store.listEvents(ids[u]!.user, { sort: "oldest", limit: 100, offset: 0 })).items.map((e) => e.delivery);

  beforeEach(async () => {
    fixture = openSqliteFixture("statusmonitor-dispatch-");
    store = new SqliteAlertStore(fixture.db);
    clock = new ManualClock(Date.UTC(2026, 4, 1));
    sent = [];
    answer = () => ({ ok: true });
    ids = [];
    for (let i = 0; i < 2; i++) {
      const user = fixture.createUser();
      const agent = await fixture.createAgent(user);
      const rule = (await store.createRule({ userId: user, name: "r", agentId: agent, metric: "cpu", operator: ">", threshold: 1, mountpoint: null, durationS: 0, cooldownS: 0, enabled: true }, 0)).id;
      ids.push({ user, agent, rule });
    }
    dispatcher = newDispatcher();
    await dispatcher.start();
  });
  afterEach(async () => {
    await dispatcher.stop();
    fixture.close();
  });

  it("sends each lane in order and does not let one user's broken channel hold up another's", async () => {
    answer = (d) => (d.userId === ids[0]!.user ? { ok: false, retryable: true, error: "502" } : { ok: true });
    for (const text of ["a1", "a2", "a3"]) await queue(0, text);
    for (const text of ["b1", "b2"]) await queue(1, text);
    await dispatcher.deliverDue();
    expect(sent).toEqual([`${ids[1]!.user}:b1`, `${ids[1]!.user}:b2`]);
    expect(await eventDelivery(0)).toEqual(["pending", "pending", "pending"]);
    expect(dispatcher.backlog()).toBe(3);

    answer = () => ({ ok: true });
    clock.advance(1_000); // the first retry: 1 s (jitter is centred by random 0.5)
    await dispatcher.deliverDue();
    const u0 = ids[0]!.user;
    expect(sent.slice(2)).toEqual([`${u0}:a1`, `${u0}:a2`, `${u0}:a3`]);
    expect(await eventDelivery(0)).toEqual(["sent", "sent", "sent"]);
    expect(dispatcher.backlog()).toBe(0);
  });

  it("doubles the wait after each failure and keeps the lane's later messages behind the first", async () => {
    const attempts: number[] = [];
    answer = () => {
      attempts.push(clock.now());
      return { ok: false, retryable: true, error: "timeout" };
    };
    await queue(0, "first");
    await queue(0, "second");
    const start = clock.now();
    for (let s = 0; s < 40; s++) {
      await dispatcher.deliverDue();
      clock.advance(1_000);
    }
    expect(attempts.map((t) => (t - start) / 1000)).toEqual([0, 1, 3, 7, 15, 31]);
    expect(sent).toEqual([]);
  });

  it("moves on after a final failure and records it on the event", async () => {
    answer = (d) => (d.message.text === "bad" ? { ok: false, retryable: false, error: "Bad Request: chat not found" } : { ok: true });
    await queue(0, "bad");
    await queue(0, "good");
    await dispatcher.deliverDue();
    expect(sent).toEqual([`${ids[0]!.user}:good`]);
    const [failed, delivered] = (await store.listEvents(ids[0]!.user, { sort: "oldest", limit: 10, offset: 0 })).items;
    expect(failed).toMatchObject({ delivery: "failed", deliveries: [{ status: "failed", attempts: 1, lastError: "Bad Request: chat not found" }] });
    expect(delivered).toMatchObject({ delivery: "sent" });
  });

  it("gives up on a message after a day of failures", async () => {
    answer = () => ({ ok: false, retryable: true, error: "down" });
    await queue(0, "doomed");
    for (let minute = 0; minute <= 24 * 60; minute += 5) {
      await dispatcher.deliverDue();
      clock.advance(5 * 60_000);
    }
    await dispatcher.deliverDue();
    const [event] = (await store.listEvents(ids[0]!.user, { sort: "oldest", limit: 10, offset: 0 })).items;
    expect(event!.delivery).toBe("failed");
    expect(event!.deliveries[0]!.attempts).toBeGreaterThan(250);
    expect(dispatcher.backlog()).toBe(0);
  });

  it("resumes pending messages, with their attempt count, after a restart", async () => {
    answer = () => ({ ok: false, retryable: true, error: "down" });
    await queue(0, "survivor");
    await dispatcher.deliverDue();
    await dispatcher.stop();
    answer = () => ({ ok: true });
    dispatcher = newDispatcher();
    await dispatcher.start();
    await dispatcher.deliverDue();
    expect(sent).toEqual([]); // still waiting out its backoff
    clock.advance(1_000);
    await dispatcher.deliverDue();
    expect(sent).toEqual([`${ids[0]!.user}:survivor`]);
    const [event] = (await store.listEvents(ids[0]!.user, { sort: "oldest", limit: 10, offset: 0 })).items;
    expect(event!.deliveries[0]).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("treats a send that throws as a retryable failure", async () => {
    answer = () => {
      throw new Error("store unavailable");
    };
    await queue(0, "x");
    await dispatcher.deliverDue();
    answer = () => ({ ok: true });
    clock.advance(1_000);
    await dispatcher.deliverDue();
    expect(sent).toEqual([`${ids[0]!.user}:x`]);
  });
});
