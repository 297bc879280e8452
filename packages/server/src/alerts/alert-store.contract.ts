/** The contract every AlertStore adapter must pass, written against the port alone so each backend runs the same suite. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { firedMessage, resolvedMessage } from "./messages.js";
import {
  NO_CHANNELS,
  type AlertEventFilter,
  type AlertEventRecord,
  type AlertRuleRecord,
  type AlertStore,
  type ChannelSettings,
  type DeliveryUpdate,
  type NewAlertEvent,
  type NewAlertRule,
  type NewDelivery,
} from "./ports.js";
import { initialAlertState, type AlertState } from "./state-machine.js";

/** A fresh, empty store, with a way to make the users and agents its records belong to, and to remove agents. */
export interface AlertStoreFixture {
  store: AlertStore;
  createUser(): Promise<number>;
  createAgent(userId: number): Promise<number>;
  deleteAgent(userId: number, id: number): Promise<void>;
  close(): Promise<void>;
}

const MINUTE = 60_000;
/** 2026-03-10T10:00:00Z. */
const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
/** An id no adapter will ever have handed out in a fresh store (fits a 32-bit key). */
const NEVER = 2_000_000_000;

const newRule = (userId: number, overrides: Partial<NewAlertRule> = {}): NewAlertRule => ({
  userId,
  name: "CPU high",
  agentId: null,
  metric: "cpu",
  operator: ">",
  threshold: 90,
  mountpoint: null,
  durationS: 60,
  cooldownS: 300,
  enabled: true,
  ...overrides,
});

/** A state with every field set, the kind a firing alert leaves behind. */
const firingState = (at: number): AlertState => ({
  phase: "firing",
  observedAt: at,
  pendingSince: at - MINUTE,
  firingSince: at,
  lastNotifiedAt: at + 17,
  notified: true,
  value: 97.25,
  mountpoint: "/mnt/Data «ü»",
});

const newEvent = (userId: number, ruleId: number, agentId: number, overrides: Partial<NewAlertEvent> = {}): NewAlertEvent => ({
  userId,
  ruleId,
  ruleName: "CPU high",
  agentId,
  agentName: "web-1",
  metric: "cpu",
  operator: ">",
  threshold: 90,
  value: 97.25,
  mountpoint: null,
  state: "firing",
  message: "🚨 Alert for web-1",
  delivery: "no_channel",
  at: T0,
  ...overrides,
});

const newDelivery = (userId: number, channel: NewDelivery["channel"], createdAt: number, agentId = 1): NewDelivery => ({
  userId,
  channel,
  createdAt,
  message: firedMessage({
    agentId,
    agentName: "web <1> & \"two\"",
    ruleId: 1,
    ruleName: "CPU high",
    metric: "cpu",
    operator: ">",
    threshold: 90,
    value: 97.25,
    mountpoint: null,
    at: createdAt,
    durationS: 90,
  }),
});

const finished = (status: "sent" | "failed", at: number, attempts = 1, lastError: string | null = null): DeliveryUpdate => ({
  status,
  attempts,
  firstTriedAt: at,
  nextAttemptAt: at,
  lastError,
  finishedAt: at,
});

const page = (overrides: Partial<AlertEventFilter> = {}): AlertEventFilter => ({ sort: "newest", limit: 1000, offset: 0, ...overrides });
const byRuleAndAgent = <T extends { ruleId: number; agentId: number }>(list: T[]) =>
  [...list].sort((a, b) => a.ruleId - b.ruleId || a.agentId - b.agentId);

