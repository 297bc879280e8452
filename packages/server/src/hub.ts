/** Starts a whole hub from a configuration: preset adapters, services, HTTP app, background jobs, in order. */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { FastifyInstance } from "fastify";
import { createServices, type Services } from "./compose.js";
import type { Config } from "./config/config.js";
import { ensureSecretKey } from "./config/secret-key.js";
import { systemClock, type Clock } from "./core/clock.js";
import type { Logger } from "./core/logger.js";
import { leadership } from "./core/leadership.js";
import { periodic } from "./core/periodic.js";
import { RunGroup } from "./core/run-group.js";
import { HistoryCheckpoints } from "./history/checkpoints.js";
import { flushAndRollup, historyServices, journalReplayStart, pruneHistory } from "./history/jobs.js";
import { createApp } from "./http/app.js";
import { HubMetrics } from "./ops/metrics.js";
import type { Adapters } from "./presets/ports.js";
import { HUB_VERSION } from "./version.js";

export interface RunningHub {
  /** Base URL the hub listens on, e.g. `http://127.0.0.1:8080`. */
  url: string;
  app: FastifyInstance;
  services: Services;
  adapters: Adapters;
  /** Runs the history role's jobs now instead of on their timers (tests, admin tools). */
  history: { flushAndRollup(): Promise<void>; prune(): Promise<number> };
  /** Runs the alerts role's periodic work now (offline sweep, state save) and waits until due messages are sent. */
  alerts: { runNow(): Promise<void> };
  stop(): Promise<void>;
}

const PRESENCE_FLUSH_MS = 2_000;
const JOURNAL_PRUNE_MS = 60_000;
const PRUNE_BATCH_ROWS = 2_000;

/** Alerts run in one process at a time (a lease in the shared cache): two would send every message twice. */
const ALERTS_LEASE = "leader:alerts";
const ALERTS_LEASE_TTL_MS = 10_000;
const ALERTS_LEASE_RENEW_MS = 2_000;

async function loadAdapters(config: Config, instanceId: string, clock: Clock, logger: Logger): Promise<Adapters> {
  // Presets are imported lazily so the embedded install never loads a scaled-out client library.
  if (config.distributed) {
    const { createDistributedAdapters } = await import("./presets/distributed.js");
    return createDistributedAdapters({ settings: config.distributed, instanceId, clock, logger });
  }
  const { createEmbeddedAdapters } = await import("./presets/embedded.js");
  return createEmbeddedAdapters({ dataDir: config.dataDir, synchronous: config.sqliteSynchronous, clock, logger });
}

/** Names this process among the instances sharing a bus and a cache (consumer groups, leases). */
function newInstanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(4).toString("hex")}`;
}

export async function startHub(config: Config, logger: Logger, clock: Clock = systemClock): Promise<RunningHub> {
  const secretKey = ensureSecretKey(config.secretKey, config.dataDir, logger);
  const instanceId = newInstanceId();
  const adapters = await loadAdapters(config, instanceId, clock, logger);
  const metrics = new HubMetrics();
  const services = createServices({ adapters, config, secretKey, clock, logger, metrics });
  const roles = new Set(config.roles);
  const alertsLeadership = leadership(
    "alerts",
    {
      lease: ALERTS_LEASE,
      owner: instanceId,
      cache: adapters.cache,
      ttlMs: ALERTS_LEASE_TTL_MS,
      renewEveryMs: ALERTS_LEASE_RENEW_MS,
      stopTimeoutMs: config.shutdownTimeoutMs,
      logger: logger.child({ component: "alerts" }),
    },
    () => services.alertsRole.services(),
  );
  const alertsHealth = {
    name: "alerts",
    check: async () =>
      alertsLeadership.leading ? services.alertsRole.health.check() : { status: "ok" as const, detail: "standby: another instance evaluates the rules" },
  };
  const healthChecks = [...adapters.healthChecks, ...(roles.has("alerts") ? [alertsHealth] : [])];
  const app = await createApp({ config, services, metrics, healthChecks, clock, logger, version: HUB_VERSION });
  const group = new RunGroup(logger, config.shutdownTimeoutMs);

  const pruneJournal = async () => {
    let cutoff = clock.now() - config.ingestJournalRetentionMs;
    // The journal is history's crash log: never prune what the history writer may still have to replay.
    if (roles.has("history")) cutoff = Math.min(cutoff, await journalReplayStart(adapters.history));
    // Small batches with a yield in between, so pruning never stalls ingestion.
    while ((await adapters.journal.prune(cutoff, PRUNE_BATCH_ROWS)) === PRUNE_BATCH_ROWS) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const historyLogger = logger.child({ component: "history" });
  const historyParts = {
    store: adapters.history,
    writer: services.historyWriter,
    rollups: services.rollups,
    tiers: services.tiers,
    checkpoints: new HistoryCheckpoints(),
  };
  let url = "";
  await group.start([
    ...adapters.services,
    ...(roles.has("live") ? [{ name: "live-hub", start: () => services.hub.start(), stop: () => services.hub.stop() }] : []),
    periodic("presence-flush", PRESENCE_FLUSH_MS, () => services.agents.flushPresence(), logger, { runOnStop: true }),
    ...(adapters.sampleLog ? [periodic("journal-prune", JOURNAL_PRUNE_MS, pruneJournal, logger)] : []),
    ...(roles.has("alerts") ? [alertsLeadership] : []),
    ...(roles.has("history") ? historyServices({ parts: historyParts, bus: adapters.bus, log: adapters.sampleLog, clock, logger: historyLogger, metrics }) : []),
    {
      name: "http",
      start: async () => {
        url = await app.listen({ port: config.port, host: config.host });
      },
      stop: () => app.close(),
    },
  ]);
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`;
  const history = {
    flushAndRollup: () => flushAndRollup(historyParts, clock, historyLogger),
    prune: () => pruneHistory(historyParts, clock),
  };
  return { url, app, services, adapters, history, alerts: { runNow: () => services.alertsRole.runNow() }, stop: () => group.stop() };
}
