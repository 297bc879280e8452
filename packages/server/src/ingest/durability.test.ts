/** Crash durability: every ingest the real hub process acknowledged is still there after a `kill -9` and a restart. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildServer, killAllServers, startServerProcess, stopServerProcess } from "../test-support/server-process.js";
import { createAgent, HttpClient, signUp } from "../test-support/test-hub.js";

const N = 500;
const FACTS = { hostname: "durability-host", os: "linux", arch: "x64", version: "test" };

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
    buildServer();
  }, 120_000);

  afterEach(() => killAllServers());

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(`keeps all ${N} acknowledged samples after kill -9`, async () => {
    const first = await startServerProcess(dataDir);
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

    expect(await stopServerProcess(first, "SIGKILL")).toBe("SIGKILL");

    const second = await startServerProcess(dataDir);
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
