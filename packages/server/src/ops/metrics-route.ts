/** `/metrics`: the hub's own metrics in the Prometheus text exposition format. */
import type { FastifyInstance } from "fastify";
import type { HubMetrics } from "./metrics.js";

export function metricsRoutes(app: FastifyInstance, metrics: HubMetrics): void {
  app.get("/metrics", { schema: { tags: ["ops"], summary: "Prometheus metrics of the hub", hide: false } }, async (_request, reply) => {
    reply.header("Content-Type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
