/**
 * Starts a real hub on a free loopback port over a fresh SQLite file in a temp dir, with an
 * injectable clock, plus a tiny HTTP client for tests. Everything is removed by `stop()`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, type Config, type SettingName } from "../config/config.js";
import { ManualClock, systemClock, type Clock } from "../core/clock.js";
import { createLogger } from "../core/logger.js";
import { startHub, type RunningHub } from "../hub.js";

export interface TestHub extends RunningHub {
  dataDir: string;
  config: Config;
  /** Stops the hub and deletes its data directory. */
  close(): Promise<void>;
}

export async function startTestHub(
  options: { clock?: Clock; settings?: Partial<Record<SettingName, string>>; dataDir?: string } = {},
): Promise<TestHub> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "statusmonitor-test-"));
  const config = loadConfig({
    env: {},
    flags: { PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "silent", ...options.settings },
    defaultWebDir: path.join(dataDir, "no-web-build"),
  });
  const hub = await startHub(config, createLogger({ level: config.logLevel }), options.clock ?? systemClock);
  return {
    ...hub,
    dataDir,
    config,
    close: async () => {
      await hub.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { ManualClock };

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A minimal JSON client over real HTTP. */
export class HttpClient {
  constructor(
    readonly baseUrl: string,
    public accessToken?: string,
  ) {}

  async request<T = any>(
    method: string,
    url: string,
    options: { json?: unknown; body?: RequestInit["body"]; headers?: Record<string, string>; token?: string | null } = {},
  ): Promise<JsonResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.accessToken : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] ??= "application/json";
      body = JSON.stringify(options.json);
    }
    const response = await fetch(this.baseUrl + url, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (metrics, HTML): the raw text is the body.
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get<T = any>(url: string, options?: Parameters<HttpClient["request"]>[2]) {
    return this.request<T>("GET", url, options);
  }
  post<T = any>(url: string, json?: unknown, options?: Parameters<HttpClient["request"]>[2]) {
    return this.request<T>("POST", url, { ...options, json });
  }
  patch<T = any>(url: string, json?: unknown, options?: Parameters<HttpClient["request"]>[2]) {
    return this.request<T>("PATCH", url, { ...options, json });
  }
  delete<T = any>(url: string, options?: Parameters<HttpClient["request"]>[2]) {
    return this.request<T>("DELETE", url, options);
  }
}

/** Registers and signs in a user; returns a client carrying their access token. */
export async function signUp(baseUrl: string, username: string, password = "correct horse battery"): Promise<HttpClient & { refreshToken: string; userId: number }> {
  const client = new HttpClient(baseUrl);
  const registered = await client.post("/api/v1/auth/register", { username, password });
  if (registered.status !== 201) throw new Error(`register ${username}: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await client.post("/api/v1/auth/login", { username, password });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${JSON.stringify(login.body)}`);
  client.accessToken = login.body.access_token;
  return Object.assign(client, { refreshToken: login.body.refresh_token as string, userId: registered.body.id as number });
}

/** Creates an agent for the signed-in client; returns its id and token. */
export async function createAgent(client: HttpClient, name = "test-agent"): Promise<{ id: number; token: string }> {
  const created = await client.post("/api/v1/agents", { name });
  if (created.status !== 201) throw new Error(`create agent: ${created.status} ${JSON.stringify(created.body)}`);
  return { id: created.body.id, token: created.body.token };
}

/** Polls `probe` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(probe: () => Promise<T> | T, what: string, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const deadline = systemClock.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (systemClock.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
