#!/usr/bin/env node
/** The `statusmonitor` command: wires the CLI to configuration, logging and the chosen command. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { admin, UsageError } from "./cli/admin.js";
import { parseArgs, settingFlags } from "./cli/args.js";
import { serve } from "./cli/serve.js";
import { ConfigError, loadConfig } from "./config/config.js";
import { createLogger } from "./core/logger.js";
import { HUB_VERSION } from "./version.js";

const HELP = `statusmonitor ${HUB_VERSION}: self-hosted, real-time system monitoring hub

Usage:
  statusmonitor serve [--port 8080] [--host 0.0.0.0] [--data-dir ./data] [--config file.json] [--roles api,ingest,live]
  statusmonitor admin create-user <username> [--admin]     (password read from stdin or prompted)
  statusmonitor admin reset-password <username>
  statusmonitor --help | --version

Every setting can be given as a flag (--data-dir), an environment variable (DATA_DIR) or a key of the
JSON file given by --config / CONFIG_FILE; flags win over the environment, which wins over the file.
See docs/CONFIGURATION.md for the full list.`;

/** The dashboard build, next to this package in the repository. */
const DEFAULT_WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../web/dist");

async function main(argv: string[]): Promise<number> {
  const { command, flags } = parseArgs(argv);
  if (flags.version) {
    process.stdout.write(`${HUB_VERSION}\n`);
    return 0;
  }
  if (flags.help || command.length === 0) {
    process.stdout.write(`${HELP}\n`);
    return flags.help ? 0 : 2;
  }
  const { settings, unknown } = settingFlags(flags, ["config"]);
  if (unknown.length > 0) throw new UsageError(`unknown option(s): ${unknown.join(", ")} (see --help)`);
  const config = loadConfig({
    env: process.env,
    flags: settings,
    file: typeof flags.config === "string" ? flags.config : undefined,
    defaultWebDir: DEFAULT_WEB_DIR,
  });
  const logger = createLogger({ level: config.logLevel });

  switch (command[0]) {
    case "serve":
      await serve(config, logger);
      return -1;
    case "admin": {
      const message = await admin({ subcommand: command[1], username: command[2], makeAdmin: flags.admin === true }, config, logger);
      process.stdout.write(`${message}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command[0]}" (see --help)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof UsageError) {
      process.stderr.write(`statusmonitor: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`statusmonitor: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
