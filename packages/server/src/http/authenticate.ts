/** Route guards: read the Bearer access token into `request.principal`, and require the admin role. */
import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../core/app-error.js";
import type { Principal } from "../auth/access-tokens.js";
import type { AuthService } from "../auth/service.js";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(" ");
  return scheme?.toLowerCase() === "bearer" && token ? token : undefined;
}

export type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export function requireUser(auth: AuthService): Guard {
  return async (request) => {
    const token = bearerToken(request);
    if (!token) throw new AppError("UNAUTHENTICATED");
    request.principal = await auth.authenticate(token);
  };
}

export function requireAdmin(auth: AuthService): Guard {
  const user = requireUser(auth);
  return async (request, reply) => {
    await user(request, reply);
    if (request.principal?.role !== "admin") throw new AppError("ADMIN_REQUIRED");
  };
}

/** The authenticated caller; only valid behind a guard. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError("UNAUTHENTICATED");
  return request.principal;
}
