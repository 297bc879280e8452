/**
 * History lag: how long after the load stopped the history API answers with the last acknowledged
 * sample of each of a few agents, polled per agent with a deadline; then whether it holds every
 * sample those agents had acknowledged in the phase.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { URLSearchParams } from "node:url";

const POLL_EVERY_MS = 200;

/**
 * `probes`: `[{ agentId, settled() }]`, where `settled()` resolves once all of the agent's requests
 * are answered with `{ from, timestamp, acknowledged }`: the phase's start (ms), the agent's last
 * acknowledged sample and how many it had acknowledged since `from` (undefined when none). `since`: `performance.now()`
 * when sending ended; `request(method, url)`: an authenticated request to the api.
 * Resolves `{ seconds: [lag of each agent found, ascending], missing: [agent ids not found in time],
 * acknowledged, stored }` (the last two summed over the agents found).
 */
export async function measureHistoryLag({ probes, since, request, timeoutMs }) {
  const deadline = since + timeoutMs;
  const cpuPoints = async (agentId, start, stop) => {
    const query = new URLSearchParams({ start: new Date(start).toISOString(), stop: new Date(stop).toISOString() });
    const res = await request("GET", `/api/v1/agents/${agentId}/history/summary?${query}`);
    if (res.status !== 200) throw new Error(`history summary of agent ${agentId}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.cpu.count;
  };
  const outcomes = await Promise.all(
    probes.map(async ({ agentId, settled }) => {
      const last = await settled();
      if (!last) return { agentId };
      const { from, timestamp, acknowledged } = last;
      for (;;) {
        if ((await cpuPoints(agentId, timestamp, timestamp + 1)) > 0) {
          const seconds = (performance.now() - since) / 1000;
          return { agentId, seconds, acknowledged, stored: await cpuPoints(agentId, from, timestamp + 1) };
        }
        if (performance.now() > deadline) return { agentId };
        await sleep(POLL_EVERY_MS);
      }
    }),
  );
  const found = outcomes.filter((o) => o.seconds !== undefined);
  return {
    seconds: found.map((o) => o.seconds).sort((a, b) => a - b),
    missing: outcomes.filter((o) => o.seconds === undefined).map((o) => o.agentId),
    acknowledged: found.reduce((sum, o) => sum + o.acknowledged, 0),
    stored: found.reduce((sum, o) => sum + o.stored, 0),
  };
}
