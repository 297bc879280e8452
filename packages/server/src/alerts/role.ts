/** The alerts role's background parts — evaluator, offline sweep, state saves, delivery queue and event retention — as RunGroup services. */
import type { AgentsService } from "../agents/service.js";
import { AppError } from "../core/app-error.js";
import type { Bus } from "../core/bus.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { periodic } from "../core/periodic.js";
import type { Service } from "../core/run-group.js";
import type { HealthCheck } from "../ops/health.js";
import type { HubMetrics } from "../ops/metrics.js";
import { DeliveryDispatcher } from "./dispatcher.js";
import { AlertEngine } from "./engine.js";
import { IncidentLog } from "./incidents.js";
import type { AlertStore } from "./ports.js";
import type { UserChannels } from "./user-channels.js";

/** Offline is checked this often; an outage is noticed within its threshold plus this. */
export const OFFLINE_SWEEP_MS = 1_000;
/** Pending/inactive phase changes are saved this often (fired and resolved are saved at once). */
export const STATE_FLUSH_MS = 5_000;
const RETENTION_MS = 3600_000;
/** A message queued longer than this means a channel is failing: health says `degraded`. */
const STUCK_AFTER_MS = 5 * 60_000;
const PRUNE_BATCH = 1_000;

export interface AlertsRole {
  engine: AlertEngine;
  dispatcher: DeliveryDispatcher;
  /** Runs the periodic work now, in order, and waits for the messages it queued (tests). */
  runNow(): Promise<void>;
  services(): Service[];
  /** `/health` component: Telegram configured or not, and how many messages wait (degraded when they are stuck). */
  health: HealthCheck;
}

export function createAlertsRole(o: {
  store: AlertStore;
  bus: Bus;
  agents: AgentsService;
  channels: UserChannels;
  eventRetentionMs: number;
  clock: Clock;
  logger: Logger;
  metrics: HubMetrics;
}): AlertsRole {
  const { store, clock, logger, metrics } = o;
  const dispatcher = new DeliveryDispatcher({
    store,
    send: (delivery) => o.channels.send(delivery.userId, delivery.channel, delivery.message),
    clock,
    logger,
    onAttempt: (delivery, result) => {
      const outcome = result.ok ? "sent" : result.retryable ? "retry" : "failed";
      metrics.alertNotifications.inc({ channel: delivery.channel, outcome });
    },
  });
  const incidents = new IncidentLog({
    store,
    channels: o.channels,
    dispatcher,
    agentName: (userId, agentId) =>
      o.agents.get(userId, agentId).then(
        (agent) => agent.name,
        (err: unknown) => {
          if (err instanceof AppError && err.code === "AGENT_NOT_FOUND") return undefined;
          throw err;
        },
      ),
    clock,
    logger,
    onTransition: (transition, delivery) => metrics.alertTransitions.inc({ kind: transition.kind, delivery }),
  });
  const engine = new AlertEngine({
    store,
    bus: o.bus,
    listAgents: () => o.agents.listAll(),
    onTransition: (transition) => incidents.record(transition),
    clock,
    logger,
  });
  const pruneEvents = async () => {
    const before = clock.now() - o.eventRetentionMs;
    while ((await store.pruneEvents(before, PRUNE_BATCH)) === PRUNE_BATCH) await new Promise((resolve) => setImmediate(resolve));
  };
  const sweep = async () => {
    engine.sweepOffline();
    metrics.alertDeliveryBacklog.set(dispatcher.backlog());
  };
  return {
    engine,
    dispatcher,
    runNow: async () => {
      await sweep();
      await engine.flushStates();
      await engine.settled();
      await dispatcher.deliverDue();
    },
    health: {
      name: "alerts",
      check: async () => {
        const waiting = dispatcher.backlog();
        const since = dispatcher.oldestWaitingSince();
        const stuck = since !== null && clock.now() - since > STUCK_AFTER_MS;
        const telegram = o.channels.telegramAvailable ? "telegram configured" : "telegram not configured";
        const queue = stuck ? `${waiting} queued, the oldest for ${Math.round((clock.now() - since) / 60_000)} min` : `${waiting} queued`;
        return { status: stuck ? "degraded" : "ok", detail: `${telegram}; ${queue}` };
      },
    },
    services: () => [
      { name: "alert-dispatcher", start: () => dispatcher.start(), stop: () => dispatcher.stop() },
      { name: "alert-engine", start: () => engine.start(), stop: () => engine.stop() },
      periodic("alert-offline-sweep", OFFLINE_SWEEP_MS, sweep, logger),
      periodic("alert-state-flush", STATE_FLUSH_MS, () => engine.flushStates(), logger),
      periodic("alert-event-retention", RETENTION_MS, pruneEvents, logger),
    ],
  };
}
