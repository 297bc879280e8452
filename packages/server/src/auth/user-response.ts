/** Shapes a stored user for the API: never the password hash, times in RFC 3339. */
import type { User } from "@statusmonitor/protocol";
import type { UserRecord } from "./ports.js";

export const toUserResponse = (record: UserRecord): User => ({
  id: record.id,
  username: record.username,
  role: record.role,
  created_at: new Date(record.createdAt).toISOString(),
});
