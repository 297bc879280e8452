/** Waiting on a condition with a deadline, running async tasks with bounded concurrency, and open-loop schedules, for the benchmarks. */

/** Calls `probe` every `everyMs` until it returns something truthy (returned), or throws after `timeoutMs`. */
export async function poll(probe, timeoutMs, what, everyMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Runs `task` over `items` with at most `limit` at a time; resolves with the results in order. */
export async function pool(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Open loop: calls `send(k, scheduledAt)` for k = 0 … total − 1 at `start + k·intervalMs`, whatever
 * the answers do (a closed loop would slow down with the hub and hide its latency); resolves after
 * the last send.
 */
export function openLoop(total, intervalMs, start, send) {
  let k = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
      for (; k < due; k++) send(k, start + k * intervalMs);
      if (k >= total) return resolve();
      setTimeout(tick, 1);
    };
    tick();
  });
}
