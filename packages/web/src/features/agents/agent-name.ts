/** Checks an agent name as the hub will (trimmed, 1–64 characters) so most mistakes show before a round trip. */
import { ApiError } from "../../api/api-error";

/** protocol's `agentName` schema: trimmed, 1 to 64 UTF-16 units (kept here so the bundle needs no zod). */
export const AGENT_NAME_MAX = 64;

export type NameCheck = { ok: true; name: string } | { ok: false; error: string };

export function checkAgentName(raw: string): NameCheck {
  const name = raw.trim();
  if (name.length === 0) return { ok: false, error: "Enter a name, for example the machine's hostname." };
  if (name.length > AGENT_NAME_MAX) return { ok: false, error: `At most ${AGENT_NAME_MAX} characters (this one has ${name.length}).` };
  return { ok: true, name };
}

/** The hub's complaint about the `name` field of a rejected request, to show under the field. */
export function nameIssue(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== "VALIDATION_FAILED") return null;
  const issue = error.issues.find((candidate) => candidate.path === "name" || candidate.path.endsWith(".name") || candidate.path.endsWith("/name"));
  return issue ? `Name ${issue.message.replace(/\.$/, "")}.` : null;
}
