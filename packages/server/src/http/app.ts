/** Builds the Fastify app (without listening) from the services, registering the routes of each role it runs. */
import fastifyCompress from "@fastify/compress";
import fastifyCookie from "@fastify/cookie";
import fastifyCors from "@fastify/cors";
import fastifyFormbody from "@fastify/formbody";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import helmet from "helmet";
import { MAX_BODY_BYTES } from "@statusmonitor/protocol";
import { agentsRoutes } from "../agents/routes.js";
import { alertsRoutes } from "../alerts/routes.js";
import { authRoutes } from "../auth/routes.js";
import type { Services } from "../compose.js";
import type { Config } from "../config/config.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { historyRoutes } from "../history/routes.js";
import { ingestRoutes, latestRoutes } from "../ingest/routes.js";
import { liveSocketRoutes, liveTicketRoutes } from "../live/routes.js";
import { healthRoutes, type HealthCheck } from "../ops/health.js";
import type { HubMetrics } from "../ops/metrics.js";
import { metricsRoutes } from "../ops/metrics-route.js";
import { staticSite } from "../ops/static-site.js";
import { usersRoutes } from "../users/routes.js";
import { installErrorHandler, installNotFoundHandler } from "./error-handler.js";

const AGENT_PATHS = /^\/(ingest|api\/v1\/ingest)(\?|$)/;
const QUIET_PATHS = /^\/(ingest|api\/v1\/ingest|health|api\/v1\/health|metrics)(\?|$)/;

export interface AppDeps {
  config: Pick<Config, "roles" | "corsOrigins" | "cookieSecure" | "trustProxy" | "webDir">;
  services: Services;
  metrics: HubMetrics;
  healthChecks: HealthCheck[];
  clock: Clock;
  logger: Logger;
  version: string;
}

export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, services, clock } = deps;
  const roles = new Set(config.roles);
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: "http" }) as FastifyBaseLogger,
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: config.trustProxy,
    // Agents post every second and monitors poll health: logging those requests would drown the rest.
    logController: new LogController({ disableRequestLogging: (request) => QUIET_PATHS.test(request.url) }),
    return503OnClosing: true,
    forceCloseConnections: "idle",
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest("principal", null);
  installErrorHandler(app);

  // Security headers on every response. The middleware is built once: @fastify/helmet rebuilt it on
  // every request, several percent of the hub's CPU per ingest (see docs/benchmarks.md).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "connect-src": ["'self'", "ws:", "wss:"],
      },
    },
  });
  app.addHook("onRequest", (request, reply, done) => {
    // Agents read these answers, not browsers: a dozen page-security headers would be ~700 bytes a
    // second per agent on the wire for nothing (docs/benchmarks.md, agent section).
    if (AGENT_PATHS.test(request.url)) {
      reply.header("x-content-type-options", "nosniff");
      return done();
    }
    securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined));
  });
  await app.register(fastifyCors, { origin: config.corsOrigins, credentials: true, maxAge: 600 });
  // History answers run to hundreds of kilobytes of JSON; agents' tiny answers stay below the threshold.
  // Requests are not decompressed here: ingest reads gzip bodies itself, within its own size limits.
  await app.register(fastifyCompress, { globalCompression: true, globalDecompression: false, threshold: 2048, encodings: ["gzip"] });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 16 * 1024 });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: "StatusMonitor hub API", version: deps.version },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/api/docs", staticCSP: true });

  if (roles.has("api")) {
    await app.register(authRoutes, { prefix: "/api/v1/auth", auth: services.auth, cookieSecure: config.cookieSecure });
    await app.register(usersRoutes, { prefix: "/api/v1", users: services.users, auth: services.auth });
    await app.register(agentsRoutes, { prefix: "/api/v1", agents: services.agents, auth: services.auth, clock });
    latestRoutes(app, { ingest: services.ingest, auth: services.auth });
    historyRoutes(app, { history: services.history, auth: services.auth });
    await app.register(alertsRoutes, { prefix: "/api/v1", alerts: services.alerts, auth: services.auth });
    liveTicketRoutes(app, { auth: services.auth, tickets: services.tickets });
  }
  if (roles.has("ingest")) ingestRoutes(app, { ingest: services.ingest, metrics: deps.metrics });
  if (roles.has("live")) liveSocketRoutes(app, { tickets: services.tickets, hub: services.hub, corsOrigins: config.corsOrigins });
  healthRoutes(app, { checks: deps.healthChecks, roles: config.roles, version: deps.version, clock, startedAt: clock.now() });
  metricsRoutes(app, deps.metrics);
  const dashboardIndex = roles.has("api") && (await staticSite(app, config.webDir));
  installNotFoundHandler(app, { dashboardIndex });
  return app;
}
