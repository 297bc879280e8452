/** Validates untrusted data against a zod schema, failing with VALIDATION_FAILED that names the field. */
import type { z } from "zod";
import { AppError } from "./app-error.js";

/** `["samples", 0, "cpu"]` under root `body` → `body.samples[0].cpu` */
export function formatPath(segments: readonly PropertyKey[], root?: string): string {
  let out = root ?? "";
  for (const segment of segments) {
    out += typeof segment === "number" ? `[${segment}]` : `${out ? "." : ""}${String(segment)}`;
  }
  return out || "(root)";
}

export function validationError(issues: readonly { path: readonly PropertyKey[]; message: string }[], root: string): AppError {
  const formatted = issues.slice(0, 20).map((issue) => ({ path: formatPath(issue.path, root), message: issue.message }));
  const first = formatted[0];
  return new AppError("VALIDATION_FAILED", first ? `${first.path}: ${first.message}` : undefined, { issues: formatted });
}

export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, root: string): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw validationError(result.error.issues, root);
  return result.data;
}
