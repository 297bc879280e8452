/** `statusmonitor serve`: starts the hub and shuts it down gracefully on SIGINT or SIGTERM. */
import type { Config } from "../config/config.js";
import type { Logger } from "../core/logger.js";
import { startHub } from "../hub.js";

export async function serve(config: Config, logger: Logger): Promise<void> {
  const hub = await startHub(config, logger);
  logger.info({ url: hub.url, roles: config.roles, preset: config.preset, dataDir: config.dataDir }, "hub started");
  process.stdout.write(`\nStatusMonitor hub is running: ${hub.url}  (API reference: ${hub.url}/api/docs)\n\n`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting without waiting");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down: draining requests and saving state");
    hub.stop().then(
      () => {
        logger.info("hub stopped");
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
