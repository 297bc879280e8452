/**
 * The settings UI over real HTTP: the secret path, the Host and Origin checks, settings saved to a
 * 0600 file with the token masked, validation naming the field, start/stop against a real hub, the
 * connection test's messages, auto-start, and a clean stop (buffer flushed) on SIGTERM.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { closedPortUrl, recordingServer } from "../../../server/src/test-support/recording-server.js";
import { createAgent, signUp, startTestHub, waitFor, type TestHub } from "../../../server/src/test-support/test-hub.js";
import { DiskBuffer } from "../buffer/disk-buffer.js";
import { runSettingsUi, startSettingsServer, type SettingsServer } from "./server.js";

const dirs: string[] = [];
const servers: SettingsServer[] = [];
const logged: string[] = [];
const log = (level: string, message: string) => void logged.push(`${level} ${message}`);

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "statusmonitor-ui-"));
  dirs.push(dir);
  return dir;
}

async function launch(options: { file?: object; env?: Record<string, string>; testTimeoutMs?: number } = {}) {
  const dir = tempDir();
  const configPath = path.join(dir, "config", "agent.json");
  if (options.file) {
    mkdirSync(path.dirname(configPath));
    writeFileSync(configPath, JSON.stringify(options.file));
  }
  const ui = await startSettingsServer({
    configPath,
    flags: { BUFFER_DIR: path.join(dir, "buffer") },
    env: options.env ?? {},
    port: 0,
    log,
    ...(options.testTimeoutMs ? { testTimeoutMs: options.testTimeoutMs } : {}),
  });
  servers.push(ui);
  return { ui, configPath, bufferDir: path.join(dir, "buffer"), api: (p: string) => `${ui.url}api/${p}` };
}

afterEach(async () => {
  for (const ui of servers.splice(0)) await ui.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  logged.length = 0;
});

/** A request with full control of the headers (fetch will not send a forged Host). */
function raw(port: number, pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: pathname, method: options.method ?? "GET", headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

async function json(url: string, method = "GET", body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe("the secret link", () => {
  it("serves the page only under a per-launch secret on 127.0.0.1", async () => {
    const { ui } = await launch();
    const { ui: other } = await launch();
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32}\/$/);
    expect(new URL(other.url).pathname).not.toBe(new URL(ui.url).pathname);

    const page = await fetch(ui.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<title>StatusMonitor Agent</title>");
    const csp = page.headers.get("content-security-policy")!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 404 to anything without the right secret, however close", async () => {
    const { ui } = await launch();
    const secret = new URL(ui.url).pathname.split("/")[1]!;
    const flipped = (secret[0] === "A" ? "B" : "A") + secret.slice(1);
    const origin = `http://127.0.0.1:${ui.port}`;
    for (const pathname of ["/", "/api/status", `/${flipped}/`, `/${flipped}/api/status`, `/${secret.slice(0, -1)}/api/status`, `/${secret}x/api/status`, "/favicon.ico"]) {
      const res = await fetch(origin + pathname);
      expect(res.status, pathname).toBe(404);
      expect(await res.text()).not.toContain("StatusMonitor");
    }
    expect((await fetch(`${ui.url}api/status`)).status).toBe(200);
    expect((await fetch(`${ui.url}api/nothing`)).status).toBe(404);
    const bare = await fetch(`${origin}/${secret}`, { redirect: "manual" });
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toBe(`/${secret}/`);
  });

  it("does not listen on other interfaces", async () => {
    const { ui } = await launch();
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal);
    if (!external) return expect(ui.url.startsWith("http://127.0.0.1:")).toBe(true);
    await expect(fetch(`http://${external.address}:${ui.port}${new URL(ui.url).pathname}api/status`)).rejects.toThrow();
  });
});

