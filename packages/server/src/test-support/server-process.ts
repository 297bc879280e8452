/**
 * Runs the built `statusmonitor serve` as a real child process (for crash and shutdown tests): builds
 * it, starts it on a free port over a given data directory, waits for /health, and stops it with a
 * chosen signal. Every process started is tracked so a test can clean up even after a failure.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "./test-hub.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const MAIN = path.join(ROOT, "packages/server/dist/main.js");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
const START_TIMEOUT_MS = 20_000;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit signal or code once the process is gone. */
  exited: Promise<NodeJS.Signals | number | null>;
}

const running = new Set<ServerProcess>();

/** Compiles the server (incremental: a no-op when dist is up to date). */
export function buildServer(): void {
  execFileSync(process.execPath, [TSC, "-b", "packages/server"], { cwd: ROOT, stdio: "pipe" });
}

/**
 * Starts `statusmonitor serve` on a port chosen by the OS (or `options.port`, to restart a hub where its
 * clients expect it) and waits until /health answers.
 */
export async function startServerProcess(dataDir: string, env: Record<string, string> = {}, options: { port?: number } = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN, "serve", "--port", String(options.port ?? 0), "--host", "127.0.0.1", "--data-dir", dataDir], {
    // Only what the hub needs: nothing from the test runner's environment leaks into its config.
    env: { LOG_LEVEL: "warn", INGEST_RATE_LIMIT_PER_S: "10000", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const server: ServerProcess = { child, url: "", output: () => output, exited };
  running.add(server);

  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
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

/** Sends `signal` (unless the process already ended) and resolves with how it exited. */
export async function stopServerProcess(server: ServerProcess, signal: NodeJS.Signals): Promise<NodeJS.Signals | number | null> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  const how = await server.exited;
  running.delete(server);
  return how;
}

export async function killAllServers(): Promise<void> {
  for (const server of [...running]) await stopServerProcess(server, "SIGKILL");
}
