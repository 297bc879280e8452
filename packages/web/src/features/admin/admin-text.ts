/** The admin page's wording and order: the clean-up result sentence and the users list order. */
import type { User } from "@statusmonitor/protocol";

/** `Removed 1 expired token`, `Removed 12 expired tokens`, or that there was nothing to remove. */
export function cleanupMessage(removed: number): string {
  if (removed === 0) return "No expired tokens to remove.";
  return `Removed ${removed.toLocaleString("en-US")} expired ${removed === 1 ? "token" : "tokens"}.`;
}

/** Administrators first, then by name: the accounts that can lock everyone out stay in view. */
export function sortUsers<T extends Pick<User, "role" | "username" | "id">>(users: readonly T[]): T[] {
  const rank = (user: T) => (user.role === "admin" ? 0 : 1);
  return [...users].sort((a, b) => rank(a) - rank(b) || a.username.localeCompare(b.username, undefined, { sensitivity: "base" }) || a.id - b.id);
}
