/** Bodies of the auth and user endpoints: register, login, refresh, logout, users. */
import { z } from "zod";
import { isoDateTime, positiveId } from "../primitives.js";

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
export const username = z
  .string()
  .regex(USERNAME_PATTERN, "must be 3-32 characters of letters, digits, '_', '.' or '-'");
export const password = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(256, "must be at most 256 characters");

export const role = z.enum(["admin", "user"]);
export type Role = z.infer<typeof role>;

export const registerRequest = z.object({ username, password });
/** Login checks credentials, not the policy: an old password still signs in. */
export const loginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
/** The body may be omitted when the refresh token travels in the HttpOnly cookie. */
export const refreshRequest = z.object({ refresh_token: z.string().min(1).max(512).optional() });
export const logoutRequest = refreshRequest;

export const tokenPair = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal("bearer"),
  /** Seconds until the access token expires. */
  expires_in: z.number().int().positive(),
  refresh_expires_in: z.number().int().positive(),
});

export const user = z.object({
  id: positiveId,
  username: z.string(),
  role,
  created_at: isoDateTime,
});
export const userList = z.array(user);
export const cleanupTokensResponse = z.object({ removed: z.number().int().min(0) });

export type RegisterRequest = z.infer<typeof registerRequest>;
export type LoginRequest = z.infer<typeof loginRequest>;
export type TokenPair = z.infer<typeof tokenPair>;
export type User = z.infer<typeof user>;
