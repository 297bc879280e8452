/** History survives the hub process dying: every acknowledged sample is queryable exactly once after a kill -9 or a graceful stop and a restart. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildServer, killAllServers, startServerProcess, stopServerProcess, type ServerProcess } from "../test-support/server-process.js";
import { createAgent, HttpClient, signUp, waitFor, type SignedUp } from "../test-support/test-hub.js";
import { decodeChunk } from "./chunk-codec.js";
import { JOURNAL_CURSOR } from "./jobs.js";

const FACTS = { hostname: "recovery-host", os: "linux", arch: "x64", version: "test" };
const BATCH = 50;
/** A flush runs every 10 s; waiting for the first one after start-up never takes longer than this. */
const FLUSH_DEADLINE_MS = 15_000;
const MINUTE_MS = 60_000;

/** Sample i of a run: one second apart (each its own 1 s bucket), with a recognisable CPU value. */
const timestampOf = (base: number, i: number) => base + i * 1000 + 250;
const cpuOf = (i: number) => ((i * 7919) % 10_000) / 100;

interface Expected {
  t: number;
  cpu: number;
}

/** A run of `count` samples starting at index `from`, ending well inside the last 15 minutes. */
function samplesOf(base: number, from: number, count: number): Expected[] {
  return Array.from({ length: count }, (_, k) => ({ t: timestampOf(base, from + k), cpu: cpuOf(from + k) }));
}

/** A second-aligned base that puts `total` samples in the last few minutes, the newest 30 s ago. */
const recentBase = (total: number) => Math.floor((Date.now() - (total + 30) * 1000) / 1000) * 1000;

interface Setup {
  user: SignedUp;
  agent: { id: number; token: string };
}

async function setUp(server: ServerProcess, name: string): Promise<Setup> {
  const user = await signUp(server.url, name);
  return { user, agent: await createAgent(user, `${name}-agent`) };
}

/** Posts the samples in concurrent batches and checks every one was acknowledged as newly stored. */
async function ingest(server: ServerProcess, token: string, samples: Expected[]): Promise<void> {
  const client = new HttpClient(server.url);
  const batches = Array.from({ length: Math.ceil(samples.length / BATCH) }, (_, b) => samples.slice(b * BATCH, (b + 1) * BATCH));
  const responses = await Promise.all(
    batches.map((batch) =>
      client.post(
        "/api/v1/ingest",
        { agent: FACTS, samples: batch.map((s, k) => ({ seq: k, timestamp: s.t, cpu: { usage_percent: s.cpu } })) },
        { headers: { "x-agent-token": token } },
      ),
    ),
  );
  expect(responses.map((r) => [r.status, r.body?.stored])).toEqual(batches.map((batch) => [200, batch.length]));
}

async function cpuPoints(server: ServerProcess, { user, agent }: Setup) {
  const res = await new HttpClient(server.url, user.accessToken).get(`/api/v1/agents/${agent.id}/history/cpu?start=-15m&interval=1s`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ agent_id: agent.id, tier: "raw", interval: "1s" });
  const usage = (res.body.series as Array<{ name: string; points: Array<{ t: number; v: number; min: number; max: number }> }>).find((s) => s.name === "usage");
  return usage?.points ?? [];
}

/** Polls the API until it shows as many points as were acknowledged, then checks each one exactly. */
async function expectHistory(server: ServerProcess, setup: Setup, expected: Expected[]): Promise<void> {
  let points: Awaited<ReturnType<typeof cpuPoints>> = [];
  await waitFor(async () => (points = await cpuPoints(server, setup)).length >= expected.length, `${expected.length} cpu points`).catch(() => {
    // The exact comparison below reports what is missing.
  });
  expect(points).toEqual(expected.map((s) => ({ t: s.t - 250, v: s.cpu, min: s.cpu, max: s.cpu })));

  const summary = await new HttpClient(server.url, setup.user.accessToken).get(`/api/v1/agents/${setup.agent.id}/history/summary?start=-15m`);
  expect(summary.status).toBe(200);
  expect(summary.body.cpu).toMatchObject({ count: expected.length, last: expected[expected.length - 1]!.cpu });
}

