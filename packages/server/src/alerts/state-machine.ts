/** The per-(rule, agent) alert state machine — inactive → pending → firing → resolved — with cooldown, as pure steps over plain JSON state. */
import type { AlertRule, Sample } from "@statusmonitor/protocol";
import { offlineAfterMs, observe, type Observation, type RuleCondition } from "./evaluate.js";

export type AlertPhase = "inactive" | "pending" | "firing";
export type AlertTransition = "fired" | "resolved";
/** The part of a rule the state machine reads. */
export type RuleTiming = Pick<AlertRule, "duration_s" | "cooldown_s">;

/**
 * Everything needed to resume a (rule, agent) pair after a restart. Plain JSON: only numbers,
 * strings, booleans and null, so a JSON round trip gives back an equal object. Times are epoch ms.
 */
export interface AlertState {
  phase: AlertPhase;
  /** Time of the newest observation applied; older ones are ignored. */
  observedAt: number | null;
  /** When the current breach began (kept while firing); null when inactive. */
  pendingSince: number | null;
  /** Observation time at which the current incident fired; null unless firing. */
  firingSince: number | null;
  /** Hub time of the last notification that was sent for a firing: where the cooldown counts from. */
  lastNotifiedAt: number | null;
  /** Whether the current incident's firing was notified; its resolution is notified only if so. */
  notified: boolean;
  /** Latest observed value, and the disk it came from for `disk` rules. */
  value: number | null;
  mountpoint: string | null;
}

export interface StepResult {
  state: AlertState;
  transition?: AlertTransition;
  /** Whether a message should go out for `transition`; never true without one. */
  notify: boolean;
}

export const initialAlertState = (): AlertState => ({
  phase: "inactive",
  observedAt: null,
  pendingSince: null,
  firingSince: null,
  lastNotifiedAt: null,
  notified: false,
  value: null,
  mountpoint: null,
});

/**
 * Applies one observation. `now` is the hub's clock and is used only for the cooldown (it limits
 * messages, which are sent in hub time); durations are measured in sample time (`observation.at`).
 * An absent observation (the sample has no value for the metric) and one older than the newest
 * already applied change nothing. A firing inside the cooldown of the previous notified firing is
 * recorded but not notified, and neither is its resolution, so messages always come in pairs.
 * There are no reminders while an alert keeps firing.
 */
export function step(state: AlertState, observation: Observation | undefined, rule: RuleTiming, now: number): StepResult {
  if (!observation || (state.observedAt !== null && observation.at < state.observedAt)) return { state, notify: false };
  const { at } = observation;
  const seen: AlertState = { ...state, observedAt: at, value: observation.value, mountpoint: observation.mountpoint };

  switch (state.phase) {
    case "inactive":
      if (!observation.breach) return { state: seen, notify: false };
      if (rule.duration_s === 0) return fire(seen, at, rule, now);
      return { state: { ...seen, phase: "pending", pendingSince: at }, notify: false };
    case "pending":
      if (!observation.breach) return { state: inactive(seen), notify: false };
      if (at - (state.pendingSince ?? at) >= rule.duration_s * 1000) return fire(seen, at, rule, now);
      return { state: seen, notify: false };
    case "firing":
      if (observation.clear) return { state: inactive(seen), transition: "resolved", notify: state.notified };
      return { state: seen, notify: false };
  }
}

function fire(state: AlertState, at: number, rule: RuleTiming, now: number): StepResult {
  const notify = state.lastNotifiedAt === null || now - state.lastNotifiedAt >= rule.cooldown_s * 1000;
  return {
    state: {
      ...state,
      phase: "firing",
      pendingSince: state.pendingSince ?? at,
      firingSince: at,
      notified: notify,
      lastNotifiedAt: notify ? now : state.lastNotifiedAt,
    },
    transition: "fired",
    notify,
  };
}

function inactive(state: AlertState): AlertState {
  return { ...state, phase: "inactive", pendingSince: null, firingSince: null, notified: false };
}

/** Evaluates a rule against one live sample: `observe` then `step`. Back-filled samples must not be passed here. */
export function evaluateSample(state: AlertState, rule: RuleCondition & RuleTiming, sample: Sample, now: number): StepResult {
  return step(state, observe(rule, sample), rule, now);
}

export interface OfflineInput {
  /** Hub time the agent's last sample arrived, or null if it never sent one (such an agent never goes offline). */
  lastSeenAt: number | null;
  /** The agent's reporting interval, or null when unknown. */
  intervalMs: number | null;
  /** Hub time of this check. */
  now: number;
  /** True when called because a sample just arrived (which ends an offline incident); false on a periodic check. */
  sawSample: boolean;
}

/**
 * One step of an `offline` rule, run on a periodic check and on every sample. The agent breaches
 * when it has been silent for longer than `offlineAfterMs(intervalMs)`, and clears when a sample
 * arrives; a rule `threshold` above 0 sets that silence in seconds instead. Everything is in hub
 * time, so agent clock skew cannot fire or hide an outage. The rule's
 * `duration_s` waits that much longer before firing, and its cooldown applies as for any rule; the
 * observed value is the silence in seconds.
 */
export function stepOffline(state: AlertState, input: OfflineInput, rule: RuleTiming & { threshold?: number }): StepResult {
  const { lastSeenAt, intervalMs, now, sawSample } = input;
  if (lastSeenAt === null) return { state, notify: false };
  const silentMs = sawSample ? 0 : Math.max(0, now - lastSeenAt);
  const limitMs = rule.threshold !== undefined && rule.threshold > 0 ? rule.threshold * 1000 : offlineAfterMs(intervalMs);
  const breach = silentMs > limitMs;
  return step(state, { breach, clear: !breach, value: silentMs / 1000, mountpoint: null, at: now }, rule, now);
}
