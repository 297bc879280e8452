/**
 * Finding the processes of the services a distributed hub uses (Kafka, PostgreSQL, Redis) on this
 * machine, so a benchmark can charge their CPU and memory; every finder answers "none" rather than
 * guess when the service runs elsewhere (another host, a container with its own pid namespace).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

const TCP_LISTEN = "0A";

/** The pid of the process listening on TCP `port`: the socket's inode from /proc/net/tcp{,6}, then the process holding it. */
export function pidListeningOn(port) {
  const inodes = new Set();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readOr(table, "").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && fields[3] === TCP_LISTEN && parseInt(fields[1].split(":")[1], 16) === port) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const pid of numericEntries("/proc")) {
    for (const fd of numericEntries(`/proc/${pid}/fd`)) {
      const inode = /^socket:\[(\d+)\]$/.exec(linkOr(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode && inodes.has(inode)) return pid;
    }
  }
  return undefined;
}

/** The redis-server's own pid (INFO server), when a process of that name has it here. */
export async function redisServerPid(redis) {
  const pid = Number(/^process_id:(\d+)/m.exec(await redis.info("server"))?.[1]);
  return pid && commandOf(pid).startsWith("redis") ? pid : undefined;
}

/**
 * PostgreSQL processes by `pg_stat_activity` (needs a superuser or pg_read_all_stats to see other
 * sessions): the client backends whose application_name is `applicationName`, and the server's own
 * background processes (WAL writer, checkpointer, …), which work for every database user. Only pids
 * that are postgres processes on this machine are kept.
 */
export async function postgresPids(client, applicationName) {
  const { rows } = await client.query("SELECT pid, backend_type, application_name FROM pg_stat_activity");
  const local = (pid) => commandOf(pid).startsWith("postgres");
  return {
    backends: rows.filter((r) => r.backend_type === "client backend" && r.application_name === applicationName && local(r.pid)).map((r) => r.pid),
    background: rows.filter((r) => r.backend_type !== "client backend" && local(r.pid)).map((r) => r.pid),
  };
}

function commandOf(pid) {
  return readOr(`/proc/${pid}/comm`, "").trim();
}

function readOr(file, fallback) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

function linkOr(file) {
  try {
    return readlinkSync(file);
  } catch {
    return "";
  }
}

function numericEntries(dir) {
  try {
    return readdirSync(dir).filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}