describe("Host and Origin checks", () => {
  it("refuses a Host other than 127.0.0.1:<port> or localhost:<port> (DNS rebinding)", async () => {
    const { ui } = await launch();
    const p = `${new URL(ui.url).pathname}api/status`;
    expect((await raw(ui.port, p, { headers: { host: `127.0.0.1:${ui.port}` } })).status).toBe(200);
    expect((await raw(ui.port, p, { headers: { host: `localhost:${ui.port}` } })).status).toBe(200);
    for (const host of [`evil.example:${ui.port}`, "127.0.0.1", `127.0.0.1:${ui.port + 1}`, `localhost.evil.example:${ui.port}`]) {
      const res = await raw(ui.port, p, { headers: { host } });
      expect(res.status, host).toBe(421);
      expect(res.body).not.toContain("samplesSent");
    }
  });

  it("refuses state-changing requests from another origin and leaves the settings alone", async () => {
    const { ui, configPath } = await launch();
    const p = `${new URL(ui.url).pathname}api/settings`;
    const body = JSON.stringify({ hubUrl: "http://attacker.example", token: "stolen-token-123", intervalS: 5, autoStart: true });
    for (const origin of ["http://evil.example", `http://127.0.0.1:${ui.port + 1}`, "null"]) {
      const res = await raw(ui.port, p, { method: "PUT", headers: { host: `127.0.0.1:${ui.port}`, origin, "content-type": "application/json" }, body });
      expect(res.status, origin).toBe(403);
    }
    const start = await raw(ui.port, `${new URL(ui.url).pathname}api/start`, { method: "POST", headers: { host: `127.0.0.1:${ui.port}`, origin: "http://evil.example" } });
    expect(start.status).toBe(403);
    expect(() => statSync(configPath)).toThrow();
    // The page's own origin (either name) is fine.
    for (const origin of [`http://127.0.0.1:${ui.port}`, `http://localhost:${ui.port}`]) {
      const res = await raw(ui.port, p, { method: "PUT", headers: { host: `127.0.0.1:${ui.port}`, origin, "content-type": "application/json" }, body });
      expect(res.status, origin).toBe(200);
    }
  });
});

describe("settings", () => {
  const token = "sm_live_0123456789abcdefXYZ";

  it("round-trips through a 0600 file, with the token masked unless revealed", async () => {
    const { api, configPath } = await launch({ file: { BUFFER_MAX_MB: 32 } });
    const saved = await json(api("settings"), "PUT", { hubUrl: "  http://hub.example:8080/ ", token: ` ${token} `, intervalS: 5, autoStart: true });
    expect(saved.status).toBe(200);
    expect(saved.body.message).toBe("Your settings have been saved successfully.");
    expect(saved.body.settings.token).not.toContain("0123456789");

    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(configPath, "utf8"))).toEqual({
      BUFFER_MAX_MB: 32,
      INGESTION_URL: "http://hub.example:8080",
      AGENT_TOKEN: token,
      COLLECTION_INTERVAL: 5,
      AUTO_START: true,
    });

    const masked = await json(api("settings"));
    expect(masked.body).toMatchObject({ hubUrl: "http://hub.example:8080", token: "sm_l…fXYZ", tokenSet: true, intervalS: 5, autoStart: true });
    expect((await json(api("settings?reveal=1"))).body.token).toBe(token);
    const status = await fetch(api("status")).then((r) => r.text());
    expect(status).not.toContain("0123456789");
    expect(JSON.parse(status).settings).toMatchObject({ token: "sm_l…fXYZ", hubUrl: "http://hub.example:8080" });

    // Without a token field the saved one stays (the page only saw it masked).
    expect((await json(api("settings"), "PUT", { hubUrl: "http://hub.example:9090", intervalS: 60, autoStart: false })).status).toBe(200);
    expect(JSON.parse(readFileSync(configPath, "utf8"))).toMatchObject({ INGESTION_URL: "http://hub.example:9090", AGENT_TOKEN: token, COLLECTION_INTERVAL: 60, AUTO_START: false });
  });

  it("rejects bad values with every problem at once, each naming its field, and writes nothing", async () => {
    const { api, configPath } = await launch();
    const res = await json(api("settings"), "PUT", { hubUrl: "ftp://hub", token: "t", intervalS: 61, autoStart: false });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("INVALID_SETTINGS");
    const problems = res.body.error.problems as { field: string; message: string }[];
    expect(problems.map((p) => p.field).sort()).toEqual(["hubUrl", "intervalS"]);
    expect(problems.find((p) => p.field === "hubUrl")!.message).toMatch(/^Hub URL: must be an http:\/\/ or https:\/\/ URL/);
    expect(problems.find((p) => p.field === "intervalS")!.message).toMatch(/^Interval: must be a whole number of seconds from 1 to 60/);
    for (const intervalS of [0, 1.5, "abc", null, 3600]) {
      const bad = await json(api("settings"), "PUT", { hubUrl: "http://hub", intervalS, autoStart: false });
      expect(bad.status, String(intervalS)).toBe(400);
      expect(bad.body.error.problems[0].field).toBe("intervalS");
    }
    const noUrl = await json(api("settings"), "PUT", { intervalS: 5, autoStart: "yes" });
    expect(noUrl.body.error.problems.map((p: { field: string }) => p.field)).toEqual(["hubUrl", "autoStart"]);
    expect(() => statSync(configPath)).toThrow();
  });

  it("answers 400 to a body that is not JSON, 413 over 64 KiB, 405 to a wrong method", async () => {
    const { api } = await launch();
    const notJson = await fetch(api("settings"), { method: "PUT", headers: { "content-type": "application/json" }, body: "{hubUrl" });
    expect(notJson.status).toBe(400);
    const big = await fetch(api("settings"), { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ hubUrl: "x".repeat(70 * 1024) }) });
    expect(big.status).toBe(413);
    const wrong = await fetch(api("start"));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
  });
});

