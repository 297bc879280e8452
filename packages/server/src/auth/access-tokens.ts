/** Signs and verifies access tokens: short-lived HS256 JWTs typed `access` and bound to a session. */
import { errors, jwtVerify, SignJWT } from "jose";
import type { Role } from "@statusmonitor/protocol";
import { AppError } from "../core/app-error.js";

const ISSUER = "statusmonitor";
const AUDIENCE = "statusmonitor-api";

/** Who is calling, as proven by a valid access token. */
export interface Principal {
  userId: number;
  role: Role;
  sessionId: string;
}

/** Verified tokens remembered, so a dashboard's every request does not pay for a WebCrypto HMAC. */
const VERIFIED_CACHE_SIZE = 10_000;

export class AccessTokens {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();
  constructor(
    secretKey: string,
    readonly ttlS: number,
  ) {
    this.key = new TextEncoder().encode(secretKey);
  }

  sign(principal: Principal, nowMs: number): Promise<string> {
    const iat = Math.floor(nowMs / 1000);
    return new SignJWT({ typ: "access", sid: principal.sessionId, role: principal.role })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(String(principal.userId))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlS)
      .sign(this.key);
  }

  async verify(token: string, nowMs: number): Promise<Principal> {
    const known = this.verified.get(token);
    if (known && nowMs < known.expiresAtMs) return known.principal;
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    return this.verifySignature(token, nowMs);
  }

  private async verifySignature(token: string, nowMs: number): Promise<Principal> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ["HS256"],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(nowMs),
        clockTolerance: 5,
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new AppError("ACCESS_TOKEN_EXPIRED");
      throw new AppError("UNAUTHENTICATED");
    }
    const userId = Number(payload.sub);
    const { typ, sid, role } = payload as { typ?: unknown; sid?: unknown; role?: unknown };
    if (typ !== "access" || typeof sid !== "string" || !Number.isSafeInteger(userId) || userId <= 0) {
      throw new AppError("UNAUTHENTICATED");
    }
    if (role !== "admin" && role !== "user") throw new AppError("UNAUTHENTICATED");
    const principal: Principal = { userId, role, sessionId: sid };
    // Remembered until its own expiry; the session check after this still runs on every request.
    if (typeof payload.exp === "number") this.verified.set(token, { principal, expiresAtMs: payload.exp * 1000 });
    return principal;
  }
}
