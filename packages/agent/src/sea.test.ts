/**
 * The single-file executable as a user runs it: built once from the compiled agent into a temp dir,
 * then `--help`, `--version`, `--once`, and sending to a real hub until SIGTERM.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { agentFacts, batchSample } from "@statusmonitor/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, signUp, startTestHub, waitFor, type TestHub } from "../../server/src/test-support/test-hub.js";
import { VERSION } from "./collect/version.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const run = promisify(execFile);

// The single executable is built and smoke-tested for Linux (CI); macOS and Windows follow the README.
describe.runIf(process.platform === "linux")("single-file executable", () => {
  let work: string;
  let executable: string;
  let bundle: string;
  let hub: TestHub | undefined;
  /** No `node` on the PATH: the executable must carry everything it needs. */
  let bareEnv: Record<string, string>;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), "statusmonitor-sea-"));
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-b", "packages/agent"], { cwd: ROOT, stdio: "pipe" });
    // Copies and injects a ~100 MB binary: seconds on a quiet machine, more under a full test run.
    execFileSync(process.execPath, [path.join(ROOT, "scripts/build-agent-sea.mjs"), "--out-dir", work], { cwd: ROOT, stdio: "pipe" });
    executable = path.join(work, "statusmonitor-agent");
    bundle = path.join(work, "statusmonitor-agent.cjs");
    bareEnv = { PATH: work, HOME: work };
  }, 240_000);

  afterAll(async () => {
    await hub?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("prints its usage with --help and exits 0", async () => {
    const { stdout } = await run(executable, ["--help"], { env: bareEnv, cwd: work });
    expect(stdout).toContain("Usage:");
    expect(stdout).toContain("INGESTION_URL");
    expect(stdout).toContain("AGENT_TOKEN");
  });

  it("prints its version with --version, as does the plain bundle under node", async () => {
    expect((await run(executable, ["--version"], { env: bareEnv, cwd: work })).stdout.trim()).toBe(VERSION);
    expect((await run(process.execPath, [bundle, "--version"], { env: bareEnv, cwd: work })).stdout.trim()).toBe(VERSION);
  });

  it("prints one sample with --once that fits the batch format", async () => {
    const { stdout, stderr } = await run(executable, ["--once"], { env: bareEnv, cwd: work });
    // No experimental-feature warning in a user's terminal.
    expect(stderr).not.toMatch(/ExperimentalWarning|experimental/i);
    const printed = JSON.parse(stdout) as { agent: unknown; sample: Record<string, unknown> };
    expect(agentFacts.parse(printed.agent).version).toBe(VERSION);
    const sample = batchSample.parse({ ...printed.sample, seq: 0 });
    expect(Math.abs(sample.timestamp - Date.now())).toBeLessThan(60_000);
    expect(sample.memory?.total).toBeGreaterThan(0);
    expect(sample.cpu?.usage_percent).toBeDefined();
  }, 30_000);

  it("sends samples to a real hub and exits 0 on SIGTERM", async () => {
    hub = await startTestHub();
    const user = await signUp(hub.url, "sea-owner");
    const { id, token } = await createAgent(user, "sea-box");
    const startedAt = Date.now();
    const child = spawn(executable, [], {
      cwd: work,
      env: { ...bareEnv, INGESTION_URL: hub.url, AGENT_TOKEN: token, COLLECTION_INTERVAL: "1", BUFFER_DIR: path.join(work, "buffer") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
    try {
      // Two different samples stored: the agent is sending on its schedule, not just once.
      const seen = new Set<number>();
      await waitFor(
        async () => {
          const latest = await user.get(`/api/v1/agents/${id}/latest`);
          if (latest.status === 200 && latest.body.timestamp >= startedAt - 1000) seen.add(latest.body.timestamp);
          return seen.size >= 2;
        },
        "two samples from the executable",
        30_000,
        200,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; the agent printed:\n${output}`);
      });
      const agent = await user.get(`/api/v1/agents/${id}`);
      expect(agent.body.agent_version).toBe(VERSION);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(output).toContain("SIGTERM");
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }, 60_000);
});
