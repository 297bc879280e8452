/**
 * Starts a real hub on a free loopback port over a fresh SQLite file in a temp dir, with an
 * injectable clock, plus a tiny HTTP client for tests. Everything is removed by `stop()`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { errorCatalog, type ErrorCode } from "@statusmonitor/protocol";
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

export interface TestHubOptions {
  clock?: Clock;
  settings?: Partial<Record<SettingName, string>>;
  /** An existing data directory, kept by `close()`; by default a fresh temp dir that is deleted. */
  dataDir?: string;
}

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
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

/** Runs `use` against a hub started for it alone (say, on a `dataDir` another hub used), and closes that hub however `use` ends. */
export async function withTestHub<T>(options: TestHubOptions, use: (hub: TestHub) => Promise<T>): Promise<T> {
  const hub = await startTestHub(options);
  try {
    return await use(hub);
  } finally {
    await hub.close();
  }
}

export { ManualClock };

/** The hub a `describe` block shares, as `useTestHub` hands it out. */
export interface TestHubContext {
  /** The running hub: there from the block's first hook on, not while its tests are being collected. */
  readonly hub: TestHub;
  /** The hub's base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** A client of the hub that carries no access token. */
  readonly http: HttpClient;
  /** The manual clock the hub runs on; only with `{ manualClock: true }`, and usable at once. */
  readonly clock: ManualClock;
}

/**
 * Starts a test hub before the tests of the enclosing `describe` (or file) and closes it after them.
 * Hooks registered after this call run once the hub is up, and their `afterAll` before it closes.
 */
export function useTestHub(options: Omit<TestHubOptions, "clock"> & { manualClock?: boolean } = {}): TestHubContext {
  const { manualClock, ...hubOptions } = options;
  const clock = manualClock ? new ManualClock() : undefined;
  let hub: TestHub | undefined;
  let http: HttpClient | undefined;
  beforeAll(async () => {
    hub = await startTestHub({ ...hubOptions, clock });
    http = new HttpClient(hub.url);
  });
  afterAll(() => hub?.close());

  const running = () => {
    if (!hub || !http) throw new Error("useTestHub: the hub runs only inside the block's hooks and tests");
    return { hub, http };
  };
  return {
    get hub() {
      return running().hub;
    },
    get url() {
      return running().hub.url;
    },
    get http() {
      return running().http;
    },
    get clock() {
      if (!clock) throw new Error("useTestHub: pass { manualClock: true } to get a clock the test can move");
      return clock;
    },
  };
}

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

/** The exact body of a catalog error `code`, with its default message. */
export const catalogError = (code: ErrorCode) => ({ error: { code, message: errorCatalog[code].message } });

/** Asserts an error answer: its status and the catalog code in its body. */
export function expectErrorCode(res: { status: number; body: any }, status: number, code: ErrorCode): void {
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
}

/** Asserts an error answer: its status and exactly the catalog body of `code`. */
export function expectCatalogError(res: { status: number; body: unknown }, status: number, code: ErrorCode): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(catalogError(code));
}

/** The password `signUp` and `signIn` use unless given another. */
export const TEST_PASSWORD = "correct horse battery";

/** A client signed in as a user: it carries their access token and keeps their refresh token. */
export type SignedIn = HttpClient & { refreshToken: string };
/** A client signed in as a user it registered, whose id it knows. */
export type SignedUp = SignedIn & { userId: number };

/** Signs an existing user in (a new session); returns a client carrying its access token. */
export async function signIn(baseUrl: string, username: string, password = TEST_PASSWORD): Promise<SignedIn> {
  const client = new HttpClient(baseUrl);
  const login = await client.post("/api/v1/auth/login", { username, password });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${JSON.stringify(login.body)}`);
  client.accessToken = login.body.access_token;
  return Object.assign(client, { refreshToken: login.body.refresh_token as string });
}

/** Registers and signs in a user; returns a client carrying their access token. */
export async function signUp(baseUrl: string, username: string, password = TEST_PASSWORD): Promise<SignedUp> {
  const registered = await new HttpClient(baseUrl).post("/api/v1/auth/register", { username, password });
  if (registered.status !== 201) throw new Error(`register ${username}: ${registered.status} ${JSON.stringify(registered.body)}`);
  return Object.assign(await signIn(baseUrl, username, password), { userId: registered.body.id as number });
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
