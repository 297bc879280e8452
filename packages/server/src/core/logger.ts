/** Structured logging (pino) with every secret-bearing field redacted before it is written. */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type { Logger };

/** Paths pino removes from every log line: passwords, tokens, cookies, auth headers. */
export const REDACTED_PATHS = [
  "password",
  "*.password",
  "token",
  "*.token",
  "access_token",
  "refresh_token",
  "*.access_token",
  "*.refresh_token",
  "secret",
  "*.secret",
  "secretKey",
  "*.secretKey",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-agent-token"]',
  'res.headers["set-cookie"]',
];

/** Hides the value of credential-like query parameters (the live ticket) in logged URLs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:ticket|token|access_token|refresh_token)=)[^&#]*/gi, "$1[redacted]");
}

interface LoggedRequest {
  method?: string;
  url?: string;
  hostname?: string;
  ip?: string;
  id?: string;
}

export function createLogger(options: { level: string; pretty?: boolean; destination?: DestinationStream }): Logger {
  const config: LoggerOptions = {
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: {
      req: (req: LoggedRequest) => ({ id: req.id, method: req.method, url: req.url && redactUrl(req.url), host: req.hostname, ip: req.ip }),
    },
    base: { service: "statusmonitor" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
