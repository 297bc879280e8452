/** With a dashboard build present, the hub serves it with a client-side-routing fallback, and API misses stay JSON. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectErrorCode, useTestHub } from "../test-support/test-hub.js";

describe("dashboard static files", () => {
  const webDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-web-"));
  mkdirSync(path.join(webDir, "assets"));
  writeFileSync(path.join(webDir, "index.html"), "<!doctype html><title>dashboard-build</title>");
  writeFileSync(path.join(webDir, "assets", "app.js"), "console.log('app')");
  const ctx = useTestHub({ settings: { WEB_DIR: webDir } });
  afterAll(() => rmSync(webDir, { recursive: true, force: true }));

  /** The dashboard's index.html answers `url`. */
  async function expectIndexHtml(url: string): Promise<void> {
    const res = await ctx.http.get(url);
    expect(res.status).toBe(200);
    expect(res.body).toContain("dashboard-build");
  }

  it("serves index.html at the root", () => expectIndexHtml("/"));

  it("serves assets", async () => {
    const res = await ctx.http.get("/assets/app.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
  });

  it("answers client-side routes with index.html", () => expectIndexHtml("/agents/3"));

  it("keeps unknown API paths as JSON 404s", async () => {
    const res = await ctx.http.get("/api/v1/does-not-exist");
    expectErrorCode(res, 404, "NOT_FOUND");
  });

  it("sends security headers", async () => {
    const res = await ctx.http.get("/");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
  });
});
