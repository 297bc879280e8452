/** HTTP routes of history: GET /api/v1/agents/:id/history/:metric and /history/summary. */
import type { FastifyInstance } from "fastify";
import { agentIdParams, errorBody, historyMetric, historyQuery, historyResponse, historySummary, historySummaryQuery } from "@statusmonitor/protocol";
import type { AuthService } from "../auth/service.js";
import { principalOf, requireUser } from "../http/authenticate.js";
import type { HistoryService } from "./service.js";

const metricParams = agentIdParams.extend({ metric: historyMetric });

export function historyRoutes(app: FastifyInstance, o: { history: HistoryService; auth: AuthService }): void {
  app.get(
    "/api/v1/agents/:id/history/summary",
    {
      onRequest: requireUser(o.auth),
      schema: {
        tags: ["history"],
        summary: "avg/min/max/last of cpu, memory and disk usage over a range (count-weighted across tiers)",
        security: [{ bearer: [] }],
        params: agentIdParams,
        querystring: historySummaryQuery,
        response: { 200: historySummary, 400: errorBody, 401: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const { id } = agentIdParams.parse(request.params);
      return o.history.summary(principalOf(request).userId, id, historySummaryQuery.parse(request.query));
    },
  );
  app.get(
    "/api/v1/agents/:id/history/:metric",
    {
      onRequest: requireUser(o.auth),
      schema: {
        tags: ["history"],
        summary: "One metric's series over a range, from the finest tier that still holds its start",
        security: [{ bearer: [] }],
        params: metricParams,
        querystring: historyQuery,
        response: { 200: historyResponse, 400: errorBody, 401: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const { id, metric } = metricParams.parse(request.params);
      return o.history.query(principalOf(request).userId, id, metric, historyQuery.parse(request.query));
    },
  );
}

