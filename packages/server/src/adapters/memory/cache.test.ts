/** Runs the Cache contract on the in-memory cache, with expiry driven by a manual clock (no waiting, no timing). */
import { describeCacheContract, manualCacheTime } from "../../core/cache.contract.js";
import { ManualClock } from "../../core/clock.js";
import { MemoryCache } from "./cache.js";

describeCacheContract("memory", async () => {
  const clock = new ManualClock();
  const cache = new MemoryCache(clock);
  // One process, one map: the other instance of an embedded hub is the same object.
  return { cache, peer: cache, time: manualCacheTime(clock), close: async () => {} };
});
