/** What the auth capability needs from storage: users and sign-in sessions with rotating refresh tokens. */
import type { Role } from "@statusmonitor/protocol";

export interface UserRecord {
  id: number;
  username: string;
  passwordHash: string;
  role: Role;
  createdAt: number;
}

export interface NewUser {
  username: string;
  passwordHash: string;
  createdAt: number;
  onlyIfFirst: boolean;
  /** Forces the role (administrator CLI); otherwise the first user is admin, the rest users. */
  role?: Role;
}

export interface UserStore {
  /**
   * Creates a user; the very first user becomes `admin` (decided atomically). With `onlyIfFirst`
   * nobody but the first user is created ("closed").
   */
  create(input: NewUser): Promise<UserRecord | "taken" | "closed">;
  /** Case-insensitive. */
  findByUsername(username: string): Promise<UserRecord | undefined>;
  findById(id: number): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  /** Deletes the user and everything they own, unless it is the last admin. */
  delete(id: number): Promise<"deleted" | "not_found" | "last_admin">;
  setPassword(id: number, passwordHash: string): Promise<boolean>;
}

export interface SessionRecord {
  id: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  sessionId: string;
  issuedAt: number;
  expiresAt: number;
  rotatedAt: number | null;
}

export interface NewRefreshToken {
  tokenHash: string;
  issuedAt: number;
  expiresAt: number;
}

export interface SessionStore {
  createSession(session: Omit<SessionRecord, "revokedAt">, firstToken: NewRefreshToken): Promise<void>;
  findToken(tokenHash: string): Promise<{ token: RefreshTokenRecord; session: SessionRecord } | undefined>;
  /**
   * Marks `oldHash` as used and stores `next` in the same session, atomically and only if `oldHash`
   * was not used before. False means someone used it first: a re-use.
   */
  rotate(oldHash: string, next: NewRefreshToken, now: number): Promise<boolean>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  revokeSession(id: string, now: number, reason: string): Promise<void>;
  /** Removes expired or revoked sessions and expired refresh tokens (used ones go with their session: presenting one again is how re-use is detected); returns how many rows went. */
  deleteStale(now: number): Promise<number>;
}