/** Reads the hub's database file directly (read-only; safe next to a running hub in WAL mode). */
function withDatabase<T>(dataDir: string, use: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, "statusmonitor.db"), { readonly: true, fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** Every stored raw row of the agent, in time order, with its cpu usage: duplicates would show twice. */
function storedRawRows(dataDir: string, agentId: number): Expected[] {
  return withDatabase(dataDir, (db) => {
    const chunks = db.prepare("SELECT row_count, data FROM history_chunks WHERE agent_id = ? AND tier = 'raw' ORDER BY window_start").all(agentId) as Array<{
      row_count: number;
      data: Buffer;
    }>;
    return chunks.flatMap((chunk) => {
      const data = decodeChunk(new Uint8Array(chunk.data), (key) => key === "cpu.usage");
      expect(data.times).toHaveLength(chunk.row_count);
      return data.times.map((t, i) => ({ t, cpu: data.columns[0]!.values[i]! }));
    });
  });
}

/** The stored 1m buckets' sample counts of cpu usage, as [minute start, count] in time order. */
function rolledUpCounts(dataDir: string, agentId: number): Array<[number, number]> {
  return withDatabase(dataDir, (db) => {
    const chunks = db.prepare("SELECT data FROM history_chunks WHERE agent_id = ? AND tier = '1m' ORDER BY window_start").pluck().all(agentId) as Buffer[];
    return chunks.flatMap((bytes) => {
      const data = decodeChunk(new Uint8Array(bytes), (key) => key === "c:cpu.usage");
      return data.times.map((t, i): [number, number] => [t, data.columns[0]!.values[i]!]);
    });
  });
}

/**
 * Checks the 1m rollups counted every sample once: each minute that had closed 5 s before `closedBy`
 * (the rollup's grace) is there with its exact count, and any later one present is exact too.
 */
function expectRollups(dataDir: string, agentId: number, samples: Expected[], closedBy: number): void {
  const perMinute = new Map<number, number>();
  for (const { t } of samples) {
    const minute = Math.floor(t / MINUTE_MS) * MINUTE_MS;
    perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
  }
  const surelyClosed = [...perMinute].filter(([minute]) => minute + MINUTE_MS <= closedBy - 5_000);
  expect(surelyClosed.length).toBeGreaterThan(0);
  const stored = rolledUpCounts(dataDir, agentId);
  expect(stored.slice(0, surelyClosed.length)).toEqual(surelyClosed);
  expect(stored.filter(([minute, count]) => perMinute.get(minute) !== count)).toEqual([]);
}

/** Stops the hub gracefully and checks what it left on disk: every sample once, rolled up once. */
async function stopAndCheckStored(server: ServerProcess, dataDir: string, agentId: number, samples: Expected[]): Promise<void> {
  const stopAskedAt = Date.now();
  expect(await stopServerProcess(server, "SIGTERM")).toBe(0);
  expect(storedRawRows(dataDir, agentId)).toEqual(samples);
  expectRollups(dataDir, agentId, samples, stopAskedAt);
}

/** How many journal entries the hub said it replayed at start-up (it logs this at level info). */
function replayedAtStart(server: ServerProcess): number | undefined {
  const line = server
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { msg?: string; replayed?: number })
    .find((entry) => entry.msg === "replayed the ingest journal into history");
  return line?.replayed;
}

const journalCursor = (dataDir: string) =>
  withDatabase(dataDir, (db) => db.prepare("SELECT value FROM history_cursors WHERE name = ?").pluck().get(JOURNAL_CURSOR) as number | undefined);

describe("history recovery after the hub process stops", () => {
  let dataDir = "";

  beforeAll(() => {
    buildServer();
  }, 120_000);

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-history-recovery-"));
  });

  afterEach(async () => {
    await killAllServers();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("replays the journal after a kill -9 that came before any flush", async () => {
    const first = await startServerProcess(dataDir);
    const setup = await setUp(first, "crash");
    const samples = samplesOf(recentBase(300), 0, 300);
    await ingest(first, setup.agent.token, samples);
    expect(await stopServerProcess(first, "SIGKILL")).toBe("SIGKILL");
    // Nothing reached the history tables: what follows can only come from the journal.
    const noFlushYet = "history written before the kill: the first periodic flush (10 s after start-up) beat it";
    expect(storedRawRows(dataDir, setup.agent.id), noFlushYet).toEqual([]);
    expect(journalCursor(dataDir), noFlushYet).toBeUndefined();

    const second = await startServerProcess(dataDir, { LOG_LEVEL: "info" });
    expect(replayedAtStart(second)).toBe(samples.length);
    await expectHistory(second, setup, samples);
    await stopAndCheckStored(second, dataDir, setup.agent.id, samples);
  }, 30_000);

  it("keeps flushed and unflushed samples exactly once after a kill -9 that followed a flush", async () => {
    const base = recentBase(300);
    const before = samplesOf(base, 0, 150);
    const after = samplesOf(base, 150, 150);

    const first = await startServerProcess(dataDir);
    const setup = await setUp(first, "flushed");
    await ingest(first, setup.agent.token, before);
    await waitFor(
      () => journalCursor(dataDir) !== undefined && storedRawRows(dataDir, setup.agent.id).length === before.length,
      "the periodic flush to write the samples and save the journal cursor",
      FLUSH_DEADLINE_MS,
    );
    expect(storedRawRows(dataDir, setup.agent.id)).toEqual(before);

    await ingest(first, setup.agent.token, after);
    expect(await stopServerProcess(first, "SIGKILL")).toBe("SIGKILL");

    // The replay starts before the cursor, so it re-feeds the flushed samples too: they must merge, not repeat.
    const second = await startServerProcess(dataDir, { LOG_LEVEL: "info" });
    expect(replayedAtStart(second)).toBe(before.length + after.length);
    await expectHistory(second, setup, [...before, ...after]);
    await stopAndCheckStored(second, dataDir, setup.agent.id, [...before, ...after]);
  }, 30_000);

  it("writes everything and saves the journal cursor on a graceful stop, and replays nothing twice", async () => {
    const samples = samplesOf(recentBase(300), 0, 300);
    const first = await startServerProcess(dataDir);
    const setup = await setUp(first, "graceful");
    const ingestStarted = Date.now();
    await ingest(first, setup.agent.token, samples);
    const acked = Date.now();

    // The stop flushed every sample, rolled up the minutes that had closed and saved the cursor.
    await stopAndCheckStored(first, dataDir, setup.agent.id, samples);
    const cursor = journalCursor(dataDir);
    expect(cursor).toBeGreaterThanOrEqual(ingestStarted);
    expect(cursor).toBeLessThanOrEqual(acked);

    // The restart replays from before the cursor, over samples already written and rolled up.
    const second = await startServerProcess(dataDir, { LOG_LEVEL: "info" });
    expect(replayedAtStart(second)).toBe(samples.length);
    await expectHistory(second, setup, samples);
    await stopAndCheckStored(second, dataDir, setup.agent.id, samples);
    expect(journalCursor(dataDir)).toBeGreaterThanOrEqual(cursor!);
  }, 30_000);
});
