/** The embedded preset: one SQLite file (WAL), an in-process bus and an in-memory cache. */
import { MemoryBus } from "../adapters/memory/bus.js";
import { MemoryCache } from "../adapters/memory/cache.js";
import { SqliteAgentStore } from "../adapters/sqlite/agents.js";
import { SqliteAlertStore } from "../adapters/sqlite/alert-store.js";
import { openDatabase } from "../adapters/sqlite/database.js";
import { SqliteHistoryStore } from "../adapters/sqlite/history-store.js";
import { SqliteSampleJournal } from "../adapters/sqlite/sample-journal.js";
import { SqliteSessionStore } from "../adapters/sqlite/sessions.js";
import { SqliteUserStore } from "../adapters/sqlite/users.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { Adapters } from "./ports.js";

export function createEmbeddedAdapters(o: {
  dataDir: string;
  synchronous: "normal" | "full";
  clock: Clock;
  logger: Logger;
}): Adapters {
  const db = openDatabase({ dataDir: o.dataDir, synchronous: o.synchronous, logger: o.logger.child({ component: "sqlite" }) });
  const cache = new MemoryCache(o.clock);
  const journal = new SqliteSampleJournal(db);
  return {
    users: new SqliteUserStore(db),
    sessions: new SqliteSessionStore(db),
    agents: new SqliteAgentStore(db),
    journal,
    history: new SqliteHistoryStore(db),
    alerts: new SqliteAlertStore(db),
    sampleLog: journal,
    bus: new MemoryBus(o.logger.child({ component: "bus" })),
    cache,
    healthChecks: [
      {
        name: "database",
        check: async () => {
          db.prepare("SELECT 1").get();
          return { status: "ok", detail: "sqlite (embedded)" };
        },
      },
      { name: "bus", check: async () => ({ status: "ok", detail: "in-process" }) },
      { name: "cache", check: async () => ({ status: "ok", detail: "in-memory" }) },
    ],
    services: [
      { name: "cache-sweeper", start: () => cache.startSweeping(), stop: () => cache.stopSweeping() },
      {
        name: "sqlite",
        stop: () => {
          journal.flush();
          db.pragma("incremental_vacuum");
          db.close();
        },
      },
    ],
  };
}
