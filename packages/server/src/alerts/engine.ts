/**
 * The alerts role's evaluator: keeps every enabled rule indexed by agent and owner, runs the state
 * machine on each live sample and on a periodic offline sweep, and hands transitions to the
 * incident log. States live in memory; phase changes are saved in batches and transitions with
 * their events, so a restart resumes every incident where it was.
 */
import type { AgentRecord } from "../agents/ports.js";
import { learnInterval } from "../agents/status.js";
import type { Bus, ControlEvent, SampleEnvelope, Subscription, Unsubscribe } from "../core/bus.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { observe, type RuleCondition } from "./evaluate.js";
import type { AlertRuleRecord, AlertStateEntry, AlertStore } from "./ports.js";
import { initialAlertState, step, stepOffline, type AlertState, type RuleTiming, type StepResult } from "./state-machine.js";

/** A rule as the evaluator holds it: the record plus the field names the pure functions read. */
export interface ActiveRule extends RuleCondition, RuleTiming {
  record: AlertRuleRecord;
}

/** A fired or resolved (rule, agent) pair, handed to the incident log. */
export interface Transition {
  rule: AlertRuleRecord;
  agentId: number;
  kind: "fired" | "resolved";
  notify: boolean;
  /** The state before the step (when the incident began) and after it (what is persisted). */
  before: AlertState;
  after: AlertState;
}

/** What the engine knows about an agent for offline detection, all in hub time. */
interface Presence {
  userId: number;
  lastSeenAt: number;
  intervalMs: number | null;
  newestSampleAt: number | null;
}

export interface AlertEngineDeps {
  store: AlertStore;
  bus: Bus;
  /** Every agent, to learn owners and last contact when starting (agents that never report again can still go offline). */
  listAgents: () => Promise<AgentRecord[]>;
  /** Records a transition (event, deliveries, state) and queues its messages; called in order. */
  onTransition: (transition: Transition) => Promise<void>;
  clock: Clock;
  logger: Logger;
}

const toActiveRule = (record: AlertRuleRecord): ActiveRule => ({
  record,
  metric: record.metric,
  operator: record.operator,
  threshold: record.threshold,
  mountpoint: record.mountpoint,
  duration_s: record.durationS,
  cooldown_s: record.cooldownS,
});

/** Whether an edit changes what a rule watches, so its old states no longer mean anything. */
const watchesSameThing = (a: AlertRuleRecord, b: AlertRuleRecord) =>
  a.metric === b.metric && a.agentId === b.agentId && a.mountpoint === b.mountpoint;

export class AlertEngine {
  private readonly rules = new Map<number, ActiveRule>();
  /** Rules for one agent, by agent id; rules for all of a user's agents, by user id. */
  private readonly byAgent = new Map<number, ActiveRule[]>();
  private readonly byOwner = new Map<number, ActiveRule[]>();
  private readonly states = new Map<number, Map<number, AlertState>>();
  private readonly presence = new Map<number, Presence>();
  private readonly agentsOfUser = new Map<number, Set<number>>();
  private readonly dirty = new Map<string, AlertStateEntry>();
  /** Store writes and transitions run one after another, in the order they happened. */
  private queue: Promise<void> = Promise.resolve();
  private readonly unsubscribe: Unsubscribe[] = [];
  private subscription: Subscription | undefined;

  constructor(private readonly deps: AlertEngineDeps) {}

