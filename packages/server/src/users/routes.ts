/** HTTP routes of user administration: `users/me` for everyone, the rest for administrators. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { cleanupTokensResponse, errorBody, user, userList } from "@statusmonitor/protocol";
import { principalOf, requireAdmin, requireUser } from "../http/authenticate.js";
import type { AuthService } from "../auth/service.js";
import { toUserResponse } from "../auth/user-response.js";
import type { UsersService } from "./service.js";

const userIdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const usersRoutes: FastifyPluginAsyncZod<{ users: UsersService; auth: AuthService }> = async (
  app,
  { users, auth },
) => {
  const signedIn = requireUser(auth);
  const admin = requireAdmin(auth);
  const security = [{ bearer: [] }];
  const errors = { 401: errorBody, 403: errorBody };

  app.get(
    "/users/me",
    { onRequest: signedIn, schema: { tags: ["users"], security, response: { 200: user, 401: errorBody } } },
    async (request) => toUserResponse(await users.me(principalOf(request).userId)),
  );

  app.get(
    "/users",
    { onRequest: admin, schema: { tags: ["admin"], security, summary: "All users (admin)", response: { 200: userList, ...errors } } },
    async () => (await users.list()).map(toUserResponse),
  );

  app.delete(
    "/users/:id",
    {
      onRequest: admin,
      schema: {
        tags: ["admin"],
        security,
        summary: "Delete a user with their agents and sessions (admin)",
        params: userIdParams,
        response: { 204: z.null(), 404: errorBody, 409: errorBody, ...errors },
      },
    },
    async (request, reply) => {
      await users.delete(request.params.id, principalOf(request).userId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/admin/cleanup-tokens",
    {
      onRequest: admin,
      schema: {
        tags: ["admin"],
        security,
        summary: "Remove expired and revoked sessions and refresh tokens (admin)",
        response: { 200: cleanupTokensResponse, ...errors },
      },
    },
    async () => ({ removed: await users.cleanupTokens() }),
  );
};
