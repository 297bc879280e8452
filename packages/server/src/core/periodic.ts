/** A background job run every N ms as a RunGroup service; runs never overlap and failures are logged. */
import type { Logger } from "./logger.js";
import type { Service } from "./run-group.js";

/** `runOnStop`: run once more when stopping — the same job, or the one given (e.g. a complete final pass). */
export function periodic(
  name: string,
  everyMs: number,
  job: () => Promise<void>,
  logger: Logger,
  options: { runOnStop?: boolean | (() => Promise<void>) } = {},
): Service {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const run = (task = job) => {
    running ??= task()
      .catch((err) => logger.error({ err, job: name }, "background job failed"))
      .finally(() => (running = undefined));
    return running;
  };
  return {
    name,
    start() {
      timer = setInterval(() => run(), everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
      if (options.runOnStop) await run(typeof options.runOnStop === "function" ? options.runOnStop : job);
    },
  };
}
