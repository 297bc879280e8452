/** With a dashboard build present, the hub serves it with a client-side-routing fallback, and API misses stay JSON. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectErrorCode, useTestHub } from "../test-support/test-hub.js";

describe("dashboard static files", () => {
  const webDir = mkdtempSync(path.join(tmpdir(), "statusmonitor-web-"));
  mkdirSync(path.join(webDir, "assets"));
  writeFileSync(path.join(webDir, "index.html"), "<!doctype html><title>dashboard-build</title>");
  writeFileSync(path.join(webDir, "assets", "app.js"), "console.log('app')");
  // The build's precompressed copy; its different text shows which file was sent.
  writeFileSync(path.join(webDir, "assets", "app.js.gz"), gzipSync("console.log('app, precompressed')"));
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

  it("lets browsers cache hashed assets for good and revalidate index.html", async () => {
    expect((await ctx.http.get("/assets/app.js")).headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await ctx.http.get("/")).headers.get("cache-control")).toBe("no-cache");
    expect((await ctx.http.get("/agents/3")).headers.get("cache-control")).toBe("no-cache");
  });

  it("sends the precompressed copy to a browser that accepts gzip, and the plain file otherwise", async () => {
    const gzipped = await ctx.http.get("/assets/app.js", { headers: { "accept-encoding": "gzip" } });
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
    expect(gzipped.body).toBe("console.log('app, precompressed')");
    const plain = await ctx.http.get("/assets/app.js", { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(plain.body).toBe("console.log('app')");
  });

  it("compresses large API answers and leaves small ones alone", async () => {
    const large = await ctx.http.get("/api/docs/json", { headers: { "accept-encoding": "gzip" } });
    expect(large.status).toBe(200);
    expect(large.headers.get("content-encoding")).toBe("gzip");
    expect(large.body.openapi).toMatch(/^3\./);
    const small = await ctx.http.get("/health", { headers: { "accept-encoding": "gzip" } });
    expect(small.headers.get("content-encoding")).toBeNull();
  });
});
