/** The auth capability over real HTTP against a real hub and SQLite file: registration, sign-in, throttling, token rotation and expiry, cookies, logout. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { ErrorCode } from "@statusmonitor/protocol";
import { sha256Hex } from "../core/secure-token.js";
import {
  catalogError,
  expectCatalogError,
  expectErrorCode,
  signUp,
  TEST_PASSWORD as PASSWORD,
  useTestHub,
  type HttpClient,
  type JsonResponse,
} from "../test-support/test-hub.js";

const DAY_MS = 24 * 3600_000;
const THIRTY_DAYS_S = 30 * 24 * 3600;

function expectError(res: JsonResponse, status: number, code: ErrorCode): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(typeof res.body.error.message).toBe("string");
  expect(res.body.error.message.length).toBeGreaterThan(0);
}

function jwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  const part = token.split(".")[index];
  if (part === undefined) throw new Error(`not a JWT: ${token}`);
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** The `sm_refresh` Set-Cookie line of a response, or undefined. */
function refreshCookieLine(res: JsonResponse): string | undefined {
  return res.headers.getSetCookie().find((line) => line.startsWith("sm_refresh="));
}

function refreshCookieValue(res: JsonResponse): string {
  const line = refreshCookieLine(res);
  if (!line) throw new Error(`no sm_refresh cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
  return decodeURIComponent(line.slice("sm_refresh=".length).split(";")[0]!);
}

function login(http: HttpClient, username: string, password = PASSWORD): Promise<JsonResponse> {
  return http.post("/api/v1/auth/login", { username, password }, { token: null });
}

function refresh(http: HttpClient, refreshToken: string): Promise<JsonResponse> {
  return http.post("/api/v1/auth/refresh", { refresh_token: refreshToken }, { token: null });
}

function me(http: HttpClient, accessToken: string): Promise<JsonResponse> {
  return http.get("/api/v1/users/me", { token: accessToken });
}

describe("registration", () => {
  const ctx = useTestHub();

  const register = (username: unknown, password: unknown = PASSWORD) => ctx.http.post("/api/v1/auth/register", { username, password });

  it("makes the first account admin and later ones users, answering 201 without the password hash", async () => {
    const first = await register("Founder");
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(Number), username: "Founder", role: "admin", created_at: expect.any(String) });
    expect(new Date(first.body.created_at).toISOString()).toBe(first.body.created_at);

    const second = await register("second_user");
    expect(second.status).toBe(201);
    expect(second.body).toEqual({ id: expect.any(Number), username: "second_user", role: "user", created_at: expect.any(String) });
    expect(second.body.id).not.toBe(first.body.id);
    expect(JSON.stringify(second.body)).not.toMatch(/hash|password/i);
  });

  it("refuses a username that differs only in case with 409 USERNAME_TAKEN", async () => {
    const res = await register("FOUNDER");
    expectError(res, 409, "USERNAME_TAKEN");
    expect(res.body).toEqual(catalogError("USERNAME_TAKEN"));
  });

  it("accepts usernames of 3 to 32 letters, digits, '_', '.' and '-'", async () => {
    for (const username of ["abc", "a".repeat(32), "A.b_c-9"]) {
      const res = await register(username);
      expect({ username, status: res.status }).toEqual({ username, status: 201 });
      expect(res.body.username).toBe(username);
    }
  });

  it("rejects other usernames with 400 VALIDATION_FAILED naming the field", async () => {
    for (const username of ["ab", "a".repeat(33), "with space", "at@sign", "slash/name", "émile", "", 12345, null]) {
      const res = await register(username);
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.issues).toEqual([
        { path: "body.username", message: expect.stringMatching(typeof username === "string" ? /3-32 characters/ : /expected string/i) },
      ]);
    }
    const missing = await ctx.http.post("/api/v1/auth/register", { password: PASSWORD });
    expectError(missing, 400, "VALIDATION_FAILED");
    expect(missing.body.error.message).toMatch(/^body\.username: /);
  });

  it("accepts passwords of 8 to 256 characters and rejects shorter or longer ones", async () => {
    expect((await register("pw_min", "12345678")).status).toBe(201);
    expect((await register("pw_max", "p".repeat(256))).status).toBe(201);
    expect((await login(ctx.http, "pw_min", "12345678")).status).toBe(200);
    expect((await login(ctx.http, "pw_max", "p".repeat(256))).status).toBe(200);

    for (const password of ["1234567", "p".repeat(257), ""]) {
      const res = await register("pw_bad", password);
      expectError(res, 400, "VALIDATION_FAILED");
      expect(res.body.error.issues).toEqual([{ path: "body.password", message: expect.stringMatching(/must be at (least 8|most 256) characters/) }]);
    }
    // None of the refused attempts created the account.
    expectError(await login(ctx.http, "pw_bad", "1234567"), 401, "INVALID_CREDENTIALS");
  });
});

describe("registration when ALLOW_REGISTRATION=false", () => {
  const ctx = useTestHub({ settings: { ALLOW_REGISTRATION: "false" } });

  it("lets only the first account register, as admin, and closes registration afterwards", async () => {
    const first = await ctx.http.post("/api/v1/auth/register", { username: "boss", password: PASSWORD });
    expect(first.status).toBe(201);
    expect(first.body.role).toBe("admin");

    const second = await ctx.http.post("/api/v1/auth/register", { username: "latecomer", password: PASSWORD });
    expectCatalogError(second, 403, "REGISTRATION_CLOSED");
    expectError(await login(ctx.http, "latecomer"), 401, "INVALID_CREDENTIALS");
    expect((await login(ctx.http, "boss")).status).toBe(200);
  });
});

describe("sign-in and tokens", () => {
  const ctx = useTestHub();
  beforeAll(async () => {
    await signUp(ctx.url, "admin");
  });

  it("signs in with a JSON body and returns a bearer pair", async () => {
    const user = await signUp(ctx.url, "json_login");
    const res = await login(ctx.http, "json_login");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.stringMatching(/^smr_[A-Za-z0-9_-]{43}$/),
      token_type: "bearer",
      expires_in: 900,
      refresh_expires_in: expect.any(Number),
    });
    // A fresh sign-in lasts 30 days (give or take the millisecond between two clock reads).
    expect(res.body.refresh_expires_in).toBeGreaterThanOrEqual(THIRTY_DAYS_S - 1);
    expect(res.body.refresh_expires_in).toBeLessThanOrEqual(THIRTY_DAYS_S);
    const who = await me(ctx.http, res.body.access_token);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ id: user.userId, username: "json_login", role: "user" });
  });

  it("signs in with a form-encoded body", async () => {
    const password = "p@ss w&rd=+1%";
    await signUp(ctx.url, "form_login", password);
    const res = await ctx.http.request("POST", "/api/v1/auth/login", {
      body: new URLSearchParams({ username: "form_login", password }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe("bearer");
    expect((await me(ctx.http, res.body.access_token)).body.username).toBe("form_login");

    const wrong = await ctx.http.request("POST", "/api/v1/auth/login", {
      body: new URLSearchParams({ username: "form_login", password: "not it at all" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectCatalogError(wrong, 401, "INVALID_CREDENTIALS");
  });

  it("matches the username case-insensitively at sign-in", async () => {
    await signUp(ctx.url, "MixedCase");
    const res = await login(ctx.http, "mixedcase");
    expect(res.status).toBe(200);
    expect((await me(ctx.http, res.body.access_token)).body.username).toBe("MixedCase");
  });

  it("answers a wrong password and an unknown user identically with 401 INVALID_CREDENTIALS", async () => {
    await signUp(ctx.url, "known_user");
    const wrongPassword = await login(ctx.http, "known_user", "wrong password!");
    const unknownUser = await login(ctx.http, "nobody_here", "wrong password!");
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(wrongPassword.body).toEqual(catalogError("INVALID_CREDENTIALS"));
    expect(unknownUser.body).toEqual(wrongPassword.body);
    expect(refreshCookieLine(wrongPassword)).toBeUndefined();
  });

  it("rejects a sign-in body without a password with 400 VALIDATION_FAILED", async () => {
    const res = await ctx.http.post("/api/v1/auth/login", { username: "known_user" }, { token: null });
    expectError(res, 400, "VALIDATION_FAILED");
  });

  it("issues HS256 access tokens typed access, bound to the user, living at most 15 minutes", async () => {
    const user = await signUp(ctx.url, "claims_user");
    const token = user.accessToken!;
    expect(jwtPart(token, 0)).toMatchObject({ alg: "HS256" });
    const claims = jwtPart(token, 1);
    expect(claims).toMatchObject({ typ: "access", sub: String(user.userId), role: "user", sid: expect.any(String) });
    expect(typeof claims.iat).toBe("number");
    expect(typeof claims.exp).toBe("number");
    const lifetime = (claims.exp as number) - (claims.iat as number);
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(900);
    // The refresh token is an opaque random string, not a JWT carrying claims.
    expect(user.refreshToken.split(".")).toHaveLength(1);
  });

  it("rotates the refresh token: a new pair, and the old token can no longer be used", async () => {
    await signUp(ctx.url, "rotator");
    const first = await login(ctx.http, "rotator");
    const second = await refresh(ctx.http, first.body.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.stringMatching(/^smr_/),
      token_type: "bearer",
      expires_in: 900,
      refresh_expires_in: expect.any(Number),
    });
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect(jwtPart(second.body.access_token, 1).sid).toBe(jwtPart(first.body.access_token, 1).sid);
    expect((await me(ctx.http, second.body.access_token)).status).toBe(200);

    const third = await refresh(ctx.http, second.body.refresh_token);
    expect(third.status).toBe(200);
    expect(third.body.refresh_token).not.toBe(second.body.refresh_token);
  });

  it("treats re-use of a rotated refresh token as theft and revokes the whole family", async () => {
    await signUp(ctx.url, "victim");
    const stolen = await login(ctx.http, "victim");
    const rotated = await refresh(ctx.http, stolen.body.refresh_token);
    expect(rotated.status).toBe(200);
    // The session is known active (and remembered as such) before the theft is detected.
    expect((await me(ctx.http, rotated.body.access_token)).status).toBe(200);

    const reuse = await refresh(ctx.http, stolen.body.refresh_token);
    expectCatalogError(reuse, 401, "REFRESH_TOKEN_REUSED");

    const newest = await refresh(ctx.http, rotated.body.refresh_token);
    expectCatalogError(newest, 401, "INVALID_REFRESH_TOKEN");

    for (const accessToken of [rotated.body.access_token, stolen.body.access_token]) {
      const res = await me(ctx.http, accessToken);
      expectCatalogError(res, 401, "UNAUTHENTICATED");
    }
  });

  it("revokes only the family of the re-used token, not the user's other sessions", async () => {
    await signUp(ctx.url, "two_devices");
    const laptop = await login(ctx.http, "two_devices");
    const phone = await login(ctx.http, "two_devices");
    expect((await refresh(ctx.http, laptop.body.refresh_token)).status).toBe(200);
    expect((await refresh(ctx.http, laptop.body.refresh_token)).body.error.code).toBe("REFRESH_TOKEN_REUSED");

    expect((await me(ctx.http, phone.body.access_token)).status).toBe(200);
    expect((await refresh(ctx.http, phone.body.refresh_token)).status).toBe(200);
  });

  it("lets exactly one of two concurrent refreshes with the same token succeed", async () => {
    await signUp(ctx.url, "racer");
    const signedIn = await login(ctx.http, "racer");
    const results = await Promise.all([refresh(ctx.http, signedIn.body.refresh_token), refresh(ctx.http, signedIn.body.refresh_token)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401]);
    expect(results.find((r) => r.status === 401)!.body.error.code).toBe("REFRESH_TOKEN_REUSED");
  });

  it("claims a rotation atomically in the store, so a token another hub instance rotated first counts as re-use", async () => {
    await signUp(ctx.url, "store_race");
    const signedIn = await login(ctx.http, "store_race");
    const oldHash = sha256Hex(signedIn.body.refresh_token);
    const now = Date.now();
    const next = (token: string) => ({ tokenHash: sha256Hex(token), issuedAt: now, expiresAt: now + DAY_MS });
    expect(await ctx.hub.adapters.sessions.rotate(oldHash, next("smr_first"), now)).toBe(true);
    expect(await ctx.hub.adapters.sessions.rotate(oldHash, next("smr_second"), now)).toBe(false);
    expect((await refresh(ctx.http, signedIn.body.refresh_token)).body).toEqual(catalogError("REFRESH_TOKEN_REUSED"));
  });

  it("sets the refresh token as an HttpOnly, SameSite=Strict cookie scoped to /api/v1/auth, and refreshes from it", async () => {
    await signUp(ctx.url, "cookie_user");
    const signedIn = await login(ctx.http, "cookie_user");
    const line = refreshCookieLine(signedIn);
    expect(line).toBeDefined();
    const attributes = line!.split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=strict");
    expect(attributes).toContain("path=/api/v1/auth");
    // Plain HTTP on loopback with COOKIE_SECURE=auto: no Secure flag, or the browser would drop it.
    expect(attributes).not.toContain("secure");
    expect(refreshCookieValue(signedIn)).toBe(signedIn.body.refresh_token);

    const viaCookie = await ctx.http.request("POST", "/api/v1/auth/refresh", {
      headers: { cookie: `sm_refresh=${signedIn.body.refresh_token}` },
      token: null,
    });
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.body.refresh_token).not.toBe(signedIn.body.refresh_token);
    expect(refreshCookieValue(viaCookie)).toBe(viaCookie.body.refresh_token);
    expect((await me(ctx.http, viaCookie.body.access_token)).body.username).toBe("cookie_user");

    // The stale cookie is a re-use; the answer also clears the cookie.
    const stale = await ctx.http.request("POST", "/api/v1/auth/refresh", {
      headers: { cookie: `sm_refresh=${signedIn.body.refresh_token}` },
      token: null,
    });
    expectErrorCode(stale, 401, "REFRESH_TOKEN_REUSED");
    expect(refreshCookieLine(stale)).toMatch(/^sm_refresh=;.*(Expires=Thu, 01 Jan 1970|Max-Age=0)/i);
  });

  it("answers a refresh without any token with 401 INVALID_REFRESH_TOKEN", async () => {
    const res = await ctx.http.request("POST", "/api/v1/auth/refresh", { token: null });
    expectError(res, 401, "INVALID_REFRESH_TOKEN");
    const unknown = await refresh(ctx.http, "smr_not-a-real-token");
    expect(unknown.body).toEqual(catalogError("INVALID_REFRESH_TOKEN"));
  });

  it("never accepts a refresh token as a Bearer access token, nor an access token as a refresh token", async () => {
    const user = await signUp(ctx.url, "mixup");
    const asBearer = await me(ctx.http, user.refreshToken);
    expectCatalogError(asBearer, 401, "UNAUTHENTICATED");

    const asRefresh = await refresh(ctx.http, user.accessToken!);
    expectCatalogError(asRefresh, 401, "INVALID_REFRESH_TOKEN");
    // Neither mistake damaged the real session.
    expect((await me(ctx.http, user.accessToken!)).status).toBe(200);
    expect((await refresh(ctx.http, user.refreshToken)).status).toBe(200);
  });

  it("logs out with the refresh token: 204, then neither token of that session works", async () => {
    await signUp(ctx.url, "leaver");
    const session = await login(ctx.http, "leaver");
    expect((await me(ctx.http, session.body.access_token)).status).toBe(200);

    const out = await ctx.http.post("/api/v1/auth/logout", { refresh_token: session.body.refresh_token }, { token: null });
    expect(out.status).toBe(204);
    expect(out.body).toBeNull();
    expect(refreshCookieLine(out)).toMatch(/^sm_refresh=;/);

    expect((await refresh(ctx.http, session.body.refresh_token)).body).toEqual(catalogError("INVALID_REFRESH_TOKEN"));
    const after = await me(ctx.http, session.body.access_token);
    expectCatalogError(after, 401, "UNAUTHENTICATED");
  });

  it("logs out with the access token alone, ending that session's refresh token too", async () => {
    await signUp(ctx.url, "leaver2");
    const session = await login(ctx.http, "leaver2");
    const other = await login(ctx.http, "leaver2");
    const out = await ctx.http.request("POST", "/api/v1/auth/logout", { token: session.body.access_token });
    expect(out.status).toBe(204);
    expect((await me(ctx.http, session.body.access_token)).status).toBe(401);
    expect((await refresh(ctx.http, session.body.refresh_token)).body.error.code).toBe("INVALID_REFRESH_TOKEN");
    // The other sign-in of the same user is untouched.
    expect((await me(ctx.http, other.body.access_token)).status).toBe(200);
  });

  it("logs out with the refresh cookie", async () => {
    await signUp(ctx.url, "leaver3");
    const session = await login(ctx.http, "leaver3");
    const out = await ctx.http.request("POST", "/api/v1/auth/logout", {
      headers: { cookie: `sm_refresh=${session.body.refresh_token}` },
      token: null,
    });
    expect(out.status).toBe(204);
    expect((await refresh(ctx.http, session.body.refresh_token)).body.error.code).toBe("INVALID_REFRESH_TOKEN");
    expect((await me(ctx.http, session.body.access_token)).status).toBe(401);
  });

  it("answers logout 204 even without any token", async () => {
    expect((await ctx.http.request("POST", "/api/v1/auth/logout", { token: null })).status).toBe(204);
    expect((await ctx.http.post("/api/v1/auth/logout", { refresh_token: "smr_unknown" }, { token: null })).status).toBe(204);
  });

  it("answers missing or malformed Authorization with 401 UNAUTHENTICATED and the catalog body", async () => {
    const none = await ctx.http.get("/api/v1/users/me", { token: null });
    expectCatalogError(none, 401, "UNAUTHENTICATED");
    expect(none.headers.get("content-type")).toContain("application/json");

    for (const authorization of ["Bearer", "Bearer ", "Bearer garbage", "Bearer a.b.c", "Basic YWRtaW46cGFzc3dvcmQ=", "garbage", "Token abc"]) {
      const res = await ctx.http.get("/api/v1/users/me", { token: null, headers: { authorization } });
      expect({ authorization, status: res.status, body: res.body }).toEqual({
        authorization,
        status: 401,
        body: catalogError("UNAUTHENTICATED"),
      });
    }
  });

  it("accepts the bearer scheme in any case", async () => {
    const user = await signUp(ctx.url, "scheme_case");
    const res = await ctx.http.get("/api/v1/users/me", { token: null, headers: { authorization: `bearer ${user.accessToken}` } });
    expect(res.status).toBe(200);
  });

  it("refuses forged access tokens: wrong key, alg none, wrong type, unknown session", async () => {
    const user = await signUp(ctx.url, "forgery_target");
    const real = jwtPart(user.accessToken!, 1);
    const nowS = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>, key: Uint8Array) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(String(user.userId))
        .setIssuer(real.iss as string)
        .setAudience(real.aud as string)
        .setIssuedAt(nowS)
        .setExpirationTime(nowS + 600)
        .sign(key);
    const hubKey = new TextEncoder().encode(readFileSync(path.join(ctx.hub.dataDir, "secret.key"), "utf8").trim());

    // Sanity check: with the hub's key and the real claims, the forgery machinery makes a working token.
    const genuine = await sign({ typ: "access", sid: real.sid, role: "user" }, hubKey);
    expect((await me(ctx.http, genuine)).status).toBe(200);

    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const forgeries = {
      wrongKey: await sign({ typ: "access", sid: real.sid, role: "admin" }, new TextEncoder().encode("x".repeat(48))),
      algNone: `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...real, role: "admin" })}.`,
      refreshType: await sign({ typ: "refresh", sid: real.sid, role: "user" }, hubKey),
      unknownRole: await sign({ typ: "access", sid: real.sid, role: "root" }, hubKey),
      unknownSession: await sign({ typ: "access", sid: "00000000-0000-4000-8000-000000000000", role: "user" }, hubKey),
    };
    for (const [kind, token] of Object.entries(forgeries)) {
      const res = await me(ctx.http, token);
      expect({ kind, status: res.status, body: res.body }).toEqual({ kind, status: 401, body: catalogError("UNAUTHENTICATED") });
    }
  });
});

describe("throttling failed sign-ins per account", () => {
  const ctx = useTestHub({ manualClock: true });
  beforeAll(async () => {
    await signUp(ctx.url, "target");
    await signUp(ctx.url, "bystander");
  });

  it("refuses the account with 429 LOGIN_THROTTLED and Retry-After after 10 failures, even with the right password", async () => {
    for (let i = 0; i < 10; i++) {
      const res = await login(ctx.http, "target", `wrong password ${i}`);
      expect({ attempt: i + 1, status: res.status, code: res.body.error.code }).toEqual({ attempt: i + 1, status: 401, code: "INVALID_CREDENTIALS" });
    }
    const wrong = await login(ctx.http, "target", "wrong password again");
    expectCatalogError(wrong, 429, "LOGIN_THROTTLED");
    // The window is 15 minutes from the first failure and the clock has not moved.
    expect(wrong.headers.get("retry-after")).toBe("900");

    const right = await login(ctx.http, "target");
    expectErrorCode(right, 429, "LOGIN_THROTTLED");
    expect(right.body.access_token).toBeUndefined();
    // The account is the same whatever the case of the username.
    expect((await login(ctx.http, "TARGET")).status).toBe(429);

    ctx.clock.advance(5 * 60_000);
    expect((await login(ctx.http, "target")).headers.get("retry-after")).toBe("600");
  });

  it("does not lock other accounts signing in from the same address", async () => {
    expect((await login(ctx.http, "bystander")).status).toBe(200);
  });

  it("lets the account in again once the window has passed", async () => {
    ctx.clock.advance(10 * 60_000);
    const res = await login(ctx.http, "target");
    expect(res.status).toBe(200);
    expect((await me(ctx.http, res.body.access_token)).status).toBe(200);
  });

  it("starts counting afresh after a successful sign-in", async () => {
    for (let i = 0; i < 9; i++) expect((await login(ctx.http, "target", "nope nope")).status).toBe(401);
    expect((await login(ctx.http, "target")).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await login(ctx.http, "target", "nope nope")).status).toBe(401);
    expect((await login(ctx.http, "target")).status).toBe(200);
  });
});

describe("throttling failed sign-ins per address", () => {
  const ctx = useTestHub({ manualClock: true });
  beforeAll(async () => {
    await signUp(ctx.url, "innocent");
  });

  it("refuses every sign-in from an address after 50 failures across different usernames", async () => {
    const failures = await Promise.all(Array.from({ length: 50 }, (_, i) => login(ctx.http, `sprayed_${i}`, "Winter2026!")));
    expect(failures.map((r) => r.status)).toEqual(Array(50).fill(401));

    const next = await login(ctx.http, "sprayed_new", "Winter2026!");
    expectCatalogError(next, 429, "LOGIN_THROTTLED");
    expect(next.headers.get("retry-after")).toBe("900");

    const innocent = await login(ctx.http, "innocent");
    expectErrorCode(innocent, 429, "LOGIN_THROTTLED");

    ctx.clock.advance(15 * 60_000);
    expect((await login(ctx.http, "innocent")).status).toBe(200);
  });
});

describe("behind a reverse proxy (TRUST_PROXY=true)", () => {
  const ctx = useTestHub({ settings: { TRUST_PROXY: "true" } });
  beforeAll(async () => {
    await signUp(ctx.url, "proxied");
  });

  const loginFrom = (ip: string, username: string, password = PASSWORD, proto = "http") =>
    ctx.http.post("/api/v1/auth/login", { username, password }, { token: null, headers: { "x-forwarded-for": ip, "x-forwarded-proto": proto } });

  it("marks the refresh cookie Secure when the proxy says the client used HTTPS", async () => {
    const res = await loginFrom("198.51.100.7", "proxied", PASSWORD, "https");
    expect(res.status).toBe(200);
    expect(refreshCookieLine(res)!.split(";").map((a) => a.trim().toLowerCase())).toContain("secure");
  });

  it("throttles failures per client address, not per proxy", async () => {
    const failures = await Promise.all(Array.from({ length: 50 }, (_, i) => loginFrom("203.0.113.1", `sprayed_${i}`, "Winter2026!")));
    expect(failures.map((r) => r.status)).toEqual(Array(50).fill(401));
    expect((await loginFrom("203.0.113.1", "proxied")).body).toEqual(catalogError("LOGIN_THROTTLED"));
    expect((await loginFrom("203.0.113.2", "proxied")).status).toBe(200);
  });
});

describe("throttling registrations per address", () => {
  const ctx = useTestHub({ manualClock: true });

  it("allows 20 registrations an hour from one address, then answers 429 with Retry-After", async () => {
    for (let i = 0; i < 20; i++) {
      const res = await ctx.http.post("/api/v1/auth/register", { username: `bulk_${i}`, password: PASSWORD });
      expect({ i, status: res.status }).toEqual({ i, status: 201 });
    }
    const refused = await ctx.http.post("/api/v1/auth/register", { username: "bulk_20", password: PASSWORD });
    expectCatalogError(refused, 429, "TOO_MANY_REQUESTS");
    expect(refused.headers.get("retry-after")).toBe("3600");

    ctx.clock.advance(3600_000);
    expect((await ctx.http.post("/api/v1/auth/register", { username: "bulk_20", password: PASSWORD })).status).toBe(201);
  });
});

describe("token expiry", () => {
  const ctx = useTestHub({ manualClock: true });
  beforeAll(async () => {
    await signUp(ctx.url, "admin");
  });

  it("expires access tokens after 15 minutes with 401 ACCESS_TOKEN_EXPIRED; a refresh brings a working one", async () => {
    const user = await signUp(ctx.url, "sleeper");
    ctx.clock.advance(14 * 60_000);
    expect((await me(ctx.http, user.accessToken!)).status).toBe(200);

    ctx.clock.advance(2 * 60_000);
    const expired = await me(ctx.http, user.accessToken!);
    expectCatalogError(expired, 401, "ACCESS_TOKEN_EXPIRED");

    const renewed = await refresh(ctx.http, user.refreshToken);
    expect(renewed.status).toBe(200);
    expect((await me(ctx.http, renewed.body.access_token)).status).toBe(200);
  });

  it("ends a sign-in 30 days after it began, however often it was refreshed", async () => {
    await signUp(ctx.url, "long_haul");
    const signedIn = await login(ctx.http, "long_haul");
    expect(signedIn.body.refresh_expires_in).toBe(THIRTY_DAYS_S);

    ctx.clock.advance(29 * DAY_MS);
    const rotated = await refresh(ctx.http, signedIn.body.refresh_token);
    expect(rotated.status).toBe(200);
    // Rotation keeps the session's end: one day left, not another 30.
    expect(rotated.body.refresh_expires_in).toBe(24 * 3600);
    expect(refreshCookieLine(rotated)).toMatch(/Max-Age=86400/i);

    ctx.clock.advance(DAY_MS - 60_000);
    const lastMinute = await refresh(ctx.http, rotated.body.refresh_token);
    expect(lastMinute.status).toBe(200);
    expect(lastMinute.body.refresh_expires_in).toBe(60);

    ctx.clock.advance(60_000);
    const expired = await refresh(ctx.http, lastMinute.body.refresh_token);
    expectCatalogError(expired, 401, "INVALID_REFRESH_TOKEN");
    // The access token issued a minute ago is not expired itself, but its session is over.
    expect((await me(ctx.http, lastMinute.body.access_token)).body).toEqual(catalogError("UNAUTHENTICATED"));
  });

  it("expires an unused refresh token after 30 days", async () => {
    await signUp(ctx.url, "idle_user");
    const signedIn = await login(ctx.http, "idle_user");
    ctx.clock.advance(30 * DAY_MS + 1);
    const res = await refresh(ctx.http, signedIn.body.refresh_token);
    expectCatalogError(res, 401, "INVALID_REFRESH_TOKEN");
  });
});
