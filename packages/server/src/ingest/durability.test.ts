/** Crash durability: every ingest the real hub process acknowledged is still there after a `kill -9` and a restart. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAgent, HttpClient, signUp, waitFor } from "../test-support/test-hub.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const MAIN = path.join(ROOT, "packages/server/dist/main.js");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
const N = 500;
const START_TIMEOUT_MS = 20_000;
const FACTS = { hostname: "durability-host", os: "linux", arch: "x64", version: "test" };

interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit signal or code once the process is gone. */
  exited: Promise<NodeJS.Signals | number | null>;
}

const running = new Set<ServerProcess>();

/** Starts `statusmonitor serve` on a free port chosen by the OS and waits until /health answers. */
async function startServer(dataDir: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN, "serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir], {
    // Only what the hub needs: nothing from the test runner's environment leaks into its config.
    env: { LOG_LEVEL: "warn", INGEST_RATE_LIMIT_PER_S: "10000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const server: ServerProcess = { child, url: "", exited };
  running.add(server);

  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  // waitFor resolves only with a truthy value: the URL.
  server.url = (await waitFor(
    () => {
      if (exitedEarly) throw new Error(`the hub exited during start-up:\n${output}`);
      return /hub is running: (http:\/\/\S+)/.exec(output)?.[1];
    },
    "the hub to print its URL",
    START_TIMEOUT_MS,
  ))!;
  await waitFor(
    async () => (await fetch(`${server.url}/health`).catch(() => undefined))?.status === 200,
    "GET /health to answer 200",
    START_TIMEOUT_MS,
  );
  return server;
}

async function kill(server: ServerProcess): Promise<NodeJS.Signals | number | null> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
  const how = await server.exited;
  running.delete(server);
  return how;
}

/** Sample i of the run: one second apart, in the recent past, with a recognisable CPU value. */
const timestampOf = (base: number, i: number) => base + i * 1000 + 250;
const cpuOf = (i: number) => (i % 100) + 0.5;

const batchOf = (base: number, indexes: number[]) => ({
  agent: FACTS,
  samples: indexes.map((i) => ({ seq: i, timestamp: timestampOf(base, i), cpu: { usage_percent: cpuOf(i) } })),
});

describe("ingest durability across a crash of the hub process", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-durability-"));

  beforeAll(() => {
    // Incremental: a no-op when dist is up to date, a rebuild when the sources changed.
    execFileSync(process.execPath, [TSC, "-b", "packages/server"], { cwd: ROOT, stdio: "pipe" });
  }, 120_000);

  afterEach(async () => {
    for (const server of [...running]) await kill(server);
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(`keeps all ${N} acknowledged samples after kill -9`, async () => {
    const first = await startServer(dataDir);
    const user = await signUp(first.url, "durable");
    const agent = await createAgent(user, "crash-test");
    const base = Date.now() - (N + 60) * 1000;

    // Every other sample in the original agents' format (epoch seconds), the rest as one-sample batches.
    const ingest = new HttpClient(first.url);
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        i % 2 === 0
          ? ingest.post("/ingest", { timestamp: timestampOf(base, i) / 1000, cpu: { usage_percent: cpuOf(i) } }, { headers: { "x-agent-token": agent.token } })
          : ingest.post("/api/v1/ingest", batchOf(base, [i]), { headers: { "x-agent-token": agent.token } }),
      ),
    );
    expect(responses.filter((r) => r.status !== 200).map((r) => [r.status, r.body])).toEqual([]);

    expect(await kill(first)).toBe("SIGKILL");

    const second = await startServer(dataDir);
    const owner = new HttpClient(second.url, user.accessToken);
    const newest = N - 1;

    const latest = await owner.get(`/api/v1/agents/${agent.id}/latest`);
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ agent_id: agent.id, timestamp: timestampOf(base, newest), cpu: { usage_percent: cpuOf(newest) } });

    const db = new Database(path.join(dataDir, "statusmonitor.db"), { readonly: true, fileMustExist: true });
    try {
      const stored = db.prepare("SELECT ts FROM sample_journal WHERE agent_id = ? ORDER BY ts").pluck().all(agent.id) as number[];
      expect(stored).toHaveLength(N);
      expect(stored).toEqual(Array.from({ length: N }, (_, i) => timestampOf(base, i)));
    } finally {
      db.close();
    }

    const resent = await new HttpClient(second.url).post(
      "/api/v1/ingest",
      batchOf(base, Array.from({ length: N }, (_, i) => i)),
      { headers: { "x-agent-token": agent.token } },
    );
    expect(resent.status).toBe(200);
    expect(resent.body).toEqual({ status: "received", stored: 0, duplicates: N, newest_timestamp: timestampOf(base, newest) });
  }, 120_000);
});