describe("against a real hub", () => {
  let hub: TestHub;
  let token: string;
  beforeAll(async () => {
    hub = await startTestHub();
    const user = await signUp(hub.url, "ui-owner");
    token = (await createAgent(user, "ui-agent")).token;
  });
  afterAll(() => hub.close());

  it("refuses to start without a hub URL and token, in the original's words", async () => {
    const { api } = await launch();
    const res = await json(api("start"), "POST");
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "NOT_CONFIGURED", message: "Please configure the server URL and agent token in the Settings tab." });
  });

  it("starts, counts samples the hub acknowledged, restarts on save, and stops", async () => {
    const { api } = await launch();
    expect((await json(api("settings"), "PUT", { hubUrl: hub.url, token, intervalS: 1, autoStart: false })).body.restarted).toBe(false);
    const started = await json(api("start"), "POST");
    expect(started.status).toBe(200);
    expect(started.body.running).toBe(true);
    const sent = await waitFor(async () => {
      const s = (await json(api("status"))).body;
      return s.agent?.samplesSent >= 2 && s;
    }, "two samples sent");
    expect(sent.agent.lastError).toBeNull();
    expect(sent.agent.latest.memory.used_percent).toBeGreaterThan(0);
    expect(sent.agent.lastSentAt).toBeGreaterThan(Date.now() - 10_000);

    // It cannot restart without a hub: clearing it while running is refused, and nothing changes.
    const cleared = await json(api("settings"), "PUT", { hubUrl: "", intervalS: 1, autoStart: false });
    expect(cleared.status).toBe(400);
    expect(cleared.body.error.problems).toEqual([{ field: "hubUrl", message: "Hub URL: required while the agent runs (stop it first to clear it)" }]);
    expect((await json(api("status"))).body).toMatchObject({ running: true, settings: { hubUrl: hub.url } });

    const saved = await json(api("settings"), "PUT", { hubUrl: hub.url, intervalS: 2, autoStart: false });
    expect(saved.body).toMatchObject({ restarted: true, message: "Settings saved; the agent restarted with them." });
    const after = (await json(api("status"))).body;
    expect(after).toMatchObject({ running: true, agent: { intervalS: 2 } });
    // Counts carry over the restart.
    expect(after.agent.samplesSent).toBeGreaterThanOrEqual(sent.agent.samplesSent);

    const stopped = await json(api("stop"), "POST");
    expect(stopped.body.running).toBe(false);
    expect(stopped.body.agent.samplesSent).toBeGreaterThanOrEqual(2);
    expect((await json(api("stop"), "POST")).status).toBe(200);
  });

  it("starts sending at launch when auto-start is saved", async () => {
    const { ui, api } = await launch({ file: { INGESTION_URL: hub.url, AGENT_TOKEN: token, COLLECTION_INTERVAL: 1, AUTO_START: true } });
    expect(ui.session.running).toBe(true);
    await waitFor(async () => (await json(api("status"))).body.agent?.samplesSent >= 1, "a sample sent after auto-start");
  });

  describe("Test connection", () => {
    const test = async (api: (p: string) => string, body: object) => {
      const res = await json(api("test"), "POST", body);
      expect(res.status).toBe(200);
      return res.body as { ok: boolean; title: string; message: string; detail?: string };
    };

    it("200: the hub took a real sample", async () => {
      const { api } = await launch();
      const result = await test(api, { hubUrl: `${hub.url}/`, token });
      expect(result).toMatchObject({ ok: true, title: "Success", message: "Connection successful! The agent can reach the server." });
    });

    it("uses the saved URL and token for fields it is not given", async () => {
      const { api } = await launch({ file: { INGESTION_URL: hub.url, AGENT_TOKEN: token } });
      expect(await test(api, {})).toMatchObject({ ok: true, title: "Success" });
    });

    it("401: a wrong token", async () => {
      const { api } = await launch();
      const result = await test(api, { hubUrl: hub.url, token: "sm_not_a_real_token_at_all" });
      expect(result).toMatchObject({ ok: false, title: "Authentication Failed", message: "Invalid agent token. Please check your token." });
      expect(result.detail).toMatch(/AGENT_TOKEN/);
    });

    it("404: no ingest endpoint at that URL", async () => {
      const { api } = await launch();
      const server = await recordingServer((res) => res.writeHead(404).end("no such page"));
      const result = await test(api, { hubUrl: server.url, token });
      expect(result).toMatchObject({ ok: false, title: "Not Found", message: "The ingestion endpoint was not found. Check the server URL." });
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]).toMatchObject({ method: "POST", path: "/api/v1/ingest", headers: { "x-agent-token": token } });
    });

    it("refused: nothing listens there", async () => {
      const { api } = await launch();
      const url = await closedPortUrl();
      const result = await test(api, { hubUrl: url, token });
      expect(result).toMatchObject({ ok: false, title: "Connection Error", message: "Could not connect to the server. Check the URL and ensure the server is running." });
      expect(result.detail).toBe(`Connection refused at ${url}/api/v1/ingest: is the hub running there?`);
    });

    it("timeout: the server never answers", async () => {
      const { api } = await launch({ testTimeoutMs: 300 });
      const server = await recordingServer(() => undefined);
      const result = await test(api, { hubUrl: server.url, token });
      expect(result).toMatchObject({ ok: false, title: "Timeout", message: "Connection timed out. The server may be slow or unreachable." });
    });

    it("empty fields: asks for them, sends nothing", async () => {
      const { api } = await launch();
      expect(await test(api, { hubUrl: " ", token })).toEqual({ ok: false, title: "Error", message: "Please enter a server URL." });
      expect(await test(api, { hubUrl: hub.url, token: "" })).toEqual({ ok: false, title: "Error", message: "Please enter an agent token." });
    });
  });
});

