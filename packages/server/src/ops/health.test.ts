/** The ops endpoints over real HTTP: health with components, Prometheus metrics, the OpenAPI document and the start page. */
import { describe, expect, it } from "vitest";
import { expectErrorCode, useTestHub } from "../test-support/test-hub.js";

describe("ops endpoints", () => {
  const ctx = useTestHub();

  it("reports health with every component", async () => {
    for (const url of ["/health", "/api/v1/health"]) {
      const res = await ctx.http.get(url);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("ok");
      expect(Object.keys(res.body.components).sort()).toEqual(["alerts", "bus", "cache", "database"]);
      expect(res.body.components.database.status).toBe("ok");
      expect(res.body.components.alerts).toEqual({ status: "ok", detail: "telegram not configured; 0 queued" });
    }
  });

  it("exposes Prometheus metrics in text format", async () => {
    const res = await ctx.http.get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    for (const name of [
      "statusmonitor_ingest_requests_total",
      "statusmonitor_ingest_rejects_total",
      "statusmonitor_ingest_ack_seconds_bucket",
      "statusmonitor_live_clients",
      "statusmonitor_bus_lag_seconds",
    ]) {
      expect(res.body).toContain(name);
    }
  });

  it("serves an OpenAPI document generated from the schemas", async () => {
    const res = await ctx.http.get("/api/docs/json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const paths = Object.keys(res.body.paths);
    for (const p of ["/api/v1/auth/login", "/api/v1/agents", "/api/v1/agents/{id}", "/ingest", "/api/v1/live/tickets", "/health"]) {
      expect(paths).toContain(p);
    }
    const register = res.body.paths["/api/v1/auth/register"].post;
    expect(register.requestBody.content["application/json"].schema.properties.username).toBeDefined();
  });

  it("shows a start page while the dashboard is not built", async () => {
    const res = await ctx.http.get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.body).toContain("StatusMonitor hub is running");
  });

  it("answers unknown paths with a catalog 404", async () => {
    const res = await ctx.http.get("/api/v1/nope");
    expectErrorCode(res, 404, "NOT_FOUND");
  });
});