  async start(): Promise<void> {
    const { store } = this.deps;
    for (const record of await store.listEnabledRules()) this.rules.set(record.id, toActiveRule(record));
    this.reindex();
    for (const entry of await store.loadStates()) this.stateMap(entry.ruleId).set(entry.agentId, entry.state);
    // The hub cannot know what happened while it was down: silence is counted from now at the earliest.
    const startedAt = this.deps.clock.now();
    for (const agent of await this.deps.listAgents()) {
      if (agent.lastSeen === null) continue;
      this.setPresence(agent.id, {
        userId: agent.userId,
        lastSeenAt: Math.max(agent.lastSeen, startedAt),
        intervalMs: agent.intervalMs,
        newestSampleAt: agent.newestSampleAt,
      });
    }
    this.unsubscribe.push(this.deps.bus.onControl((event) => this.onControl(event)));
    this.subscription = await this.deps.bus.subscribeSamples("alerts", (envelopes) => this.onSamples(envelopes));
  }

  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
    await this.subscription?.close();
    this.subscription = undefined;
    await this.flushStates();
  }

  /** Waits for every transition and state write queued so far (tests, shutdown). */
  settled(): Promise<void> {
    return this.queue;
  }

  /** Number of enabled rules and of (rule, agent) states held in memory. */
  size(): { rules: number; states: number } {
    let states = 0;
    for (const perAgent of this.states.values()) states += perAgent.size;
    return { rules: this.rules.size, states };
  }

  /** Evaluates live samples; back-filled ones only prove the agent is alive (they never fire for the past). */
  onSamples(envelopes: SampleEnvelope[]): void {
    const now = this.deps.clock.now();
    for (const envelope of envelopes) {
      this.notePresence(envelope, now);
      const rules = this.rulesFor(envelope.agent_id, envelope.user_id);
      for (const rule of rules) {
        if (rule.record.userId !== envelope.user_id) continue;
        if (rule.metric === "offline") {
          this.apply(rule, envelope.agent_id, (state) =>
            stepOffline(state, { lastSeenAt: now, intervalMs: null, now, sawSample: true }, rule),
          );
        } else if (!envelope.backfill) {
          this.apply(rule, envelope.agent_id, (state) => step(state, observe(rule, envelope.sample), rule, now));
        }
      }
    }
  }

  /** The periodic check of every offline rule against the silence of each agent it covers. */
  sweepOffline(): void {
    const now = this.deps.clock.now();
    for (const rule of this.rules.values()) {
      if (rule.metric !== "offline") continue;
      const { userId, agentId } = rule.record;
      const agents = agentId === null ? (this.agentsOfUser.get(userId) ?? []) : [agentId];
      for (const id of agents) {
        const presence = this.presence.get(id);
        if (!presence || presence.userId !== userId) continue;
        this.apply(rule, id, (state) =>
          stepOffline(state, { lastSeenAt: presence.lastSeenAt, intervalMs: presence.intervalMs, now, sawSample: false }, rule),
        );
      }
    }
  }

  /** Re-reads one user's rules after they changed; states of removed, disabled or re-aimed rules are forgotten. */
  async reloadRules(userId: number): Promise<void> {
    const fresh = new Map((await this.deps.store.listRules(userId)).filter((r) => r.enabled).map((r) => [r.id, r]));
    for (const [id, rule] of this.rules) {
      if (rule.record.userId !== userId) continue;
      const next = fresh.get(id);
      if (!next || !watchesSameThing(rule.record, next)) this.forgetRule(id);
      if (!next) this.rules.delete(id);
    }
    for (const record of fresh.values()) this.rules.set(record.id, toActiveRule(record));
    this.reindex(userId);
  }

  /** Saves the phase changes noted since the last call. */
  flushStates(): Promise<void> {
    return this.enqueue(async () => {
      if (this.dirty.size === 0) return;
      const entries = [...this.dirty.values()];
      this.dirty.clear();
      await this.deps.store.saveStates(entries);
    });
  }

  private apply(rule: ActiveRule, agentId: number, next: (state: AlertState) => StepResult): void {
    const states = this.stateMap(rule.record.id);
    const before = states.get(agentId) ?? initialAlertState();
    const result = next(before);
    if (result.state === before) return;
    states.set(agentId, result.state);
    const key = `${rule.record.id}:${agentId}`;
    if (result.transition) {
      this.dirty.delete(key);
      const transition: Transition = { rule: rule.record, agentId, kind: result.transition, notify: result.notify, before, after: result.state };
      void this.enqueue(() => this.deps.onTransition(transition));
    } else if (result.state.phase !== before.phase) {
      this.dirty.set(key, { ruleId: rule.record.id, agentId, state: result.state });
    }
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((err) => this.deps.logger.error({ err }, "alert state write failed"));
    return this.queue;
  }

  private onControl(event: ControlEvent): void {
    switch (event.type) {
      case "alert_rules_changed":
        void this.reloadRules(event.user_id).catch((err) => this.deps.logger.error({ err }, "reloading alert rules failed"));
        return;
      case "agent_deleted":
        this.forgetAgent(event.agent_id);
        return;
      case "user_deleted":
        for (const [id, rule] of this.rules) {
          if (rule.record.userId === event.user_id) {
            this.forgetRule(id);
            this.rules.delete(id);
          }
        }
        for (const agentId of this.agentsOfUser.get(event.user_id) ?? []) this.forgetAgent(agentId);
        this.reindex(event.user_id);
        return;
      default:
        return;
    }
  }

  private notePresence(envelope: SampleEnvelope, now: number): void {
    const previous = this.presence.get(envelope.agent_id);
    let intervalMs = previous?.intervalMs ?? null;
    let newestSampleAt = previous?.newestSampleAt ?? null;
    const at = envelope.sample.timestamp;
    if (!envelope.backfill) {
      if (newestSampleAt !== null && at > newestSampleAt) intervalMs = learnInterval(intervalMs, at - newestSampleAt);
      newestSampleAt = Math.max(newestSampleAt ?? at, at);
    }
    this.setPresence(envelope.agent_id, { userId: envelope.user_id, lastSeenAt: now, intervalMs, newestSampleAt });
  }

  private setPresence(agentId: number, presence: Presence): void {
    this.presence.set(agentId, presence);
    let agents = this.agentsOfUser.get(presence.userId);
    if (!agents) this.agentsOfUser.set(presence.userId, (agents = new Set()));
    agents.add(agentId);
  }

  private rulesFor(agentId: number, userId: number): ActiveRule[] {
    const own = this.byAgent.get(agentId);
    const all = this.byOwner.get(userId);
    if (!own) return all ?? [];
    return all ? [...own, ...all] : own;
  }

  /** Rebuilds the rule indexes: all of them, or only one user's entries (a reload must not re-sort every user's rules). */
  private reindex(userId?: number): void {
    if (userId === undefined) {
      this.byAgent.clear();
      this.byOwner.clear();
    } else {
      this.byOwner.delete(userId);
      for (const [agentId, rules] of this.byAgent) {
        const kept = rules.filter((rule) => rule.record.userId !== userId);
        if (kept.length === 0) this.byAgent.delete(agentId);
        else if (kept.length !== rules.length) this.byAgent.set(agentId, kept);
      }
    }
    for (const rule of this.rules.values()) {
      if (userId !== undefined && rule.record.userId !== userId) continue;
      const { agentId, userId: owner } = rule.record;
      const index = agentId === null ? this.byOwner : this.byAgent;
      const key = agentId ?? owner;
      const list = index.get(key);
      if (list) list.push(rule);
      else index.set(key, [rule]);
    }
  }

  private stateMap(ruleId: number): Map<number, AlertState> {
    let states = this.states.get(ruleId);
    if (!states) this.states.set(ruleId, (states = new Map()));
    return states;
  }

  private forgetRule(ruleId: number): void {
    this.states.delete(ruleId);
    for (const key of this.dirty.keys()) if (key.startsWith(`${ruleId}:`)) this.dirty.delete(key);
    void this.enqueue(() => this.deps.store.deleteStates(ruleId));
  }

  private forgetAgent(agentId: number): void {
    const presence = this.presence.get(agentId);
    if (presence) this.agentsOfUser.get(presence.userId)?.delete(agentId);
    this.presence.delete(agentId);
    for (const states of this.states.values()) states.delete(agentId);
    for (const key of this.dirty.keys()) if (key.endsWith(`:${agentId}`)) this.dirty.delete(key);
  }
}
