/** Runs the AlertStore contract on the PostgreSQL adapter, each test in a fresh, migrated schema, plus what only concurrent writers can show. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeAlertStoreContract } from "../../alerts/alert-store.contract.js";
import { testMessage } from "../../alerts/messages.js";
import type { NewAlertEvent } from "../../alerts/ports.js";
import { initialAlertState } from "../../alerts/state-machine.js";
import { openPostgresFixture, type PostgresFixture } from "../../test-support/postgres-fixture.js";
import { postgresRecords, type PostgresRecords } from "../../test-support/postgres-records.js";
import { PostgresAlertStore } from "./alert-store.js";

describeAlertStoreContract("postgres", async () => {
  const fixture = await openPostgresFixture();
  return {
    store: new PostgresAlertStore(fixture.pool),
    ...postgresRecords(fixture.pool),
    close: () => fixture.close(),
  };
});

describe("PostgresAlertStore with concurrent writers", () => {
  const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
  const ROUNDS = 30;
  let fixture: PostgresFixture;
  let records: PostgresRecords;
  let store: PostgresAlertStore;
  let user: number;
  let agent: number;
  let ruleId: number;
  beforeEach(async () => {
    fixture = await openPostgresFixture();
    records = postgresRecords(fixture.pool);
    store = new PostgresAlertStore(fixture.pool);
    user = await records.createUser();
    agent = await records.createAgent(user);
    ruleId = (await store.createRule({ userId: user, name: "CPU high", agentId: null, metric: "cpu", operator: ">", threshold: 90, mountpoint: null, durationS: 0, cooldownS: 0, enabled: true }, T0)).id;
  });
  afterEach(async () => {
    await fixture.close();
  });

  const event = (at: number): NewAlertEvent => ({
    userId: user, ruleId, ruleName: "CPU high", agentId: agent, agentName: "web-1", metric: "cpu", operator: ">",
    threshold: 90, value: 95, mountpoint: null, state: "firing", message: "fired", delivery: "pending", at,
  });
  const sent = (at: number) => ({ status: "sent" as const, attempts: 1, firstTriedAt: at, nextAttemptAt: at, lastError: null, finishedAt: at });

  it("gives an event the right overall status when its deliveries finish at the same time", async () => {
    const recorded = [];
    for (let i = 0; i < ROUNDS; i++) {
      const at = T0 + i;
      const deliveries = (["telegram", "webhook"] as const).map((channel) => ({ userId: user, channel, message: testMessage(at), createdAt: at }));
      recorded.push((await store.recordTransition({ state: { ruleId, agentId: agent, state: initialAlertState() }, event: event(at), deliveries }))!);
    }
    // Both deliveries of each event finish at once, on two connections: each recount must see the other's outcome.
    await Promise.all(recorded.flatMap(({ deliveries }) => deliveries.map((d) => store.updateDelivery(d.id, sent(d.createdAt + 1)))));

    const { items } = await store.listEvents(user, { sort: "oldest", limit: ROUNDS, offset: 0 });
    expect(items.map((e) => e.delivery)).toEqual(recorded.map(() => "sent"));
  });

  it("neither fails nor leaves a stray row when an agent is deleted while its state and transitions are written", async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const doomed = await records.createAgent(user);
      const state = { ruleId, agentId: doomed, state: initialAlertState() };
      const writes = [
        store.saveStates([state, { ruleId, agentId: agent, state: initialAlertState() }]),
        store.recordTransition({ state, event: { ...event(T0 + i), agentId: doomed }, deliveries: [{ userId: user, channel: "webhook", message: testMessage(T0), createdAt: T0 }] }),
        records.deleteAgent(user, doomed),
      ];
      await Promise.all(writes);
    }
    expect(await store.loadStates()).toEqual([{ ruleId, agentId: agent, state: initialAlertState() }]);
    expect(await store.listEvents(user, { sort: "oldest", limit: 1, offset: 0 })).toEqual({ total: 0, items: [] });
  });
});
