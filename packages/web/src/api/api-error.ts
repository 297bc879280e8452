/** The error every failed API call throws: the hub's code (from the protocol catalog), status and message. */
import type { ErrorBody, ErrorCode } from "@statusmonitor/protocol";

export type ApiErrorCode = ErrorCode | "NETWORK_ERROR";
export type FieldIssue = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly status: number,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }

  static async fromResponse(response: Response): Promise<ApiError> {
    try {
      const body = (await response.json()) as ErrorBody;
      if (body?.error?.code) return new ApiError(body.error.code, body.error.message, response.status, body.error.issues ?? []);
    } catch {
      // Not our JSON (a proxy's error page): fall through to a generic message.
    }
    return new ApiError(response.status >= 500 ? "UNAVAILABLE" : "INTERNAL", `The hub answered ${response.status} ${response.statusText}.`, response.status);
  }

  static network(cause: unknown): ApiError {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new ApiError("NETWORK_ERROR", `Cannot reach the hub (${detail}). Check your connection; retrying may help.`, 0);
  }
}

/** A sentence for the user: field issues spelled out for validation errors, else the hub's message. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.issues.length > 0) return error.issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join("; ");
    return error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong.";
}
