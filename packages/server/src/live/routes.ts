/** HTTP routes of live streaming: ticket issuing, and the WebSocket authorized by a ticket and an allowed Origin. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { errorBody, liveTicket, liveTicketRequest } from "@statusmonitor/protocol";
import { z } from "zod";
import { AppError } from "../core/app-error.js";
import { principalOf, requireUser } from "../http/authenticate.js";
import type { AuthService } from "../auth/service.js";
import type { LiveHub } from "./hub.js";
import type { LiveGrant } from "./ports.js";
import { TICKET_TTL_S, type LiveTickets } from "./tickets.js";

declare module "fastify" {
  interface FastifyRequest {
    liveGrant?: LiveGrant;
  }
}

/** Browsers must come from an allowed origin or the hub's own; clients without Origin are not browsers. */
export function originAllowed(request: FastifyRequest, allowed: string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

export function liveTicketRoutes(app: FastifyInstance, o: { auth: AuthService; tickets: LiveTickets }): void {
  app.post(
    "/api/v1/live/tickets",
    {
      onRequest: requireUser(o.auth),
      schema: {
        tags: ["live"],
        summary: "A single-use ticket (valid 30 s) for opening the live WebSocket",
        security: [{ bearer: [] }],
        // Fastify hands a missing body to the validator as null.
        body: liveTicketRequest.nullish(),
        response: { 200: liveTicket, 401: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      const body = liveTicketRequest.nullish().parse(request.body);
      const ticket = await o.tickets.issue(principalOf(request), body?.agent_id ?? null);
      return { ticket, expires_in: TICKET_TTL_S };
    },
  );
}

export function liveSocketRoutes(app: FastifyInstance, o: { tickets: LiveTickets; hub: LiveHub; corsOrigins: string[] }): void {
  app.get(
    "/api/v1/live",
    {
      websocket: true,
      schema: {
        tags: ["live"],
        summary: "WebSocket of live samples; messages are described by the protocol's ServerMessage union",
        querystring: z.object({ ticket: z.string().max(128).optional() }),
      },
      // Runs before the upgrade: a refused connection gets a plain HTTP error and no socket.
      preValidation: async (request) => {
        if (!originAllowed(request, o.corsOrigins)) throw new AppError("ORIGIN_NOT_ALLOWED");
        const grant = await o.tickets.redeem((request.query as { ticket?: string }).ticket);
        if (!grant) throw new AppError("TICKET_INVALID");
        request.liveGrant = grant;
      },
    },
    (socket, request) => o.hub.attach(socket, request.liveGrant!),
  );
}
