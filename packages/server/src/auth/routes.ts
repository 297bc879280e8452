/** HTTP routes of the auth capability: register, login (JSON or form), refresh, logout. */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { errorBody as errorBodySchema, loginRequest, refreshRequest, registerRequest, tokenPair, user } from "@statusmonitor/protocol";
import { AppError } from "../core/app-error.js";
import { bearerToken } from "../http/authenticate.js";
import type { AuthService, SignedIn } from "./service.js";
import { toUserResponse } from "./user-response.js";

export const REFRESH_COOKIE = "sm_refresh";
const COOKIE_PATH = "/api/v1/auth";

export interface AuthRoutesOptions {
  auth: AuthService;
  cookieSecure: "auto" | "true" | "false";
}

export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, { auth, cookieSecure }) => {
  const tags = ["auth"];
  const errors = { 400: errorBodySchema, 401: errorBodySchema, 429: errorBodySchema };

  const setRefreshCookie = (request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn) =>
    reply.setCookie(REFRESH_COOKIE, signedIn.refresh_token, {
      httpOnly: true,
      sameSite: "strict",
      secure: cookieSecure === "auto" ? request.protocol === "https" : cookieSecure === "true",
      path: COOKIE_PATH,
      maxAge: signedIn.refresh_expires_in,
    });
  const pair = ({ user: _user, ...tokens }: SignedIn) => tokens;

  app.post(
    "/register",
    {
      schema: {
        tags,
        summary: "Create an account; the first account becomes the administrator",
        body: registerRequest,
        response: { 201: user, 403: errorBodySchema, 409: errorBodySchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await auth.register(request.body.username, request.body.password, request.ip);
      return reply.status(201).send(toUserResponse(created));
    },
  );

  app.post(
    "/login",
    {
      schema: {
        tags,
        summary: "Sign in with a JSON or form-encoded body; also sets the HttpOnly refresh cookie",
        body: loginRequest,
        response: { 200: tokenPair, ...errors },
      },
    },
    async (request, reply) => {
      const signedIn = await auth.login(request.body.username, request.body.password, request.ip);
      setRefreshCookie(request, reply, signedIn);
      return pair(signedIn);
    },
  );

  app.post(
    "/refresh",
    {
      schema: {
        tags,
        summary: "Exchange a refresh token (body or cookie) for a new pair; the old one stops working",
        // A request without a body (the cookie-only refresh) reaches validation as null, not undefined.
        body: refreshRequest.nullish(),
        response: { 200: tokenPair, ...errors },
      },
    },
    async (request, reply) => {
      const token = request.body?.refresh_token ?? request.cookies[REFRESH_COOKIE];
      if (!token) throw new AppError("INVALID_REFRESH_TOKEN", "No refresh token: send refresh_token or the sm_refresh cookie.");
      try {
        const signedIn = await auth.refresh(token);
        setRefreshCookie(request, reply, signedIn);
        return pair(signedIn);
      } catch (err) {
        reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
        throw err;
      }
    },
  );

  app.post(
    "/logout",
    {
      schema: {
        tags,
        summary: "End the session of the given refresh token (body or cookie) or access token",
        body: refreshRequest.nullish(),
        response: { 204: z.null().describe("Signed out") },
      },
    },
    async (request, reply) => {
      const refreshToken = request.body?.refresh_token ?? request.cookies[REFRESH_COOKIE];
      if (refreshToken) await auth.logoutWithRefreshToken(refreshToken);
      const accessToken = bearerToken(request);
      if (accessToken) {
        const principal = await auth.authenticate(accessToken).catch(() => undefined);
        if (principal) await auth.logoutSession(principal);
      }
      reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
      return reply.status(204).send(null);
    },
  );
};
