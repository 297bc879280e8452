/**
 * The distributed hub for the ingest benchmark: a PostgreSQL schema, Redis database 12 and a Kafka
 * broker of its own (or the broker KAFKA_BOOTSTRAP_SERVERS names, under a topic prefix unique to the
 * run), and one `statusmonitor serve` process per role: api, two ingest instances, live, history and
 * alerts. `stop()` stops and removes everything it started, also after a start that failed half-way.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { startHub, stopHub } from "./hub-process.js";
import { openKafkaBroker } from "./kafka-broker.js";
import { postgresPids, redisServerPid } from "./service-processes.js";

/** The Redis database the benchmark owns: flushed when it starts and when it ends (the distributed e2e test uses 9). */
export const BENCH_REDIS_DB = 12;
const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";
const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
/** Process name and roles; the load generator spreads ingest requests over every `ingest` member. */
const MEMBERS = [
  ["api", "api"],
  ["ingest-1", "ingest"],
  ["ingest-2", "ingest"],
  ["live", "live"],
  ["history", "history"],
  ["alerts", "alerts"],
];

export class BenchCluster {
  /**
   * `mainJs`: the hub to run; `env`: extra settings for every process; `services`: where PostgreSQL
   * (DATABASE_URL), Redis (REDIS_URL) and an existing Kafka broker (KAFKA_BOOTSTRAP_SERVERS) are.
   */
  constructor({ mainJs, env = {}, profileDir, services, buildHint }) {
    this.o = { mainJs, env, profileDir, buildHint };
    this.databaseUrl = services.DATABASE_URL || DEFAULT_DATABASE_URL;
    const redisUrl = new URL(services.REDIS_URL || DEFAULT_REDIS_URL);
    redisUrl.pathname = `/${BENCH_REDIS_DB}`;
    this.redisUrl = redisUrl.toString();
    this.externalKafka = services.KAFKA_BOOTSTRAP_SERVERS || undefined;
    /** Names the schema, the topics and the PostgreSQL sessions of this run. */
    this.runId = `bench_ingest_${process.pid}_${Date.now().toString(36)}`;
    this.members = [];
    this.crashes = [];
    this.stopping = false;
  }

