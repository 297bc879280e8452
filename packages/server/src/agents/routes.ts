/** HTTP routes of agent management; every route answers 404 for an agent the caller does not own. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { agent, agentIdParams, agentList, agentWithToken, createAgentRequest, errorBody, updateAgentRequest } from "@statusmonitor/protocol";
import type { Clock } from "../core/clock.js";
import { principalOf, requireUser } from "../http/authenticate.js";
import type { AuthService } from "../auth/service.js";
import { toAgentResponse } from "./agent-response.js";
import type { AgentsService } from "./service.js";

export const agentsRoutes: FastifyPluginAsyncZod<{ agents: AgentsService; auth: AuthService; clock: Clock }> = async (
  app,
  { agents, auth, clock },
) => {
  app.addHook("onRequest", requireUser(auth));
  const tags = ["agents"];
  const security = [{ bearer: [] }];
  const errors = { 400: errorBody, 401: errorBody, 404: errorBody };

  app.get("/agents", { schema: { tags, security, summary: "Your agents with their status", response: { 200: agentList, 401: errorBody } } }, async (request) => {
    const now = clock.now();
    return (await agents.list(principalOf(request).userId)).map((record) => toAgentResponse(record, now));
  });

  app.post(
    "/agents",
    {
      schema: {
        tags,
        security,
        summary: "Create an agent; its token is shown only in this answer and must be used within 5 minutes",
        body: createAgentRequest,
        response: { 201: agentWithToken, ...errors },
      },
    },
    async (request, reply) => {
      const { agent: record, token } = await agents.create(principalOf(request).userId, request.body.name);
      return reply.status(201).send({ ...toAgentResponse(record, clock.now()), token });
    },
  );

  app.get("/agents/:id", { schema: { tags, security, params: agentIdParams, response: { 200: agent, ...errors } } }, async (request) =>
    toAgentResponse(await agents.get(principalOf(request).userId, request.params.id), clock.now()),
  );

  app.patch(
    "/agents/:id",
    { schema: { tags, security, summary: "Rename an agent", params: agentIdParams, body: updateAgentRequest, response: { 200: agent, ...errors } } },
    async (request) =>
      toAgentResponse(await agents.rename(principalOf(request).userId, request.params.id, request.body.name), clock.now()),
  );

  app.delete(
    "/agents/:id",
    { schema: { tags, security, summary: "Delete an agent and its data", params: agentIdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await agents.delete(principalOf(request).userId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/agents/:id/token",
    {
      schema: {
        tags,
        security,
        summary: "Regenerate the agent's token: the old one stops working at once, the new one has a fresh 5-minute window",
        params: agentIdParams,
        response: { 200: agentWithToken, ...errors },
      },
    },
    async (request) => {
      const { agent: record, token } = await agents.regenerateToken(principalOf(request).userId, request.params.id);
      return { ...toAgentResponse(record, clock.now()), token };
    },
  );
};
