/** Turns every failure into the catalog's `{"error":{code,message}}` body; unknown errors become INTERNAL and are logged. */
import type { FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { errorCatalog, type ErrorBody, type ErrorCode } from "@statusmonitor/protocol";
import { AppError, type ErrorIssue } from "../core/app-error.js";
import { validationError } from "../core/validation.js";

/** Fastify's own error codes that are really the client's fault. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "VALIDATION_FAILED",
  FST_ERR_CTP_EMPTY_JSON_BODY: "INVALID_JSON",
  FST_ERR_CTP_INVALID_JSON_BODY: "INVALID_JSON",
};
/** Other client errors (body parser, bad cookies...) by HTTP status. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: "INVALID_JSON",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "TOO_MANY_REQUESTS",
  503: "UNAVAILABLE",
};

/** Paths that belong to the API and never fall back to the dashboard. */
const API_PREFIXES = ["/api/", "/ingest", "/health", "/metrics"];

function errorResponse(code: ErrorCode, message?: string, issues?: ErrorIssue[]): ErrorBody {
  return { error: { code, message: message ?? errorCatalog[code].message, ...(issues ? { issues } : {}) } };
}

/** Classifies any error as a catalog error; anything unrecognised is INTERNAL. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({ path: pathOf(v.instancePath), message: v.message }));
    return validationError(issues, error.validationContext ?? "request");
  }
  const e = error as { code?: unknown; statusCode?: unknown; message?: string };
  const code = (typeof e.code === "string" ? FASTIFY_CODES[e.code] : undefined) ?? (typeof e.statusCode === "number" ? STATUS_CODES[e.statusCode] : undefined);
  if (!code) return new AppError("INTERNAL");
  return new AppError(code, code === "INVALID_JSON" ? `The request body is not valid JSON: ${e.message}` : undefined);
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === "INTERNAL") request.log.error({ err: error }, "unhandled error");
    if (appError.extra.retryAfterS !== undefined) void reply.header("Retry-After", String(appError.extra.retryAfterS));
    return reply.status(appError.status).send(errorResponse(appError.code, appError.message, appError.extra.issues));
  });

}

/**
 * Answers unknown paths with a catalog 404. With a dashboard build, browser navigations (GET outside
 * the API) get the dashboard's index.html instead, so client-side routes survive a reload.
 */
export function installNotFoundHandler(app: FastifyInstance, options: { dashboardIndex?: boolean } = {}): void {
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split("?")[0] ?? "/";
    if (options.dashboardIndex && request.method === "GET" && !API_PREFIXES.some((p) => pathname.startsWith(p))) {
      return reply.sendFile("index.html");
    }
    return reply.status(404).send(errorResponse("NOT_FOUND", `No such endpoint: ${request.method} ${pathname}`));
  });
}

/** The zod type provider reports where an issue is only as a JSON pointer (`/samples/0/cpu`). */
function pathOf(instancePath: string): PropertyKey[] {
  return instancePath
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}
