/** The Kafka broker of a benchmark: one of its own from scripts/kafka/start-kafka.sh (stopped and deleted afterwards), or the one KAFKA_BOOTSTRAP_SERVERS names. */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { poll } from "./concurrency.js";
import { pidListeningOn } from "./service-processes.js";

const START_SCRIPT = path.join(path.dirname(new URL(import.meta.url).pathname), "../../scripts/kafka/start-kafka.sh");
const STOP_TIMEOUT_MS = 30_000;

/**
 * `{ bootstrapServers, pid, own, stop() }`. An external broker is only used: `pid` is the process
 * listening on its first address when it runs on this machine, and `stop` does nothing.
 */
export async function openKafkaBroker(externalBootstrapServers) {
  if (externalBootstrapServers) {
    const port = Number(externalBootstrapServers.split(",")[0].split(":").at(-1));
    return { bootstrapServers: externalBootstrapServers, pid: pidListeningOn(port), own: false, stop: async () => undefined };
  }
  const workDir = mkdtempSync(path.join(os.tmpdir(), "statusmonitor-bench-kafka-"));
  const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
  let stdout;
  try {
    ({ stdout } = await promisify(execFile)("bash", [START_SCRIPT, "", workDir]));
  } catch (err) {
    const brokerPid = readPid(workDir);
    if (brokerPid) await stopProcess(brokerPid).catch(() => undefined);
    removeWorkDir();
    throw new Error(`scripts/kafka/start-kafka.sh failed: ${err.stderr || err.message}`);
  }
  const bootstrapServers = /^KAFKA_BOOTSTRAP_SERVERS=(.+)$/m.exec(stdout)?.[1];
  const pid = readPid(workDir);
  return {
    bootstrapServers,
    pid,
    own: true,
    stop: async () => {
      await stopProcess(pid);
      removeWorkDir();
    },
  };
}

function readPid(workDir) {
  try {
    return Number(readFileSync(path.join(workDir, "broker.pid"), "utf8").trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** SIGTERM (the broker closes its logs cleanly), SIGKILL when it has not gone within 30 s. */
async function stopProcess(pid) {
  if (!isRunning(pid)) return;
  process.kill(pid, "SIGTERM");
  try {
    await poll(() => !isRunning(pid), STOP_TIMEOUT_MS, `the Kafka broker (pid ${pid}) to exit`, 100);
  } catch {
    process.kill(pid, "SIGKILL");
    await poll(() => !isRunning(pid), STOP_TIMEOUT_MS, `the Kafka broker (pid ${pid}) to die`, 100);
  }
}

/** The broker is not our child (the start script put it in the background): once it is a zombie nobody reaps, it has gone. */
function isRunning(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

