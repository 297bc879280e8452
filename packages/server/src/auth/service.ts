/**
 * Accounts and sessions: registration, sign-in with throttling, refresh-token rotation with
 * family revocation on re-use, logout, and turning an access token into a Principal.
 */
import { randomUUID } from "node:crypto";
import type { TokenPair } from "@statusmonitor/protocol";
import { AppError } from "../core/app-error.js";
import type { Bus } from "../core/bus.js";
import type { Cache } from "../core/cache.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { randomToken, sha256Hex } from "../core/secure-token.js";
import { AccessTokens, type Principal } from "./access-tokens.js";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./passwords.js";
import type { SessionStore, UserRecord, UserStore } from "./ports.js";
import { Throttle } from "./throttle.js";

export const REFRESH_TOKEN_PREFIX = "smr_";
const FIFTEEN_MINUTES = 15 * 60_000;
/** How long a "this session is still active" answer is trusted before asking the store again. */
const SESSION_CHECK_TTL_MS = 30_000;

export interface AuthServiceOptions {
  users: UserStore;
  sessions: SessionStore;
  cache: Cache;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  secretKey: string;
  accessTokenTtlS: number;
  refreshTokenTtlDays: number;
  allowRegistration: boolean;
}

export interface SignedIn extends TokenPair {
  user: UserRecord;
}

export class AuthService {
  readonly accessTokens: AccessTokens;
  private readonly refreshTtlMs: number;
  private readonly failuresPerAccount: Throttle;
  private readonly failuresPerIp: Throttle;
  private readonly registrationsPerIp: Throttle;
  private readonly activeSessions = new Map<string, number>();

  constructor(private readonly o: AuthServiceOptions) {
    this.accessTokens = new AccessTokens(o.secretKey, o.accessTokenTtlS);
    this.refreshTtlMs = o.refreshTokenTtlDays * 24 * 3600_000;
    this.failuresPerAccount = new Throttle(o.cache, { prefix: "login-fail:user:", limit: 10, windowMs: FIFTEEN_MINUTES }, "LOGIN_THROTTLED");
    this.failuresPerIp = new Throttle(o.cache, { prefix: "login-fail:ip:", limit: 50, windowMs: FIFTEEN_MINUTES }, "LOGIN_THROTTLED");
    this.registrationsPerIp = new Throttle(o.cache, { prefix: "register:ip:", limit: 20, windowMs: 3600_000 });
    o.bus.onControl((event) => {
      if (event.type === "session_ended") this.activeSessions.delete(event.session_id);
      if (event.type === "user_deleted") this.activeSessions.clear();
    });
  }

  async register(username: string, password: string, ip: string): Promise<UserRecord> {
    await this.registrationsPerIp.hit(ip);
    const created = await this.o.users.create({
      username,
      passwordHash: await hashPassword(password),
      createdAt: this.o.clock.now(),
      // The first account can always be created, so a closed hub still gets its administrator.
      onlyIfFirst: !this.o.allowRegistration,
    });
    if (created === "taken") throw new AppError("USERNAME_TAKEN");
    if (created === "closed") throw new AppError("REGISTRATION_CLOSED");
    this.o.logger.info({ userId: created.id, role: created.role }, "user registered");
    return created;
  }

  async login(username: string, password: string, ip: string): Promise<SignedIn> {
    const account = username.toLowerCase();
    await this.failuresPerIp.check(ip);
    await this.failuresPerAccount.check(account);
    const user = await this.o.users.findByUsername(username);
    const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
    if (!user || !valid) {
      await this.failuresPerIp.record(ip);
      await this.failuresPerAccount.record(account);
      this.o.logger.info({ ip }, "failed sign-in");
      throw new AppError("INVALID_CREDENTIALS");
    }
    await this.failuresPerAccount.reset(account);
    const now = this.o.clock.now();
    const sessionId = randomUUID();
    const refreshToken = randomToken(REFRESH_TOKEN_PREFIX);
    await this.o.sessions.createSession(
      { id: sessionId, userId: user.id, createdAt: now, expiresAt: now + this.refreshTtlMs },
      { tokenHash: sha256Hex(refreshToken), issuedAt: now, expiresAt: now + this.refreshTtlMs },
    );
    const principal = { userId: user.id, role: user.role, sessionId };
    return { ...(await this.tokenPair(principal, refreshToken, now + this.refreshTtlMs)), user };
  }

