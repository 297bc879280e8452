/**
 * A scaled-out hub for the distributed end-to-end test: each role in its own `statusmonitor serve`
 * process on the distributed preset (real PostgreSQL schema, Redis database and Kafka topics of its
 * own), restartable one process at a time, with SIGKILL to simulate a crash.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { startServerProcess, stopServerProcess, type ServerProcess } from "../../packages/server/src/test-support/server-process.js";

export interface ClusterServices {
  databaseUrl: string;
  redisUrl: string;
  kafkaBootstrapServers: string;
  /** Topic and consumer-group prefix, unique to the run. */
  kafkaTopicPrefix: string;
}

export interface RoleProcess {
  name: string;
  roles: string;
  process: ServerProcess | undefined;
  port: number;
}

export class Cluster {
  private readonly members = new Map<string, RoleProcess>();
  private readonly dataDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-cluster-"));
  /** Every process signs and checks access tokens with the same key. */
  private readonly secretKey = randomBytes(32).toString("hex");

  constructor(
    private readonly services: ClusterServices,
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  /** Starts a process running `roles` (comma-separated) and waits until its /health says ok. */
  async start(name: string, roles: string): Promise<RoleProcess> {
    const member: RoleProcess = { name, roles, process: undefined, port: 0 };
    this.members.set(name, member);
    await this.launch(member);
    return member;
  }

  url(name: string): string {
    const member = this.members.get(name);
    if (!member?.process) throw new Error(`${name} is not running`);
    return member.process.url;
  }

  /** SIGKILL: no shutdown work at all, as in a crash or an OOM kill. */
  async kill(name: string): Promise<void> {
    const member = this.member(name);
    if (member.process) await stopServerProcess(member.process, "SIGKILL");
    member.process = undefined;
  }

  /** SIGTERM: the graceful stop an orchestrator sends. Resolves with the exit code. */
  async stop(name: string): Promise<NodeJS.Signals | number | null> {
    const member = this.member(name);
    const how = member.process ? await stopServerProcess(member.process, "SIGTERM") : null;
    member.process = undefined;
    return how;
  }

  /** Starts a stopped or killed member again on the same port. */
  async restart(name: string): Promise<void> {
    const member = this.member(name);
    if (member.process) throw new Error(`${name} is still running`);
    await this.launch(member);
  }

  output(name: string): string {
    return this.members.get(name)?.process?.output() ?? "";
  }

  async stopAll(): Promise<void> {
    for (const name of [...this.members.keys()].reverse()) await this.stop(name).catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private member(name: string): RoleProcess {
    const member = this.members.get(name);
    if (!member) throw new Error(`no cluster member ${name}`);
    return member;
  }

  private async launch(member: RoleProcess): Promise<void> {
    const { databaseUrl, redisUrl, kafkaBootstrapServers, kafkaTopicPrefix } = this.services;
    member.process = await startServerProcess(
      path.join(this.dataDir, member.name),
      {
        ROLES: member.roles,
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrapServers,
        KAFKA_TOPIC_PREFIX: kafkaTopicPrefix,
        KAFKA_METRICS_PARTITIONS: "4",
        SECRET_KEY: this.secretKey,
        ...this.extraEnv,
      },
      { port: member.port },
    );
    member.port = Number(new URL(member.process.url).port);
  }
}
