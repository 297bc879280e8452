/** The hub's own Prometheus figures that explain a benchmark phase: server-side ack time, event-loop stalls and GC, over one or several hub processes. */

/**
 * Scrapes `/metrics` of every endpoint (`get(endpoint)` answers `{ body }`) and adds them up: the ack
 * histogram and GC time summed, the event-loop stall the worst of any process.
 */
export async function scrapeHubMetrics(endpoints, get) {
  const scrapes = await Promise.all(endpoints.map(async (endpoint) => parseMetrics(String((await get(endpoint)).body))));
  // Buckets keep the exposition's ascending order (+Inf last); a process that never ingests has none.
  const ack = new Map();
  for (const scrape of scrapes) for (const b of scrape.ack) ack.set(b.le, (ack.get(b.le) ?? 0) + b.count);
  return {
    ack: [...ack].map(([le, count]) => ({ le, count })),
    loopDelayMaxS: Math.max(...scrapes.map((s) => s.loopDelayMaxS)),
    gcSeconds: scrapes.reduce((sum, s) => sum + s.gcSeconds, 0),
  };
}

function parseMetrics(text) {
  const buckets = (name) =>
    [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, "gm"))].map((m) => ({ le: Number(m[1]), count: Number(m[2]) }));
  const gauge = (name) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  const gcSeconds = [...text.matchAll(/^statusmonitor_nodejs_gc_duration_seconds_sum\{kind="[^"]+"\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  return {
    ack: buckets("statusmonitor_ingest_ack_seconds"),
    // prom-client resets its event-loop histogram on every scrape: this is the worst stall since the last one.
    loopDelayMaxS: gauge("statusmonitor_nodejs_eventloop_lag_max_seconds"),
    gcSeconds,
  };
}

/** The upper bound of the histogram bucket holding quantile `q` of the observations between two scrapes. */
export function bucketQuantile(before, after, q) {
  const deltas = after.map((b, i) => ({ le: b.le, count: b.count - (before[i]?.count ?? 0) }));
  const total = deltas.at(-1)?.count ?? 0;
  if (total === 0) return NaN;
  return deltas.find((b) => b.count >= q * total)?.le ?? Infinity;
}
