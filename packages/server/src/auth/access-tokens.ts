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

export class AccessTokens {
  private readonly key: Uint8Array;
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
    return { userId, role, sessionId: sid };
  }
}
