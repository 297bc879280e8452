#!/usr/bin/env node
/** The `statusmonitor-agent` command: run headless, print one sample (`--once`), or open the local settings UI (`ui`). */
import { parseArgs } from "node:util";
import { AgentConfigError, defaultConfigPath, loadAgentConfig, maskToken, readConfigFile, type AgentConfig } from "./config.js";
import { startAgent } from "./start.js";
import { VERSION } from "./collect/version.js";
import { createSampler } from "./collect/sampler.js";

const HELP = `statusmonitor-agent ${VERSION} — sends this machine's CPU, memory, disk and network metrics to a StatusMonitor hub.

Usage:
  statusmonitor-agent [options]        collect and send until stopped (SIGINT/SIGTERM flush the buffer)
  statusmonitor-agent --once           print one sample as JSON and exit (needs no hub)
  statusmonitor-agent ui [options]     open the local settings page (127.0.0.1, a secret link);
                                       --port N (default: any free port), --no-open (print the link only)

Options (each also an environment variable, or a key of the config file):
  --url URL          INGESTION_URL        the hub's URL (or its /ingest URL), e.g. http://hub.example:8080
  --token TOKEN      AGENT_TOKEN          the agent's token from the dashboard
  --interval S       COLLECTION_INTERVAL  seconds between samples, 1–3600 (INTERVAL also works; default 1)
  --buffer-dir DIR   BUFFER_DIR           where unsent samples wait (default ~/.statusmonitor/buffer)
  --buffer-max-mb N  BUFFER_MAX_MB        disk buffer cap; the oldest samples go first (default 64)
  --config FILE                           config file (default ~/.statusmonitor/agent.json, mode 0600)
                     AUTO_START           (settings UI) start sending as soon as the page's server starts
  --help, --version

Flags win over the environment, which wins over the file.`;

function log(level: "info" | "warn" | "error", message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: "string" },
      token: { type: "string" },
      interval: { type: "string" },
      "buffer-dir": { type: "string" },
      "buffer-max-mb": { type: "string" },
      config: { type: "string" },
      once: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
      port: { type: "string" },
      "no-open": { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (values.once) {
    const sampler = createSampler();
    await sampler.sample(Date.now());
    // CPU usage is a difference of two readings: the second comes a second after the first.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    process.stdout.write(`${JSON.stringify({ agent: await sampler.facts(), sample: await sampler.sample(Date.now()) }, null, 2)}\n`);
    return 0;
  }
  const configPath = values.config ?? defaultConfigPath();
  const flags = {
    INGESTION_URL: values.url,
    AGENT_TOKEN: values.token,
    COLLECTION_INTERVAL: values.interval,
    BUFFER_DIR: values["buffer-dir"],
    BUFFER_MAX_MB: values["buffer-max-mb"],
  };
  const command = positionals[0];
  if (command === "ui") {
    const { runSettingsUi } = await import("./ui/server.js");
    return runSettingsUi({ configPath, flags, env: process.env, port: values.port === undefined ? 0 : Number(values.port), openBrowser: !values["no-open"], log });
  }
  if (command !== undefined) {
    log("error", `unknown command "${command}"; see --help`);
    return 2;
  }
  let config: AgentConfig;
  try {
    config = loadAgentConfig({ env: process.env, flags, file: await readConfigFile(configPath), requireConnection: true });
  } catch (err) {
    if (err instanceof AgentConfigError) {
      log("error", err.message);
      return 2;
    }
    throw err;
  }
  const agent = await startAgent(config, log);
  log("info", `statusmonitor-agent ${VERSION}: sending every ${config.intervalS} s to ${config.hubUrl} with token ${maskToken(config.token)}`);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log("info", `${signal}: stopping, unsent samples are written to ${config.bufferDir}`);
      resolve();
    };
    process.once("SIGINT", () => shutdown("SIGINT"));
    process.once("SIGTERM", () => shutdown("SIGTERM"));
  });
  await agent.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    log("error", err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