  async refresh(refreshToken: string): Promise<SignedIn> {
    const now = this.o.clock.now();
    const tokenHash = sha256Hex(refreshToken);
    const found = await this.o.sessions.findToken(tokenHash);
    if (!found || found.session.revokedAt !== null || found.token.expiresAt <= now || found.session.expiresAt <= now) {
      throw new AppError("INVALID_REFRESH_TOKEN");
    }
    const user = await this.o.users.findById(found.session.userId);
    if (!user) throw new AppError("INVALID_REFRESH_TOKEN");
    const next = randomToken(REFRESH_TOKEN_PREFIX);
    // A session's refresh token keeps the session's end: rotation never extends a sign-in past 30 days.
    const rotated =
      found.token.rotatedAt === null &&
      (await this.o.sessions.rotate(tokenHash, { tokenHash: sha256Hex(next), issuedAt: now, expiresAt: found.session.expiresAt }, now));
    if (!rotated) {
      await this.endSession(found.session.id, user.id, "refresh token re-used");
      this.o.logger.warn({ userId: user.id, sessionId: found.session.id }, "refresh token re-used; session revoked");
      throw new AppError("REFRESH_TOKEN_REUSED");
    }
    const principal = { userId: user.id, role: user.role, sessionId: found.session.id };
    return { ...(await this.tokenPair(principal, next, found.session.expiresAt)), user };
  }

  /** Ends the session the refresh token belongs to. Unknown tokens are ignored: logout always succeeds. */
  async logoutWithRefreshToken(refreshToken: string): Promise<void> {
    const found = await this.o.sessions.findToken(sha256Hex(refreshToken));
    if (found) await this.endSession(found.session.id, found.session.userId, "logout");
  }

  async logoutSession(principal: Principal): Promise<void> {
    await this.endSession(principal.sessionId, principal.userId, "logout");
  }

  /** Verifies an access token and that its session is still active. */
  async authenticate(accessToken: string): Promise<Principal> {
    const now = this.o.clock.now();
    const principal = await this.accessTokens.verify(accessToken, now);
    if (!(await this.sessionActive(principal.sessionId, now))) throw new AppError("UNAUTHENTICATED");
    return principal;
  }

  async cleanupTokens(): Promise<number> {
    return this.o.sessions.deleteStale(this.o.clock.now());
  }

  /** Whether a session is still signed in: not revoked, not expired, its user not deleted. */
  isSessionActive(sessionId: string): Promise<boolean> {
    return this.sessionActive(sessionId, this.o.clock.now());
  }

  private async sessionActive(sessionId: string, now: number): Promise<boolean> {
    const checkedAt = this.activeSessions.get(sessionId);
    if (checkedAt !== undefined && now - checkedAt < SESSION_CHECK_TTL_MS) return true;
    const session = await this.o.sessions.getSession(sessionId);
    const active = !!session && session.revokedAt === null && session.expiresAt > now;
    if (this.activeSessions.size > 50_000) this.activeSessions.clear();
    if (active) this.activeSessions.set(sessionId, now);
    else this.activeSessions.delete(sessionId);
    return active;
  }

  private async endSession(sessionId: string, userId: number, reason: string): Promise<void> {
    await this.o.sessions.revokeSession(sessionId, this.o.clock.now(), reason);
    this.activeSessions.delete(sessionId);
    await this.o.bus.publishControl({ type: "session_ended", session_id: sessionId, user_id: userId });
  }

  private async tokenPair(principal: Principal, refreshToken: string, refreshExpiresAt: number): Promise<TokenPair> {
    const now = this.o.clock.now();
    return {
      access_token: await this.accessTokens.sign(principal, now),
      refresh_token: refreshToken,
      token_type: "bearer",
      expires_in: this.accessTokens.ttlS,
      refresh_expires_in: Math.max(1, Math.floor((refreshExpiresAt - now) / 1000)),
    };
  }
}
