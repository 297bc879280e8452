/** What every preset provides: the adapters behind each port, their health checks and how to close them. */
import type { AgentStore } from "../agents/ports.js";
import type { AlertStore } from "../alerts/ports.js";
import type { SessionStore, UserStore } from "../auth/ports.js";
import type { Bus } from "../core/bus.js";
import type { Cache } from "../core/cache.js";
import type { Service } from "../core/run-group.js";
import type { HistoryStore, SampleLog } from "../history/ports.js";
import type { SampleJournal } from "../ingest/ports.js";
import type { HealthCheck } from "../ops/health.js";

export interface Adapters {
  users: UserStore;
  sessions: SessionStore;
  agents: AgentStore;
  journal: SampleJournal;
  history: HistoryStore;
  alerts: AlertStore;
  /**
   * The durable log the history writer replays after a restart (the SQLite journal). Absent when the
   * bus itself redelivers what history has not committed (Kafka).
   */
  sampleLog?: SampleLog;
  bus: Bus;
  cache: Cache;
  healthChecks: HealthCheck[];
  /** Background parts of the adapters themselves (sweepers, connections), started before the app. */
  services: Service[];
}
