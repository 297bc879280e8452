/**
 * The built agent as a real process against a real hub: the hub goes away for a while, the agent is
 * killed (SIGKILL) in the middle of the outage and started again, the hub comes back — and every
 * sample the agent took is stored exactly once. A corrupt buffer file does not stop the agent either.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAgent, signIn, signUp, startTestHub, waitFor, type TestHub } from "../../server/src/test-support/test-hub.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const AGENT_MAIN = path.join(ROOT, "packages/agent/dist/main.js");
const HUB_SETTINGS = { INGEST_RATE_LIMIT_PER_S: "10000" };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface AgentProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | NodeJS.Signals | null>;
}
const agents: AgentProcess[] = [];

function startAgentProcess(env: Record<string, string>): AgentProcess {
  const child = spawn(process.execPath, [AGENT_MAIN], { env: { PATH: process.env.PATH ?? "", HOME: env.HOME ?? tmpdir(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  const agent = { child, output: () => output, exited };
  agents.push(agent);
  return agent;
}

/** Every raw sample timestamp the hub holds for the agent (memory is in every sample). */
async function storedTimestamps(hub: TestHub, token: string, agentId: number): Promise<number[]> {
  await hub.history.flushAndRollup();
  const res = await fetch(`${hub.url}/api/v1/agents/${agentId}/history/memory?start=-20m&interval=1s`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { series: { name: string; points: { t: number }[] }[] };
  const series = body.series.find((s) => s.name.includes("used_percent")) ?? body.series[0];
  return (series?.points ?? []).map((p) => p.t);
}

describe("agent outage and back-fill (real processes)", () => {
  let dataDir: string;
  let work: string;
  let port: number;
  let hub: TestHub | undefined;

  beforeAll(() => {
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-b", "packages/agent"], { cwd: ROOT, stdio: "pipe" });
    dataDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-outage-hub-"));
    work = mkdtempSync(path.join(tmpdir(), "statusmonitor-outage-agent-"));
  }, 120_000);
  afterEach(async () => {
    for (const agent of agents.splice(0)) {
      agent.child.kill("SIGKILL");
      await agent.exited;
    }
  });
  afterAll(async () => {
    await hub?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("stores every sample taken across a hub outage and an agent crash exactly once", async () => {
    port = await freePort();
    const startHub = () => startTestHub({ dataDir, settings: { ...HUB_SETTINGS, PORT: String(port) } });
    hub = await startHub();
    const user = await signUp(hub.url, "owner");
    const { id, token } = await createAgent(user, "outage-box");
    const env = { INGESTION_URL: hub.url, AGENT_TOKEN: token, COLLECTION_INTERVAL: "1", BUFFER_DIR: path.join(work, "buffer"), HOME: work };

    let agent = startAgentProcess(env);
    await waitFor(async () => (await storedTimestamps(hub!, user.accessToken!, id)).length >= 3, "three live samples", 20_000, 200);

    // The hub goes away; the agent keeps sampling into its disk buffer.
    await hub.stop();
    hub = undefined;
    const outageFrom = Date.now();
    await waitFor(() => /retrying in/.test(agent.output()), "the agent to notice the outage", 10_000, 50);
    await waitFor(() => Date.now() - outageFrom >= 4_000, "four seconds of outage", 10_000, 100);

    // Killed without a chance to flush, then started again: the buffer on disk is all it has.
    agent.child.kill("SIGKILL");
    await agent.exited;
    const deadFrom = Date.now();
    agent = startAgentProcess(env);
    await waitFor(() => /retrying in|samples from an earlier run/.test(agent.output()), "the restarted agent", 10_000, 50);
    const deadUntil = Date.now();
    await waitFor(() => Date.now() - deadUntil >= 3_000, "three more seconds of outage", 10_000, 100);

    hub = await startHub();
    const session = await signIn(hub.url, "owner");
    const backAt = Date.now();
    // Once a live sample newer than the hub's return is stored and the back-fill has drained, stop the agent cleanly.
    await waitFor(
      async () => {
        const stored = await storedTimestamps(hub!, session.accessToken!, id);
        return stored.some((t) => t > backAt + 2_000) && /back-fill|answers again/.test(agent.output());
      },
      "live samples after the hub came back",
      60_000,
      250,
    );
    agent.child.kill("SIGTERM");
    expect(await agent.exited).toBe(0);

    const stored = await storedTimestamps(hub, session.accessToken!, id);
    expect(new Set(stored).size).toBe(stored.length);
    const first = stored[0]!;
    const last = stored[stored.length - 1]!;
    // Every second from the first sample to the last is there, except while no agent process was running.
    const missing: number[] = [];
    for (let t = first; t <= last; t += 1000) {
      if (!stored.includes(t) && !(t >= deadFrom - 1000 && t <= deadUntil + 1000)) missing.push(t);
    }
    expect(missing).toEqual([]);
    expect(stored.filter((t) => t > outageFrom && t < backAt).length).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it("carries on past a corrupt buffer file, counting what it skipped", async () => {
    port = await freePort();
    hub = await startTestHub({ dataDir: mkdtempSync(path.join(tmpdir(), "statusmonitor-outage-hub2-")), settings: { ...HUB_SETTINGS, PORT: String(port) } });
    const user = await signUp(hub.url, "owner2");
    const { id, token } = await createAgent(user, "corrupt-box");
    const bufferDir = path.join(work, "buffer-corrupt");
    const env = { INGESTION_URL: `http://127.0.0.1:${await freePort()}`, AGENT_TOKEN: token, COLLECTION_INTERVAL: "1", BUFFER_DIR: bufferDir, HOME: work };
    // First against nothing: samples pile up in the buffer.
    let agent = startAgentProcess(env);
    await waitFor(() => existsSync(bufferDir) && readdirSync(bufferDir).length > 0 && /retrying in/.test(agent.output()), "buffered samples", 15_000, 100);
    agent.child.kill("SIGTERM");
    await agent.exited;
    for (const file of readdirSync(bufferDir)) if (!file.startsWith(".")) appendFileSync(path.join(bufferDir, file), Buffer.from("\u0000garbage\u00ff\u0013 not a record"));

    agent = startAgentProcess({ ...env, INGESTION_URL: hub.url });
    await waitFor(async () => (await storedTimestamps(hub!, user.accessToken!, id)).length >= 3, "samples despite the corrupt buffer", 30_000, 250);
    expect(agent.output()).toMatch(/[1-9]\d* damaged record\(s\) in .* were skipped/);
    agent.child.kill("SIGTERM");
    expect(await agent.exited).toBe(0);
    await hub.close();
    hub = undefined;
  }, 90_000);
});
