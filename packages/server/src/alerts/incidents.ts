/** Turns a state-machine transition into an event in the log, its messages and their queued deliveries, saved together. */
import type { DeliveryStatus } from "@statusmonitor/protocol";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { DeliveryDispatcher } from "./dispatcher.js";
import type { Transition } from "./engine.js";
import { firedMessage, resolvedMessage, type AlertNotice } from "./messages.js";
import type { AlertStore } from "./ports.js";
import type { UserChannels } from "./user-channels.js";

export interface IncidentLogDeps {
  store: AlertStore;
  channels: UserChannels;
  dispatcher: DeliveryDispatcher;
  /** The agent's current name, or undefined when it was deleted. */
  agentName: (userId: number, agentId: number) => Promise<string | undefined>;
  clock: Clock;
  logger: Logger;
  onTransition?: (transition: Transition, delivery: DeliveryStatus) => void;
}

/** How long the condition held: from the start of the breach to this transition, in seconds. */
function heldForS(transition: Transition): number | null {
  const { before, after, kind } = transition;
  const since = kind === "fired" ? after.pendingSince : (before.firingSince ?? before.pendingSince);
  const until = after.observedAt;
  return since === null || until === null ? null : Math.max(0, (until - since) / 1000);
}

export class IncidentLog {
  constructor(private readonly deps: IncidentLogDeps) {}

  async record(transition: Transition): Promise<void> {
    const { rule, agentId, after, kind } = transition;
    const agentName = await this.deps.agentName(rule.userId, agentId);
    if (agentName === undefined) return;
    const at = after.observedAt ?? this.deps.clock.now();
    const notice: AlertNotice = {
      agentId,
      agentName,
      ruleId: rule.id,
      ruleName: rule.name,
      metric: rule.metric,
      operator: rule.operator,
      threshold: rule.threshold,
      value: after.value,
      mountpoint: after.mountpoint,
      at,
      durationS: heldForS(transition),
    };
    const message = kind === "fired" ? firedMessage(notice) : resolvedMessage(notice);
    const channels = transition.notify ? await this.deps.channels.enabledFor(rule.userId) : [];
    const delivery: DeliveryStatus = !transition.notify ? "suppressed" : channels.length === 0 ? "no_channel" : "pending";
    const createdAt = this.deps.clock.now();
    const saved = await this.deps.store.recordTransition({
      state: { ruleId: rule.id, agentId, state: after },
      event: {
        userId: rule.userId,
        ruleId: rule.id,
        ruleName: rule.name,
        agentId,
        agentName,
        metric: rule.metric,
        operator: rule.operator,
        threshold: rule.threshold,
        value: after.value,
        mountpoint: after.mountpoint,
        state: kind === "fired" ? "firing" : "resolved",
        message: message.text,
        delivery,
        at,
      },
      deliveries: channels.map((channel) => ({ userId: rule.userId, channel, message, createdAt })),
    });
    if (!saved) return;
    this.deps.onTransition?.(transition, delivery);
    this.deps.logger.info({ ruleId: rule.id, agentId, kind, delivery, eventId: saved.event.id }, `alert ${kind}`);
    this.deps.dispatcher.enqueue(saved.deliveries);
  }
}
