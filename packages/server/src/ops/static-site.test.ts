/** With a dashboard build present, the hub serves it with a client-side-routing fallback, and API misses stay JSON. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient, startTestHub, type TestHub } from "../test-support/test-hub.js";

describe("dashboard static files", () => {
  let hub: TestHub;
  let http: HttpClient;
  let webDir: string;
  beforeAll(async () => {
    webDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-web-"));
    mkdirSync(path.join(webDir, "assets"));
    writeFileSync(path.join(webDir, "index.html"), "<!doctype html><title>dashboard-build</title>");
    writeFileSync(path.join(webDir, "assets", "app.js"), "console.log('app')");
    hub = await startTestHub({ settings: { WEB_DIR: webDir } });
    http = new HttpClient(hub.url);
  });
  afterAll(async () => {
    await hub.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it("serves index.html at the root", async () => {
    const res = await http.get("/");
    expect(res.status).toBe(200);
    expect(res.body).toContain("dashboard-build");
  });

  it("serves assets", async () => {
    const res = await http.get("/assets/app.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
  });

  it("answers client-side routes with index.html", async () => {
    const res = await http.get("/agents/3");
    expect(res.status).toBe(200);
    expect(res.body).toContain("dashboard-build");
  });

  it("keeps unknown API paths as JSON 404s", async () => {
    const res = await http.get("/api/v1/does-not-exist");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
  });

  it("sends security headers", async () => {
    const res = await http.get("/");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
  });
});
