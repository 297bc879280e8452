/** The real agent (`node packages/agent/dist/main.js`) as a child process at 1 sample/s against the e2e hub. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = path.join(ROOT, "packages/agent/dist/main.js");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

/** Compiles the agent (incremental: a no-op when dist is up to date). */
export function buildAgent(): void {
  try {
    execFileSync(process.execPath, [TSC, "-b", "packages/agent"], { cwd: ROOT, stdio: "pipe" });
  } catch (error) {
    const { stdout } = error as { stdout?: Buffer };
    throw new Error(`the agent does not compile:\n${stdout?.toString() ?? String(error)}`);
  }
}

export interface AgentProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the agent with its own buffer and an empty home (so no ~/.statusmonitor/agent.json of the machine's user leaks in). */
export function startAgent(options: { hubUrl: string; token: string; dir: string }): AgentProcess {
  const home = path.join(options.dir, "home");
  mkdirSync(home, { recursive: true });
  const child = spawn(process.execPath, [MAIN], {
    env: {
      HOME: home,
      INGESTION_URL: options.hubUrl,
      AGENT_TOKEN: options.token,
      COLLECTION_INTERVAL: "1",
      BUFFER_DIR: path.join(options.dir, "buffer"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
