/** `/health`: overall status plus one entry per component, each checked with a deadline. */
import type { FastifyInstance } from "fastify";
import { healthResponse, type ComponentStatus, type HealthResponse } from "@statusmonitor/protocol";
import type { Clock } from "../core/clock.js";

export interface HealthCheck {
  name: string;
  check(): Promise<{ status: ComponentStatus; detail?: string }>;
}

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck(check: HealthCheck): Promise<{ status: ComponentStatus; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ status: ComponentStatus; detail: string }>((resolve) => {
    timer = setTimeout(() => resolve({ status: "down", detail: "check timed out" }), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.check(), timeout]);
  } catch (err) {
    return { status: "down", detail: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(
  app: FastifyInstance,
  o: { checks: HealthCheck[]; roles: string[]; version: string; clock: Clock; startedAt: number },
): void {
  const handler = async (): Promise<HealthResponse> => {
    const results = await Promise.all(o.checks.map(async (c) => [c.name, await runCheck(c)] as const));
    const components = Object.fromEntries(results);
    const statuses = results.map(([, r]) => r.status);
    const status: ComponentStatus = statuses.includes("down") ? "down" : statuses.includes("degraded") ? "degraded" : "ok";
    return { status, version: o.version, roles: o.roles, uptime_s: Math.round((o.clock.now() - o.startedAt) / 1000), components };
  };
  const options = { schema: { tags: ["ops"], summary: "Health of the hub and its components", response: { 200: healthResponse, 503: healthResponse } } };
  for (const url of ["/health", "/api/v1/health"]) {
    app.get(url, options, async (_request, reply) => {
      const body = await handler();
      return reply.status(body.status === "down" ? 503 : 200).send(body);
    });
  }
}
