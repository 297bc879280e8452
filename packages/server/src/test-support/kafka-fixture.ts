/**
 * Kafka for the service tests: the shared broker of the run (TEST_KAFKA_BOOTSTRAP_SERVERS), and a
 * broker of a test's own, started through scripts/kafka/start-kafka.sh, that it may kill and restart.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { serviceUrls } from "./services.js";
import { waitFor } from "./test-hub.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const START_SCRIPT = path.join(ROOT, "scripts/kafka/start-kafka.sh");
const STOP_TIMEOUT_MS = 30_000;

/** The run's broker; fails at once (rather than hanging on a connection) when none was given. */
export function kafkaBootstrapServers(): string[] {
  const servers = serviceUrls().kafkaBootstrapServers;
  if (!servers) {
    throw new Error(
      "no Kafka broker for the service tests: set TEST_KAFKA_BOOTSTRAP_SERVERS=host:port " +
        "(bash scripts/kafka/start-kafka.sh starts one and prints it; npm run test:services does both)",
    );
  }
  return servers.split(",").map((server) => server.trim()).filter(Boolean);
}

export interface OwnKafkaBroker {
  bootstrapServers: string[];
  /** Kills the broker (SIGKILL: a crash) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, with the data it had. */
  restart(): Promise<void>;
  /** Stops it and deletes its data. */
  stop(): Promise<void>;
}

export async function startOwnKafkaBroker(): Promise<OwnKafkaBroker> {
  const workDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-kafka-own-"));
  const start = async () => {
    const { stdout } = await promisify(execFile)("bash", [START_SCRIPT, "", workDir]);
    const servers = /^KAFKA_BOOTSTRAP_SERVERS=(.+)$/m.exec(stdout)?.[1];
    if (!servers) throw new Error(`start-kafka.sh printed no address: ${stdout}`);
    return servers.split(",");
  };
  const pid = () => Number(readFileSync(path.join(workDir, "broker.pid"), "utf8").trim());
  const gone = (signal: NodeJS.Signals) => async () => {
    const brokerPid = pid();
    if (isRunning(brokerPid)) process.kill(brokerPid, signal);
    await waitFor(() => !isRunning(brokerPid), `the Kafka broker (pid ${brokerPid}) to exit`, STOP_TIMEOUT_MS, 100);
  };
  let bootstrapServers: string[];
  try {
    bootstrapServers = await start();
  } catch (err) {
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
  return {
    bootstrapServers,
    kill: gone("SIGKILL"),
    restart: async () => void (await start()),
    stop: async () => {
      await gone("SIGTERM")().catch(gone("SIGKILL"));
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** A killed broker is no child of ours, and nobody may reap it: a zombie counts as gone. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}