  async start() {
    this.admin = new pg.Client({ connectionString: this.databaseUrl });
    await this.admin.connect().catch((err) => {
      throw new Error(`PostgreSQL is not reachable at ${this.databaseUrl} (set DATABASE_URL): ${err.message}`);
    });
    await this.admin.query(`CREATE SCHEMA ${this.runId}`);
    this.schemaCreated = true;
    this.redis = new Redis(this.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await this.redis.connect().catch((err) => {
      throw new Error(`Redis is not reachable at ${this.redisUrl} (set REDIS_URL): ${err.message}`);
    });
    await this.redis.flushdb();
    this.kafkaOpening = openKafkaBroker(this.externalKafka);
    this.kafka = await this.kafkaOpening;
    if (this.stopping) return;

    const hubDatabaseUrl = new URL(this.databaseUrl);
    hubDatabaseUrl.searchParams.set("options", `-c search_path=${this.runId}`);
    hubDatabaseUrl.searchParams.set("application_name", this.runId);
    this.dataDir = mkdtempSync(path.join(os.tmpdir(), "statusmonitor-bench-cluster-"));
    const env = {
      DATABASE_URL: hubDatabaseUrl.toString(),
      REDIS_URL: this.redisUrl,
      KAFKA_BOOTSTRAP_SERVERS: this.kafka.bootstrapServers,
      KAFKA_TOPIC_PREFIX: `${this.runId}.`,
      // Every process signs and checks access tokens with the same key.
      SECRET_KEY: randomBytes(32).toString("hex"),
      ...this.o.env,
    };
    // All at once, as an orchestrator would: migrations run once, under PostgreSQL's advisory lock.
    this.memberStarts = MEMBERS.map(([name, roles]) => this.startMember(name, roles, env));
    const started = await Promise.allSettled(this.memberStarts);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    this.serviceGroups = await this.findServiceProcesses();
  }

  async startMember(name, roles, env) {
    const hub = await startHub({
      hub: this.o.mainJs,
      dataDir: path.join(this.dataDir, name),
      env: { ...env, ROLES: roles },
      profileDir: this.o.profileDir,
      buildHint: this.o.buildHint,
      label: name,
    });
    this.members.push({ name, hub });
    void hub.exited.then((how) => {
      if (this.stopping) return;
      this.crashes.push({ name, how, output: hub.output() });
      console.error(`\n[${name}] exited unexpectedly (${how}); its last output:\n${hub.output().slice(-3000)}`);
    });
  }

  /** The running process of `name`. */
  hub(name) {
    const member = this.members.find((m) => m.name === name);
    if (!member) throw new Error(`no cluster member ${name}`);
    return member.hub;
  }

  /**
   * The Kafka broker, this run's PostgreSQL backends and the server's background processes, and the
   * Redis server, each when its pid can be found on this machine; `notes` says what could not.
   */
  async findServiceProcesses() {
    const groups = [];
    const notes = [];
    if (this.kafka.pid) groups.push({ name: `kafka broker (JVM${this.kafka.own ? ", started by the bench" : ", external"})`, pids: () => [this.kafka.pid] });
    else notes.push(`the Kafka broker at ${this.kafka.bootstrapServers} was not found on this machine: not measured`);
    const { background } = await postgresPids(this.admin, this.runId);
    if (background.length > 0) {
      groups.push({
        name: "postgresql: this run's backends (private memory)",
        pids: async () => (await postgresPids(this.admin, this.runId)).backends,
        privateMemory: true,
      });
      groups.push({ name: "postgresql: server background processes (shared)", pids: () => background, privateMemory: true });
    } else notes.push("PostgreSQL's processes were not found on this machine (or pg_stat_activity is not readable): not measured");
    const redisPid = await redisServerPid(this.redis);
    if (redisPid) groups.push({ name: "redis-server (shared)", pids: () => [redisPid] });
    else notes.push("the Redis server was not found on this machine: not measured");
    return { groups, notes };
  }

  /** The hub under test, as bench/ingest.js drives it. */
  target() {
    const hubs = this.members.map((m) => m.hub);
    return {
      preset: "distributed",
      api: this.hub("api"),
      live: this.hub("live"),
      ingest: MEMBERS.filter(([, roles]) => roles === "ingest").map(([name]) => this.hub(name)),
      metricsEndpoints: hubs,
      processGroups: [
        ...MEMBERS.map(([name]) => ({ name, hub: true, pids: () => [this.hub(name).child.pid] })),
        ...this.serviceGroups.groups,
      ],
      notes: this.serviceGroups.notes,
      describe: () =>
        [
          ...MEMBERS.map(([name]) => `${name}: pid ${this.hub(name).child.pid} at ${this.hub(name).url}`),
          `kafka: ${this.kafka.bootstrapServers}${this.kafka.own ? ` (started by the bench, pid ${this.kafka.pid})` : ` (external, topic prefix ${this.runId}.)`}`,
          `postgresql: schema ${this.runId} at ${this.databaseUrl}`,
          `redis: database ${BENCH_REDIS_DB} at ${this.redisUrl}`,
        ].join("\n"),
      logs: () => this.members.map((m) => ({ name: m.name, output: m.hub.output() })),
      crashes: this.crashes,
      stop: () => this.stop(),
    };
  }

  async stop() {
    if (this.stopping) return this.stopped;
    this.stopping = true;
    this.stopped = (async () => {
      // What is still starting (an interrupt during the start-up) is stopped too, once it has started.
      await Promise.allSettled(this.memberStarts ?? []);
      // In the reverse order of MEMBERS: the api last.
      for (const [name] of [...MEMBERS].reverse()) {
        const member = this.members.find((m) => m.name === name);
        if (member) await stopHub(member.hub).catch(() => undefined);
      }
      if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
      const kafka = await this.kafkaOpening?.catch(() => undefined);
      await kafka?.stop().catch((err) => console.error(`stopping the Kafka broker: ${err.message}`));
      if (this.redis) {
        await this.redis.flushdb().catch(() => undefined);
        this.redis.disconnect();
      }
      if (this.schemaCreated) await this.admin.query(`DROP SCHEMA ${this.runId} CASCADE`).catch((err) => console.error(`dropping schema ${this.runId}: ${err.message}`));
      await this.admin?.end().catch(() => undefined);
    })();
    return this.stopped;
  }
}