export function describeAlertStoreContract(name: string, factory: () => Promise<AlertStoreFixture>): void {
  describe(`AlertStore contract: ${name}`, () => {
    let fixture: AlertStoreFixture;
    let store: AlertStore;
    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.close();
    });

    /** Records a transition that must not be skipped and returns what it wrote. */
    async function record(event: NewAlertEvent, channels: NewDelivery["channel"][] = [], state: AlertState = firingState(event.at)) {
      const deliveries = channels.map((channel) => newDelivery(event.userId, channel, event.at, event.agentId));
      const result = await store.recordTransition({
        state: { ruleId: event.ruleId, agentId: event.agentId, state },
        event: { ...event, delivery: deliveries.length > 0 ? "pending" : event.delivery },
        deliveries,
      });
      expect(result).toBeDefined();
      return result!;
    }
    const eventsOf = async (userId: number) => (await store.listEvents(userId, page({ sort: "oldest" }))).items;
    const eventById = async (userId: number, id: number) => (await eventsOf(userId)).find((e) => e.id === id);

    describe("rules", () => {
      let alice: number;
      let bob: number;
      let agent: number;
      beforeEach(async () => {
        alice = await fixture.createUser();
        bob = await fixture.createUser();
        agent = await fixture.createAgent(alice);
      });

      it("reads a created rule back with every field, including fractions, nulls and false", async () => {
        const input = newRule(alice, { name: "Disk «data» full", agentId: agent, metric: "disk", operator: ">=", threshold: 85.125, mountpoint: "/mnt/My Disk", durationS: 0, cooldownS: 0, enabled: false });
        const created = await store.createRule(input, T0);
        expect(created).toEqual({ ...input, id: expect.any(Number), createdAt: T0, updatedAt: T0 });
        expect(await store.getRule(alice, created.id)).toEqual(created);

        const everyAgent = await store.createRule(newRule(alice, { metric: "offline", threshold: 0 }), T0 + 1);
        expect(everyAgent).toMatchObject({ agentId: null, mountpoint: null, enabled: true, threshold: 0, createdAt: T0 + 1 });
        expect(await store.listRules(alice)).toEqual([created, everyAgent]);
      });

      it("lists and counts each owner's rules, oldest first, and no one else's", async () => {
        const ids: number[] = [];
        for (let i = 0; i < 3; i++) ids.push((await store.createRule(newRule(alice, { name: `rule ${i}` }), T0 + i)).id);
        const bobs = await store.createRule(newRule(bob), T0);

        expect((await store.listRules(alice)).map((r) => [r.id, r.name])).toEqual(ids.map((id, i) => [id, `rule ${i}`]));
        expect(await store.listRules(bob)).toEqual([bobs]);
        expect(await store.countRules(alice)).toBe(3);
        expect(await store.countRules(bob)).toBe(1);
        expect(await store.countRules(await fixture.createUser())).toBe(0);
        expect(await store.listRules(NEVER)).toEqual([]);
      });

      it("creates within a per-owner limit, also when the requests come at the same time", async () => {
        await store.createRule(newRule(alice, { name: "existing" }), T0);
        const attempts = await Promise.all(Array.from({ length: 10 }, (_, i) => store.createRuleWithinLimit(newRule(alice, { name: `race ${i}` }), T0, 4)));
        expect(attempts.filter((r) => r !== undefined)).toHaveLength(3);
        expect(await store.countRules(alice)).toBe(4);
        expect(await store.createRuleWithinLimit(newRule(alice), T0, 4)).toBeUndefined();
        // Another owner's rules do not count against Alice's limit, nor hers against theirs.
        expect(await store.createRuleWithinLimit(newRule(bob), T0, 1)).toMatchObject({ userId: bob });
        expect(await store.createRuleWithinLimit(newRule(bob), T0, 1)).toBeUndefined();
      });

      it("keeps one owner's rule out of another's reach", async () => {
        const rule = await store.createRule(newRule(alice), T0);

        expect(await store.getRule(bob, rule.id)).toBeUndefined();
        expect(await store.updateRule(bob, rule.id, { name: "mine now", enabled: false }, T0 + 1)).toBeUndefined();
        expect(await store.deleteRule(bob, rule.id)).toBe(false);
        expect(await store.getRule(alice, rule.id)).toEqual(rule);

        expect(await store.getRule(alice, NEVER)).toBeUndefined();
        expect(await store.updateRule(alice, NEVER, { name: "x" }, T0 + 1)).toBeUndefined();
        expect(await store.deleteRule(alice, NEVER)).toBe(false);
      });

      it("updates only the given fields, can set them to null, 0 or false, and moves updatedAt", async () => {
        const rule = await store.createRule(newRule(alice, { agentId: agent, metric: "disk", mountpoint: "/", threshold: 80 }), T0);

        const updated = await store.updateRule(alice, rule.id, { agentId: null, mountpoint: null, threshold: 95.5, cooldownS: 0, enabled: false }, T0 + MINUTE);
        const expected: AlertRuleRecord = { ...rule, agentId: null, mountpoint: null, threshold: 95.5, cooldownS: 0, enabled: false, updatedAt: T0 + MINUTE };
        expect(updated).toEqual(expected);
        expect(await store.getRule(alice, rule.id)).toEqual(expected);

        // A key present with the value undefined means "not given", as in a JSON PATCH body.
        const renamed = await store.updateRule(alice, rule.id, { name: "renamed", durationS: undefined }, T0 + 2 * MINUTE);
        expect(renamed).toEqual({ ...expected, name: "renamed", updatedAt: T0 + 2 * MINUTE });
        expect(renamed!.createdAt).toBe(T0);
      });

      it("deletes a rule once", async () => {
        const rule = await store.createRule(newRule(alice), T0);
        const kept = await store.createRule(newRule(alice, { name: "kept" }), T0);
        expect(await store.deleteRule(alice, rule.id)).toBe(true);
        expect(await store.deleteRule(alice, rule.id)).toBe(false);
        expect(await store.getRule(alice, rule.id)).toBeUndefined();
        expect(await store.listRules(alice)).toEqual([kept]);
        expect(await store.countRules(alice)).toBe(1);
      });

      it("lists every user's enabled rules and no disabled one", async () => {
        const a1 = await store.createRule(newRule(alice), T0);
        await store.createRule(newRule(alice, { enabled: false }), T0);
        const b1 = await store.createRule(newRule(bob, { agentId: await fixture.createAgent(bob) }), T0);
        const a2 = await store.createRule(newRule(alice, { enabled: false }), T0);

        const byId = (list: AlertRuleRecord[]) => [...list].sort((x, y) => x.id - y.id);
        expect(byId(await store.listEnabledRules())).toEqual([a1, b1]);
        const enabled = await store.updateRule(alice, a2.id, { enabled: true }, T0 + 1);
        await store.updateRule(alice, a1.id, { enabled: false }, T0 + 1);
        expect(byId(await store.listEnabledRules())).toEqual([b1, enabled]);
      });
    });

    describe("states", () => {
      let user: number;
      let agentA: number;
      let agentB: number;
      let rule1: number;
      let rule2: number;
      beforeEach(async () => {
        user = await fixture.createUser();
        agentA = await fixture.createAgent(user);
        agentB = await fixture.createAgent(user);
        rule1 = (await store.createRule(newRule(user), T0)).id;
        rule2 = (await store.createRule(newRule(user), T0)).id;
      });

      it("load what was saved, equal after the round trip", async () => {
        expect(await store.loadStates()).toEqual([]);
        const entries = [
          { ruleId: rule1, agentId: agentA, state: firingState(T0) },
          { ruleId: rule1, agentId: agentB, state: initialAlertState() },
          { ruleId: rule2, agentId: agentA, state: { ...initialAlertState(), phase: "pending" as const, observedAt: T0, pendingSince: T0, value: 0 } },
        ];
        await store.saveStates(entries);
        expect(byRuleAndAgent(await store.loadStates())).toEqual(byRuleAndAgent(entries));
        await store.saveStates([]);
        expect(await store.loadStates()).toHaveLength(3);
      });

      it("replace the state of a (rule, agent) pair and keep one entry for it", async () => {
        await store.saveStates([{ ruleId: rule1, agentId: agentA, state: initialAlertState() }]);
        await store.saveStates([{ ruleId: rule1, agentId: agentA, state: firingState(T0) }]);
        // The last of two entries for one pair in a batch wins.
        await store.saveStates([
          { ruleId: rule2, agentId: agentA, state: firingState(T0) },
          { ruleId: rule2, agentId: agentA, state: initialAlertState() },
        ]);
        expect(byRuleAndAgent(await store.loadStates())).toEqual([
          { ruleId: rule1, agentId: agentA, state: firingState(T0) },
          { ruleId: rule2, agentId: agentA, state: initialAlertState() },
        ]);
      });

      it("skip entries whose rule or agent is gone, silently, and keep the rest of the batch", async () => {
        const gone = (await store.createRule(newRule(user), T0)).id;
        await store.deleteRule(user, gone);
        const goneAgent = await fixture.createAgent(user);
        await fixture.deleteAgent(user, goneAgent);

        await store.saveStates([
          { ruleId: NEVER, agentId: agentA, state: firingState(T0) },
          { ruleId: gone, agentId: agentA, state: firingState(T0) },
          { ruleId: rule1, agentId: agentA, state: firingState(T0) },
          { ruleId: rule1, agentId: goneAgent, state: firingState(T0) },
          { ruleId: rule1, agentId: NEVER, state: firingState(T0) },
        ]);
        expect(await store.loadStates()).toEqual([{ ruleId: rule1, agentId: agentA, state: firingState(T0) }]);
      });

      it("are forgotten for a rule, for every agent or one", async () => {
        const all = [rule1, rule2].flatMap((ruleId) => [agentA, agentB].map((agentId) => ({ ruleId, agentId, state: firingState(T0 + ruleId) })));
        await store.saveStates(all);

        await store.deleteStates(rule1, agentB);
        expect(byRuleAndAgent(await store.loadStates())).toEqual(byRuleAndAgent(all.filter((e) => !(e.ruleId === rule1 && e.agentId === agentB))));
        await store.deleteStates(rule2);
        expect(await store.loadStates()).toEqual([{ ruleId: rule1, agentId: agentA, state: firingState(T0 + rule1) }]);
        await store.deleteStates(NEVER);
        await store.deleteStates(rule1, NEVER);
        expect(await store.loadStates()).toHaveLength(1);
      });

      it("go with their rule or their agent", async () => {
        await store.saveStates([rule1, rule2].flatMap((ruleId) => [agentA, agentB].map((agentId) => ({ ruleId, agentId, state: initialAlertState() }))));
        await store.deleteRule(user, rule1);
        await fixture.deleteAgent(user, agentB);
        expect(await store.loadStates()).toEqual([{ ruleId: rule2, agentId: agentA, state: initialAlertState() }]);
      });
    });

    describe("channels", () => {
      it("are NO_CHANNELS until saved, as a copy the caller may change", async () => {
        const user = await fixture.createUser();
        const first = await store.getChannels(user);
        expect(first).toEqual(NO_CHANNELS);
        first.telegram.enabled = true;
        first.webhook.url = "https://changed.example";
        expect(await store.getChannels(user)).toEqual({
          telegram: { chatId: "", enabled: false },
          webhook: { url: "", secretSealed: null, enabled: false },
        });
        expect(NO_CHANNELS.webhook.url).toBe("");
      });

      it("read back what was saved last, per user", async () => {
        const alice = await fixture.createUser();
        const bob = await fixture.createUser();
        const saved: ChannelSettings = {
          telegram: { chatId: "-1001234567890", enabled: true },
          webhook: { url: "https://hooks.example/alerts?x=1", secretSealed: "v1.nonce.sealed==", enabled: false },
        };
        await store.saveChannels(alice, saved, T0);
        expect(await store.getChannels(alice)).toEqual(saved);
        expect(await store.getChannels(bob)).toEqual(NO_CHANNELS);

        const replaced: ChannelSettings = {
          telegram: { chatId: "@my_channel", enabled: false },
          webhook: { url: "http://10.0.0.1/hook", secretSealed: null, enabled: true },
        };
        await store.saveChannels(alice, replaced, T0 + 1);
        await store.saveChannels(bob, saved, T0 + 1);
        expect(await store.getChannels(alice)).toEqual(replaced);
        expect(await store.getChannels(bob)).toEqual(saved);
      });
    });

    describe("recordTransition", () => {
      let user: number;
      let agent: number;
      let rule: AlertRuleRecord;
      beforeEach(async () => {
        user = await fixture.createUser();
        agent = await fixture.createAgent(user);
        rule = await store.createRule(newRule(user, { agentId: agent }), T0);
      });

      it("saves the state, appends the event and queues its deliveries, linked, and returns them", async () => {
        const event = newEvent(user, rule.id, agent, { delivery: "pending", mountpoint: "/", value: null });
        const deliveries = [newDelivery(user, "telegram", T0 + 5, agent), newDelivery(user, "webhook", T0 + 5, agent)];
        const result = await store.recordTransition({ state: { ruleId: rule.id, agentId: agent, state: firingState(T0) }, event, deliveries });

        expect(result).toBeDefined();
        const { event: recorded, deliveries: queued } = result!;
        expect(recorded).toEqual({
          ...event,
          id: expect.any(Number),
          deliveries: [
            { channel: "telegram", status: "pending", attempts: 0, lastError: null },
            { channel: "webhook", status: "pending", attempts: 0, lastError: null },
          ],
        });
        expect(queued).toEqual(
          deliveries.map((d) => ({
            ...d,
            id: expect.any(Number),
            eventId: recorded.id,
            status: "pending",
            attempts: 0,
            firstTriedAt: null,
            nextAttemptAt: T0 + 5,
            lastError: null,
            finishedAt: null,
          })),
        );
        expect(queued[0]!.id).toBeLessThan(queued[1]!.id);

        expect(await store.loadStates()).toEqual([{ ruleId: rule.id, agentId: agent, state: firingState(T0) }]);
        expect(await eventsOf(user)).toEqual([recorded]);
        expect(await store.pendingDeliveries()).toEqual(queued);
      });

      it("records an event without deliveries", async () => {
        const { event, deliveries } = await record(newEvent(user, rule.id, agent, { delivery: "suppressed", state: "resolved" }), [], initialAlertState());
        expect(deliveries).toEqual([]);
        expect(event).toMatchObject({ delivery: "suppressed", state: "resolved", ruleId: rule.id, deliveries: [] });
        expect(await eventsOf(user)).toEqual([event]);
        expect(await store.pendingDeliveries()).toEqual([]);
        expect(await store.loadStates()).toEqual([{ ruleId: rule.id, agentId: agent, state: initialAlertState() }]);
      });

      it.each(["rule", "agent"] as const)("is skipped, writing nothing, when the %s has been deleted meanwhile", async (removed) => {
        // Another agent's record under a rule for all agents shows that unrelated records stay as they were.
        const other = await fixture.createAgent(user);
        const everyAgent = await store.createRule(newRule(user), T0);
        const kept = await record(newEvent(user, everyAgent.id, other), ["webhook"]);
        if (removed === "rule") expect(await store.deleteRule(user, rule.id)).toBe(true);
        else await fixture.deleteAgent(user, agent);

        const result = await store.recordTransition({
          state: { ruleId: rule.id, agentId: agent, state: firingState(T0) },
          event: newEvent(user, rule.id, agent, { delivery: "pending" }),
          deliveries: [newDelivery(user, "telegram", T0)],
        });
        expect(result).toBeUndefined();
        expect(await eventsOf(user)).toEqual([kept.event]);
        expect(await store.pendingDeliveries()).toEqual(kept.deliveries);
        expect(await store.loadStates()).toEqual([{ ruleId: everyAgent.id, agentId: other, state: firingState(T0) }]);
      });

      it("is skipped for a rule or agent that never existed", async () => {
        const state = firingState(T0);
        expect(await store.recordTransition({ state: { ruleId: NEVER, agentId: agent, state }, event: newEvent(user, NEVER, agent), deliveries: [] })).toBeUndefined();
        expect(await store.recordTransition({ state: { ruleId: rule.id, agentId: NEVER, state }, event: newEvent(user, rule.id, NEVER), deliveries: [] })).toBeUndefined();
        expect(await eventsOf(user)).toEqual([]);
        expect(await store.loadStates()).toEqual([]);
      });

      it("writes nothing when any part fails", async () => {
        await store.saveStates([{ ruleId: rule.id, agentId: agent, state: initialAlertState() }]);
        const broken = { ...newDelivery(user, "webhook", T0), createdAt: NaN };
        await expect(
          store.recordTransition({
            state: { ruleId: rule.id, agentId: agent, state: firingState(T0) },
            event: newEvent(user, rule.id, agent, { delivery: "pending" }),
            deliveries: [newDelivery(user, "telegram", T0), broken],
          }),
        ).rejects.toThrow();

        expect(await eventsOf(user)).toEqual([]);
        expect(await store.pendingDeliveries()).toEqual([]);
        expect(await store.loadStates()).toEqual([{ ruleId: rule.id, agentId: agent, state: initialAlertState() }]);
      });

      it("keeps a message exactly, whatever it holds", async () => {
        const message = resolvedMessage({ agentId: agent, agentName: "😀 </b> \\ \"quoted\" \n\t end", metric: "offline", operator: ">", threshold: 0, value: null, at: T0 });
        const result = await store.recordTransition({
          state: { ruleId: rule.id, agentId: agent, state: initialAlertState() },
          event: newEvent(user, rule.id, agent, { state: "resolved", delivery: "pending", message: message.text }),
          deliveries: [{ userId: user, channel: "webhook", message, createdAt: T0 }],
        });
        expect(result!.deliveries[0]!.message).toEqual(message);
        expect((await store.pendingDeliveries())[0]!.message).toEqual(message);
        expect((await eventsOf(user))[0]!.message).toBe(message.text);
      });
    });

    describe("listEvents", () => {
      interface Seeded {
        i: number;
        id: number;
        agentId: number;
        metric: "cpu" | "memory";
        state: "firing" | "resolved";
        at: number;
      }
      let alice: number;
      let bob: number;
      let a1: number;
      let a2: number;
      let bobsAgent: number;
      let seeded: Seeded[];

      /**
       * 25 events of alice: even i on a1 (13), odd on a2 (12); memory when i % 3 == 0 (9), else cpu;
       * firing when i % 5 < 2 (10); two events per minute, so every minute but the last has a tie
       * that the id must break. Inserted out of order, so ids do not follow time. Bob has 3 more.
       */
      beforeEach(async () => {
        alice = await fixture.createUser();
        bob = await fixture.createUser();
        a1 = await fixture.createAgent(alice);
        a2 = await fixture.createAgent(alice);
        bobsAgent = await fixture.createAgent(bob);
        const rule = await store.createRule(newRule(alice), T0);
        const bobsRule = await store.createRule(newRule(bob), T0);
        seeded = [];
        for (let k = 0; k < 25; k++) {
          const i = (k * 7) % 25;
          const fields = {
            agentId: i % 2 === 0 ? a1 : a2,
            metric: i % 3 === 0 ? ("memory" as const) : ("cpu" as const),
            state: i % 5 < 2 ? ("firing" as const) : ("resolved" as const),
            at: T0 + Math.floor(i / 2) * MINUTE,
          };
          const { event } = await record(newEvent(alice, rule.id, fields.agentId, { ...fields, message: `event ${i}` }));
          seeded.push({ i, id: event.id, ...fields });
        }
        for (let i = 0; i < 3; i++) await record(newEvent(bob, bobsRule.id, bobsAgent, { at: T0 + i * MINUTE }));
      });

      /** The ids the filter should give, worked out from the seed with plain array operations. */
      function expectedIds(filter: AlertEventFilter): number[] {
        const matching = seeded.filter(
          (e) =>
            (filter.agentId === undefined || e.agentId === filter.agentId) &&
            (filter.metric === undefined || e.metric === filter.metric) &&
            (filter.state === undefined || e.state === filter.state) &&
            (filter.from === undefined || e.at >= filter.from) &&
            (filter.to === undefined || e.at < filter.to),
        );
        const direction = filter.sort === "newest" ? -1 : 1;
        matching.sort((x, y) => direction * (x.at - y.at || x.id - y.id));
        return matching.slice(filter.offset, filter.offset + filter.limit).map((e) => e.id);
      }
      const idsOf = (items: AlertEventRecord[]) => items.map((e) => e.id);

      it.each([
        { name: "no filter", filter: {}, total: 25 },
        { name: "one agent", filter: { agent: "a1" }, total: 13 },
        { name: "the other agent", filter: { agent: "a2" }, total: 12 },
        { name: "a metric", filter: { metric: "memory" as const }, total: 9 },
        { name: "a state", filter: { state: "firing" as const }, total: 10 },
        { name: "from, inclusive", filter: { from: T0 + 5 * MINUTE }, total: 15 },
        { name: "to, exclusive", filter: { to: T0 + 5 * MINUTE }, total: 10 },
        { name: "one minute", filter: { from: T0 + 2 * MINUTE, to: T0 + 3 * MINUTE }, total: 2 },
        { name: "an empty range", filter: { from: T0 + 2 * MINUTE, to: T0 + 2 * MINUTE }, total: 0 },
        { name: "agent, metric and state together", filter: { agent: "a2", metric: "cpu" as const, state: "resolved" as const }, total: 5 },
        { name: "everything at once", filter: { agent: "a1", metric: "cpu" as const, state: "resolved" as const, from: T0 + MINUTE, to: T0 + 10 * MINUTE }, total: 4 },
      ])("filters by $name, in both orders", async ({ filter: { agent, ...rest }, total }) => {
        const base = { ...rest, ...(agent ? { agentId: agent === "a1" ? a1 : a2 } : {}) };
        for (const sort of ["newest", "oldest"] as const) {
          const filter = page({ ...base, sort });
          const result = await store.listEvents(alice, filter);
          expect(result.total).toBe(total);
          expect(idsOf(result.items)).toEqual(expectedIds(filter));
          expect(result.items).toHaveLength(total);
        }
      });

      it("sorts by time, ties by id, newest or oldest first", async () => {
        const newest = (await store.listEvents(alice, page({ sort: "newest" }))).items;
        const oldest = (await store.listEvents(alice, page({ sort: "oldest" }))).items;
        expect(idsOf(newest)).toEqual(idsOf(oldest).reverse());
        expect(newest[0]!.message).toBe("event 24");
        expect(newest[0]!.at).toBe(T0 + 12 * MINUTE);
        const firstMinute = seeded.filter((e) => e.i < 2).map((e) => e.id).sort((x, y) => x - y);
        expect(idsOf(oldest.slice(0, 2))).toEqual(firstMinute);
        expect(oldest.map((e) => e.at)).toEqual([...oldest.map((e) => e.at)].sort((x, y) => x - y));
      });

      it("pages with limit and offset and always gives the total", async () => {
        for (const sort of ["newest", "oldest"] as const) {
          const pages = [];
          for (const offset of [0, 10, 20]) {
            const result = await store.listEvents(alice, page({ sort, limit: 10, offset }));
            expect(result.total).toBe(25);
            expect(idsOf(result.items)).toEqual(expectedIds(page({ sort, limit: 10, offset })));
            pages.push(...idsOf(result.items));
          }
          expect(pages).toEqual(expectedIds(page({ sort })));
          expect(await store.listEvents(alice, page({ sort, limit: 10, offset: 25 }))).toEqual({ total: 25, items: [] });
          const filtered = await store.listEvents(alice, page({ sort, agentId: a2, limit: 5, offset: 10 }));
          expect(filtered.total).toBe(12);
          expect(idsOf(filtered.items)).toEqual(expectedIds(page({ sort, agentId: a2, limit: 5, offset: 10 })));
          expect(filtered.items).toHaveLength(2);
        }
      });

      it("never shows another user's events", async () => {
        expect((await store.listEvents(alice, page())).items.every((e) => e.userId === alice)).toBe(true);
        expect(await store.listEvents(alice, page({ agentId: bobsAgent }))).toEqual({ total: 0, items: [] });
        const bobs = await store.listEvents(bob, page({ sort: "oldest" }));
        expect(bobs.total).toBe(3);
        expect(bobs.items.map((e) => [e.userId, e.agentId, e.at])).toEqual([0, 1, 2].map((i) => [bob, bobsAgent, T0 + i * MINUTE]));
        expect(await store.listEvents(bob, page({ agentId: a1 }))).toEqual({ total: 0, items: [] });
        expect(await store.listEvents(NEVER, page())).toEqual({ total: 0, items: [] });
      });

      it("gives each event its own deliveries, in the order they were queued", async () => {
        const rule = await store.createRule(newRule(alice), T0);
        const at = T0 + 100 * MINUTE;
        const both = await record(newEvent(alice, rule.id, a1, { at }), ["telegram", "webhook"]);
        const one = await record(newEvent(alice, rule.id, a2, { at: at + 1 }), ["webhook"]);
        await store.updateDelivery(both.deliveries[1]!.id, finished("failed", at + 5, 3, "HTTP 500"));

        const { items } = await store.listEvents(alice, page({ limit: 3 }));
        expect(items.map((e) => [e.id, e.deliveries])).toEqual([
          [one.event.id, [{ channel: "webhook", status: "pending", attempts: 0, lastError: null }]],
          [
            both.event.id,
            [
              { channel: "telegram", status: "pending", attempts: 0, lastError: null },
              { channel: "webhook", status: "failed", attempts: 3, lastError: "HTTP 500" },
            ],
          ],
          [expectedIds(page({ limit: 1 }))[0], []],
        ]);
      });
    });

    describe("deliveries", () => {
      let user: number;
      let agent: number;
      let ruleId: number;
      beforeEach(async () => {
        user = await fixture.createUser();
        agent = await fixture.createAgent(user);
        ruleId = (await store.createRule(newRule(user), T0)).id;
      });

      it("are pending oldest (first queued) first, whatever their times", async () => {
        const first = await record(newEvent(user, ruleId, agent, { at: T0 + MINUTE }), ["telegram", "webhook"]);
        const second = await record(newEvent(user, ruleId, agent, { at: T0 }), ["webhook"]);
        const third = await record(newEvent(user, ruleId, agent, { at: T0 + 2 * MINUTE }), ["telegram"]);
        const queued = [...first.deliveries, ...second.deliveries, ...third.deliveries];
        expect(await store.pendingDeliveries()).toEqual(queued);

        await store.updateDelivery(first.deliveries[1]!.id, finished("sent", T0 + 3 * MINUTE));
        expect((await store.pendingDeliveries()).map((d) => d.id)).toEqual([queued[0]!.id, queued[2]!.id, queued[3]!.id]);
      });

      it("record each attempt exactly and stay pending until finished", async () => {
        const { deliveries } = await record(newEvent(user, ruleId, agent), ["webhook"]);
        const retry: DeliveryUpdate = { status: "pending", attempts: 2, firstTriedAt: T0 + 1, nextAttemptAt: T0 + 90_000, lastError: "timeout after 10 s", finishedAt: null };
        await store.updateDelivery(deliveries[0]!.id, retry);
        expect(await store.pendingDeliveries()).toEqual([{ ...deliveries[0]!, ...retry }]);
        await store.updateDelivery(NEVER, finished("sent", T0));
        expect(await store.pendingDeliveries()).toHaveLength(1);
      });

      it("give their event its overall status: pending while any is, then failed if any failed, else sent", async () => {
        const failing = await record(newEvent(user, ruleId, agent), ["telegram", "webhook"]);
        const [telegram, webhook] = failing.deliveries;
        const status = async (eventId: number) => (await eventById(user, eventId))!.delivery;
        expect(await status(failing.event.id)).toBe("pending");

        await store.updateDelivery(telegram!.id, finished("sent", T0 + 1));
        expect(await status(failing.event.id)).toBe("pending");
        await store.updateDelivery(webhook!.id, { status: "pending", attempts: 1, firstTriedAt: T0 + 1, nextAttemptAt: T0 + 30_000, lastError: "HTTP 502", finishedAt: null });
        expect(await status(failing.event.id)).toBe("pending");
        await store.updateDelivery(webhook!.id, finished("failed", T0 + 2, 5, "HTTP 502"));
        expect(await status(failing.event.id)).toBe("failed");
        expect((await eventById(user, failing.event.id))!.deliveries).toEqual([
          { channel: "telegram", status: "sent", attempts: 1, lastError: null },
          { channel: "webhook", status: "failed", attempts: 5, lastError: "HTTP 502" },
        ]);

        const succeeding = await record(newEvent(user, ruleId, agent, { at: T0 + MINUTE }), ["telegram", "webhook"]);
        await store.updateDelivery(succeeding.deliveries[1]!.id, finished("sent", T0 + 3));
        expect(await status(succeeding.event.id)).toBe("pending");
        await store.updateDelivery(succeeding.deliveries[0]!.id, finished("sent", T0 + 4));
        expect(await status(succeeding.event.id)).toBe("sent");
        // A failure does not decide while another delivery is still being tried.
        const mixed = await record(newEvent(user, ruleId, agent, { at: T0 + 2 * MINUTE }), ["telegram", "webhook"]);
        await store.updateDelivery(mixed.deliveries[0]!.id, finished("failed", T0 + 5, 5, "chat not found"));
        expect(await status(mixed.event.id)).toBe("pending");
        await store.updateDelivery(mixed.deliveries[1]!.id, finished("sent", T0 + 6));
        expect(await status(mixed.event.id)).toBe("failed");
        // Each event is judged on its own deliveries.
        expect(await status(failing.event.id)).toBe("failed");
        expect(await status(succeeding.event.id)).toBe("sent");
      });
    });

    describe("clearing and pruning", () => {
      let alice: number;
      let bob: number;
      let agent: number;
      let bobsAgent: number;
      let rule: number;
      let bobsRule: number;
      beforeEach(async () => {
        alice = await fixture.createUser();
        bob = await fixture.createUser();
        agent = await fixture.createAgent(alice);
        bobsAgent = await fixture.createAgent(bob);
        rule = (await store.createRule(newRule(alice), T0)).id;
        bobsRule = (await store.createRule(newRule(bob), T0)).id;
      });

      it("clearEvents removes only the user's events; their queued deliveries still go out", async () => {
        const queued = await record(newEvent(alice, rule, agent), ["telegram", "webhook"]);
        await record(newEvent(alice, rule, agent, { at: T0 + 1 }));
        const bobs = await record(newEvent(bob, bobsRule, bobsAgent), ["webhook"]);

        expect(await store.clearEvents(alice)).toBe(2);
        expect(await store.listEvents(alice, page())).toEqual({ total: 0, items: [] });
        expect(await eventsOf(bob)).toEqual([bobs.event]);
        const orphans = queued.deliveries.map((d) => ({ ...d, eventId: null }));
        expect(await store.pendingDeliveries()).toEqual([...orphans, ...bobs.deliveries]);

        // An orphan can still be finished; there is no event left to update.
        await store.updateDelivery(orphans[0]!.id, finished("sent", T0 + 2));
        expect((await store.pendingDeliveries()).map((d) => d.id)).toEqual([orphans[1]!.id, bobs.deliveries[0]!.id]);
        expect(await store.clearEvents(alice)).toBe(0);
        expect(await eventsOf(bob)).toEqual([bobs.event]);
      });

      it("pruneEvents removes events older than the cutoff, every user's, at most limit per call", async () => {
        for (let i = 0; i < 6; i++) await record(newEvent(alice, rule, agent, { at: T0 + i * MINUTE }));
        for (let i = 0; i < 4; i++) await record(newEvent(bob, bobsRule, bobsAgent, { at: T0 + i * MINUTE + 30_000 }));
        const cutoff = T0 + 3 * MINUTE;

        const counts = [];
        for (let call = 0; call < 4; call++) counts.push(await store.pruneEvents(cutoff, 4));
        expect(counts).toEqual([4, 2, 0, 0]);
        // The event exactly at the cutoff stays.
        expect((await eventsOf(alice)).map((e) => e.at)).toEqual([3, 4, 5].map((i) => T0 + i * MINUTE));
        expect((await eventsOf(bob)).map((e) => e.at)).toEqual([T0 + 3 * MINUTE + 30_000]);
      });

      it("pruneEvents removes finished deliveries older than the cutoff, never pending ones", async () => {
        const old = await record(newEvent(alice, rule, agent, { at: T0 }), ["telegram"]);
        // A recent event whose deliveries finished before the cutoff: their removal shows in its summaries.
        const recent = await record(newEvent(alice, rule, agent, { at: T0 + 10 * MINUTE }), ["telegram", "webhook", "telegram"]);
        const [sent, failed, pending] = recent.deliveries;
        await store.updateDelivery(sent!.id, finished("sent", T0 + MINUTE));
        await store.updateDelivery(failed!.id, finished("failed", T0 + 2 * MINUTE, 5, "HTTP 500"));
        const lateFinish = await record(newEvent(alice, rule, agent, { at: T0 + 11 * MINUTE }), ["webhook"]);
        await store.updateDelivery(lateFinish.deliveries[0]!.id, finished("sent", T0 + 5 * MINUTE));
        const cutoff = T0 + 5 * MINUTE;

        expect(await store.pruneEvents(cutoff, 1)).toBe(1);
        expect((await eventById(alice, recent.event.id))!.deliveries).toHaveLength(2);
        expect(await store.pruneEvents(cutoff, 1)).toBe(0);
        expect(await store.pruneEvents(cutoff, 1)).toBe(0);

        expect((await eventsOf(alice)).map((e) => e.id)).toEqual([recent.event.id, lateFinish.event.id]);
        expect((await eventById(alice, recent.event.id))!.deliveries).toEqual([{ channel: "telegram", status: "pending", attempts: 0, lastError: null }]);
        expect((await eventById(alice, lateFinish.event.id))!.deliveries).toEqual([{ channel: "webhook", status: "sent", attempts: 1, lastError: null }]);
        // The old event's message was never sent: it survives its event.
        expect(await store.pendingDeliveries()).toEqual([{ ...old.deliveries[0]!, eventId: null }, pending]);
      });
    });

    describe("deleting what events refer to", () => {
      let user: number;
      let agent: number;
      let other: number;
      beforeEach(async () => {
        user = await fixture.createUser();
        agent = await fixture.createAgent(user);
        other = await fixture.createAgent(user);
      });

      it("a deleted rule's events stay, with ruleId null and everything else as it was", async () => {
        const rule = await store.createRule(newRule(user, { name: "gone soon" }), T0);
        const kept = await store.createRule(newRule(user), T0);
        const a = await record(newEvent(user, rule.id, agent, { ruleName: "gone soon" }), ["webhook"]);
        const b = await record(newEvent(user, kept.id, agent, { at: T0 + 1 }));

        expect(await store.deleteRule(user, rule.id)).toBe(true);
        expect(await eventsOf(user)).toEqual([{ ...a.event, ruleId: null }, b.event]);
        expect(await store.pendingDeliveries()).toEqual(a.deliveries);
        expect(await store.loadStates()).toEqual([{ ruleId: kept.id, agentId: agent, state: firingState(T0 + 1) }]);
      });

      it("a deleted agent takes its events, its states and the rules bound to it", async () => {
        const everyAgent = await store.createRule(newRule(user), T0);
        const bound = await store.createRule(newRule(user, { agentId: agent }), T0);
        const boundToOther = await store.createRule(newRule(user, { agentId: other }), T0);
        await record(newEvent(user, everyAgent.id, agent), ["telegram"]);
        await record(newEvent(user, bound.id, agent, { at: T0 + 1 }));
        const stays = await record(newEvent(user, everyAgent.id, other, { at: T0 + 2 }));
        const staysToo = await record(newEvent(user, boundToOther.id, other, { at: T0 + 3 }));

        await fixture.deleteAgent(user, agent);
        expect(await eventsOf(user)).toEqual([stays.event, staysToo.event]);
        expect(await store.listEvents(user, page({ agentId: agent }))).toEqual({ total: 0, items: [] });
        expect(byRuleAndAgent(await store.loadStates())).toEqual(
          byRuleAndAgent([
            { ruleId: everyAgent.id, agentId: other, state: firingState(T0 + 2) },
            { ruleId: boundToOther.id, agentId: other, state: firingState(T0 + 3) },
          ]),
        );
        expect((await store.listRules(user)).map((r) => r.id)).toEqual([everyAgent.id, boundToOther.id]);
      });
    });
  });
}
