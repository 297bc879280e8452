/** The closed catalog of error codes the hub answers with: code, HTTP status and default message. */
import { z } from "zod";

export const errorCatalog = {
  VALIDATION_FAILED: { status: 400, message: "The request is not valid." },
  INVALID_JSON: { status: 400, message: "The request body is not valid JSON." },
  UNAUTHENTICATED: { status: 401, message: "Sign in first: a valid access token is required." },
  ACCESS_TOKEN_EXPIRED: { status: 401, message: "The access token has expired; refresh it." },
  INVALID_CREDENTIALS: { status: 401, message: "Incorrect username or password." },
  INVALID_REFRESH_TOKEN: { status: 401, message: "The refresh token is invalid, expired or revoked; sign in again." },
  REFRESH_TOKEN_REUSED: {
    status: 401,
    message: "This refresh token was already used; the session has been revoked for safety. Sign in again.",
  },
  AGENT_TOKEN_MISSING: { status: 401, message: "The X-Agent-Token header is missing." },
  AGENT_TOKEN_INVALID: { status: 401, message: "Invalid agent token. Check the token or regenerate it in the dashboard." },
  AGENT_TOKEN_EXPIRED: {
    status: 401,
    message: "The agent token expired before its first use (5-minute activation window). Regenerate it in the dashboard.",
  },
  TICKET_INVALID: { status: 401, message: "The live ticket is missing, expired or already used; request a new one." },
  ADMIN_REQUIRED: { status: 403, message: "Only an administrator can do this." },
  REGISTRATION_CLOSED: { status: 403, message: "Registration is closed on this hub; ask an administrator for an account." },
  ORIGIN_NOT_ALLOWED: { status: 403, message: "This origin is not allowed to connect." },
  NOT_FOUND: { status: 404, message: "No such endpoint." },
  USER_NOT_FOUND: { status: 404, message: "User not found." },
  AGENT_NOT_FOUND: { status: 404, message: "Agent not found." },
  ALERT_RULE_NOT_FOUND: { status: 404, message: "Alert rule not found." },
  NO_SAMPLES_YET: { status: 404, message: "This agent has not sent any samples yet." },
  METHOD_NOT_ALLOWED: { status: 405, message: "This method is not allowed here." },
  USERNAME_TAKEN: { status: 409, message: "This username is already taken." },
  LAST_ADMIN: { status: 409, message: "The last administrator cannot be deleted." },
  ALERT_RULE_LIMIT: { status: 409, message: "You have reached the limit of 1000 alert rules; delete some first." },
  NO_CHANNEL_ENABLED: { status: 409, message: "No notification channel is enabled; enable Telegram or a webhook first." },
  TELEGRAM_NOT_CONFIGURED: {
    status: 409,
    message: "This hub has no Telegram bot token (TELEGRAM_BOT_TOKEN); ask the administrator, or use a webhook.",
  },
  PAYLOAD_TOO_LARGE: { status: 413, message: "The request body is too large." },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "Unsupported content type or encoding; send JSON, optionally gzip-compressed." },
  TOO_MANY_REQUESTS: { status: 429, message: "Too many requests; slow down and retry later." },
  LOGIN_THROTTLED: { status: 429, message: "Too many failed sign-in attempts; wait before trying again." },
  INGEST_RATE_LIMITED: { status: 429, message: "This agent is sending too often; retry after the indicated delay." },
  INTERNAL: { status: 500, message: "Something went wrong on the hub. The error was logged." },
  UNAVAILABLE: { status: 503, message: "The hub is starting or shutting down; retry shortly." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalog;
export const errorCodes = Object.keys(errorCatalog) as [ErrorCode, ...ErrorCode[]];

/** Every error the HTTP API returns has this body. */
export const errorBody = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    /** Field-level detail for VALIDATION_FAILED: where the problem is and what was expected. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;
