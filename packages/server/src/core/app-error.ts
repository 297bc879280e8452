/** The one error type handlers throw; its code comes from the protocol's error catalog. */
import { errorCatalog, type ErrorCode } from "@statusmonitor/protocol";

export interface ErrorIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly extra: { issues?: ErrorIssue[]; retryAfterS?: number } = {},
  ) {
    super(message ?? errorCatalog[code].message);
    this.name = "AppError";
    this.status = errorCatalog[code].status;
  }
}
