/** ROLES decides which routes a process serves: an ingest-only or api-only hub answers 404 for the rest. */
import { describe, expect, it } from "vitest";
import { useTestHub } from "../test-support/test-hub.js";

describe("a hub running only the ingest role", () => {
  const ctx = useTestHub({ settings: { ROLES: "ingest" } });

  it("serves ingest and ops, not the API or the WebSocket", async () => {
    expect((await ctx.http.post("/ingest", { timestamp: 1 })).body.error.code).toBe("AGENT_TOKEN_MISSING");
    expect((await ctx.http.get("/health")).body.roles).toEqual(["ingest"]);
    expect((await ctx.http.get("/metrics")).status).toBe(200);
    for (const [method, url] of [
      ["POST", "/api/v1/auth/login"],
      ["GET", "/api/v1/agents"],
      ["POST", "/api/v1/live/tickets"],
      ["GET", "/api/v1/live"],
    ] as const) {
      const res = await ctx.http.request(method, url, { json: method === "POST" ? {} : undefined });
      expect({ url, status: res.status, code: res.body.error.code }).toEqual({ url, status: 404, code: "NOT_FOUND" });
    }
  });
});

describe("a hub running only the api role", () => {
  const ctx = useTestHub({ settings: { ROLES: "api" } });

  it("serves the API, not ingest", async () => {
    expect((await ctx.http.post("/api/v1/auth/register", { username: "api_only", password: "long enough" })).status).toBe(201);
    expect((await ctx.http.post("/ingest", { timestamp: 1 })).status).toBe(404);
    expect((await ctx.http.post("/api/v1/ingest", { timestamp: 1 })).status).toBe(404);
  });
});
