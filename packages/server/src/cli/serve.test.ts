/** Graceful shutdown of `statusmonitor serve`: SIGTERM and SIGINT drain, save presence and exit 0. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildServer, killAllServers, startServerProcess, stopServerProcess } from "../test-support/server-process.js";
import { createAgent, HttpClient, signUp } from "../test-support/test-hub.js";

describe("statusmonitor serve shutdown", () => {
  const dirs: string[] = [];
  beforeAll(() => buildServer(), 120_000);
  afterEach(() => killAllServers());
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each(["SIGTERM", "SIGINT"] as const)("stops on %s with exit code 0 and keeps last_seen", async (signal) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-shutdown-"));
    dirs.push(dataDir);
    const server = await startServerProcess(dataDir, { LOG_LEVEL: "info" });
    const user = await signUp(server.url, "stopper");
    const agent = await createAgent(user);
    const sent = await new HttpClient(server.url).post(
      "/ingest",
      { timestamp: Date.now() / 1000, cpu: { usage_percent: 5 } },
      { headers: { "x-agent-token": agent.token } },
    );
    expect(sent.status).toBe(200);

    // Presence is saved every 2 s; stopping right away proves the shutdown saves it too.
    expect(await stopServerProcess(server, signal)).toBe(0);
    expect(server.output()).toContain("hub stopped");

    const db = new Database(path.join(dataDir, "statusmonitor.db"), { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("SELECT last_seen, token_activated_at FROM agents WHERE id = ?").get(agent.id) as {
        last_seen: number | null;
        token_activated_at: number | null;
      };
      expect(row.last_seen).not.toBeNull();
      expect(row.token_activated_at).not.toBeNull();
      expect(db.prepare("SELECT count(*) FROM sample_journal WHERE agent_id = ?").pluck().get(agent.id)).toBe(1);
    } finally {
      db.close();
    }
  }, 60_000);
});
