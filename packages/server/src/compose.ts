/** The composition root's middle step: builds every capability's service from a preset's adapters. */
import { AgentsService } from "./agents/service.js";
import { TelegramChannel } from "./alerts/channels/telegram.js";
import { WebhookChannel } from "./alerts/channels/webhook.js";
import { createAlertsRole, type AlertsRole } from "./alerts/role.js";
import { AlertsService } from "./alerts/service.js";
import { UserChannels } from "./alerts/user-channels.js";
import { AuthService } from "./auth/service.js";
import { Throttle } from "./auth/throttle.js";
import type { Config } from "./config/config.js";
import type { Clock } from "./core/clock.js";
import type { Logger } from "./core/logger.js";
import { SecretBox } from "./core/secret-box.js";
import { RollupJob } from "./history/rollup-job.js";
import { HistoryService } from "./history/service.js";
import { resolveTiers, type Tier } from "./history/tiers.js";
import { HistoryWriter } from "./history/writer.js";
import { IngestService } from "./ingest/service.js";
import { LiveHub } from "./live/hub.js";
import { LiveTickets } from "./live/tickets.js";
import type { HubMetrics } from "./ops/metrics.js";
import type { Adapters } from "./presets/ports.js";
import { UsersService } from "./users/service.js";

/** "Send test message" per user and minute: plenty for setting a channel up, useless for spamming one. */
const TEST_MESSAGES_PER_MINUTE = 20;

export interface Services {
  auth: AuthService;
  users: UsersService;
  agents: AgentsService;
  ingest: IngestService;
  tickets: LiveTickets;
  hub: LiveHub;
  history: HistoryService;
  /** The history role's writer and rollups (present in every process; started only with that role). */
  historyWriter: HistoryWriter;
  rollups: RollupJob;
  tiers: readonly Tier[];
  alerts: AlertsService;
  /** The alerts role's evaluator and delivery queue (present in every process; started only with that role). */
  alertsRole: AlertsRole;
}

export function createServices(o: {
  adapters: Adapters;
  config: Config;
  secretKey: string;
  clock: Clock;
  logger: Logger;
  metrics: HubMetrics;
}): Services {
  const { adapters: a, config, clock, logger } = o;
  const auth = new AuthService({
    users: a.users,
    sessions: a.sessions,
    cache: a.cache,
    bus: a.bus,
    clock,
    logger: logger.child({ component: "auth" }),
    secretKey: o.secretKey,
    accessTokenTtlS: config.accessTokenTtlS,
    refreshTokenTtlDays: config.refreshTokenTtlDays,
    allowRegistration: config.allowRegistration,
  });
  const agents = new AgentsService(a.agents, a.bus, a.cache, clock, logger.child({ component: "agents" }));
  const ingest = new IngestService({
    agents,
    journal: a.journal,
    bus: a.bus,
    clock,
    logger: logger.child({ component: "ingest" }),
    perAgentRate: new Throttle(a.cache, { prefix: "ingest-rate:", limit: config.ingestRateLimitPerS, windowMs: 1000 }, "INGEST_RATE_LIMITED"),
  });
  const hub = new LiveHub({
    bus: a.bus,
    agents,
    latestSample: (agentId) => ingest.newestSample(agentId),
    pingIntervalMs: config.livePingIntervalMs,
    metrics: o.metrics,
    clock,
    logger: logger.child({ component: "live" }),
  });
  const tiers = resolveTiers(config.historyRetentionMs);
  const historyWriter = new HistoryWriter(a.history, tiers, logger.child({ component: "history" }));
  const history = new HistoryService({
    store: a.history,
    tiers,
    agents,
    clock,
    writer: config.roles.includes("history") ? historyWriter : undefined,
  });
  const secrets = new SecretBox(o.secretKey, "webhook-secret");
  const channels = new UserChannels({
    store: a.alerts,
    telegram: config.telegramBotToken
      ? new TelegramChannel({ apiUrl: config.telegramApiUrl, botToken: config.telegramBotToken, timeoutMs: config.notifyTimeoutMs })
      : null,
    webhook: new WebhookChannel({ timeoutMs: config.notifyTimeoutMs, clock }),
    secrets,
  });
  const alertsLogger = logger.child({ component: "alerts" });
  return {
    auth,
    users: new UsersService(a.users, auth, agents, a.bus, logger.child({ component: "users" })),
    agents,
    ingest,
    tickets: new LiveTickets(a.cache, agents, (sessionId) => auth.isSessionActive(sessionId)),
    hub,
    history,
    historyWriter,
    rollups: new RollupJob(a.history, tiers, clock),
    tiers,
    alerts: new AlertsService({
      store: a.alerts,
      agents,
      channels,
      secrets,
      bus: a.bus,
      clock,
      testThrottle: new Throttle(a.cache, { prefix: "alert-test:", limit: TEST_MESSAGES_PER_MINUTE, windowMs: 60_000 }),
    }),
    alertsRole: createAlertsRole({
      store: a.alerts,
      bus: a.bus,
      agents,
      channels,
      eventRetentionMs: config.alertEventRetentionMs,
      clock,
      logger: alertsLogger,
      metrics: o.metrics,
    }),
  };
}
