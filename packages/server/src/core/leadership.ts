/**
 * Runs a group of services in one process at a time: each candidate keeps trying to claim a lease
 * in the shared cache, the holder starts the services and renews the lease well within its lifetime,
 * and a holder that cannot renew stops them. A standby takes over within one lease lifetime after
 * the holder dies. Embedded, the only candidate wins at once.
 */
import type { Cache } from "./cache.js";
import type { Logger } from "./logger.js";
import { RunGroup, type Service } from "./run-group.js";

export interface LeadershipOptions {
  /** Lease key, e.g. `leader:alerts`. */
  lease: string;
  /** This process's identity (unique per process). */
  owner: string;
  cache: Cache;
  /** How long a lease lasts without renewal. */
  ttlMs: number;
  /** How often the holder renews and a standby retries (a third of the lifetime or less). */
  renewEveryMs: number;
  stopTimeoutMs: number;
  logger: Logger;
}

export interface Leadership extends Service {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True while this process holds the lease and runs the services. */
  readonly leading: boolean;
  /** Claims or renews now instead of on the timer (tests). */
  campaignNow(): Promise<void>;
}

export function leadership(name: string, options: LeadershipOptions, services: () => Service[]): Leadership {
  const { cache, lease, owner, logger } = options;
  let group: RunGroup | undefined;
  let timer: NodeJS.Timeout | undefined;
  let turn: Promise<void> = Promise.resolve();

  const lead = async () => {
    group = new RunGroup(logger, options.stopTimeoutMs);
    logger.info({ lease, owner }, `${name}: this process leads`);
    try {
      await group.start(services());
    } catch (err) {
      logger.error({ err, lease }, `${name}: starting failed; giving the lease up`);
      await stepDown();
    }
  };
  const stepDown = async () => {
    const running = group;
    group = undefined;
    await running?.stop();
    await cache.release(lease, owner).catch(() => undefined);
  };
  /** One campaign step: claim or renew; a lost or unreachable lease stops the services. */
  const campaign = async () => {
    let held = false;
    try {
      held = await cache.claim(lease, owner, options.ttlMs);
    } catch (err) {
      logger.warn({ err: (err as Error).message, lease }, `${name}: lease check failed`);
    }
    if (held && !group) await lead();
    else if (!held && group) {
      logger.warn({ lease, owner }, `${name}: lease lost; stopping until it is won again`);
      await stepDown();
    }
  };
  // Campaign steps never overlap (a slow start must finish before the next renewal decides).
  const step = () => (turn = turn.then(campaign, campaign));

  return {
    name,
    get leading() {
      return group !== undefined;
    },
    campaignNow: step,
    async start() {
      await step();
      timer = setInterval(() => void step(), options.renewEveryMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await turn;
      await stepDown();
    },
  };
}