describe("runSettingsUi", () => {
  it("prints the link, and on SIGTERM stops the agent with its unsent samples flushed to the disk buffer", async () => {
    const dir = tempDir();
    const configPath = path.join(dir, "agent.json");
    const bufferDir = path.join(dir, "buffer");
    // A hub that is not there: every sample stays unsent and must be in the disk buffer, readable, after the stop.
    writeFileSync(configPath, JSON.stringify({ INGESTION_URL: await closedPortUrl(), AGENT_TOKEN: "sm_token_for_nobody", AUTO_START: true, BUFFER_DIR: bufferDir }));
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const listeners = process.listenerCount("SIGTERM");
    try {
      const exit = runSettingsUi({ configPath, flags: {}, env: {}, port: 0, openBrowser: false, log });
      const url = await waitFor(() => /http:\/\/127\.0\.0\.1:\d+\/[\w-]+\//.exec(printed.join(""))?.[0], "the printed link");
      const taken = await waitFor(async () => {
        const s = (await json(`${url}api/status`)).body;
        return s.agent?.samplesTaken >= 2 && s.agent.samplesTaken;
      }, "two samples taken");
      // Only signal once the UI listens for it: without a listener SIGTERM would end the test worker.
      expect(process.listenerCount("SIGTERM")).toBe(listeners + 1);
      process.kill(process.pid, "SIGTERM");
      expect(await exit).toBe(0);
      expect(process.listenerCount("SIGTERM")).toBe(listeners);
      await expect(fetch(`${url}api/status`)).rejects.toThrow();
      const buffer = await DiskBuffer.open(bufferDir);
      try {
        expect(buffer.stats().samples).toBeGreaterThanOrEqual(taken);
      } finally {
        await buffer.close();
      }
    } finally {
      write.mockRestore();
    }
  });

  it("exits 2 with the problems of an invalid config file", async () => {
    const dir = tempDir();
    const configPath = path.join(dir, "agent.json");
    writeFileSync(configPath, JSON.stringify({ COLLECTION_INTERVAL: 0 }));
    expect(await runSettingsUi({ configPath, flags: {}, env: {}, port: 0, openBrowser: false, log })).toBe(2);
    expect(logged.join("\n")).toContain("COLLECTION_INTERVAL");
    expect(await runSettingsUi({ configPath, flags: {}, env: {}, port: 70_000, openBrowser: false, log })).toBe(2);
  });
});
