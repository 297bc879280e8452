/**
 * `statusmonitor-agent ui`: serves the settings page on 127.0.0.1 behind a per-launch secret path,
 * starts sending at launch when auto-start is set, and stops the agent cleanly on SIGINT/SIGTERM.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AgentFacts, BatchSample } from "@statusmonitor/protocol";
import { createSampler } from "../collect/sampler.js";
import { AgentConfigError } from "../config.js";
import { hostAllowed, newSecret, originAllowed, pathAfterSecret, sendError, sendNotFound, sendPage } from "./http-guard.js";
import { openBrowser } from "./open-browser.js";
import { renderPage } from "./page.js";
import { handleApi, type ApiDeps } from "./routes.js";
import { SettingsSession, type Log, type SessionOptions } from "./settings-session.js";

/** The original GUI's requests gave up after 10 s. */
export const TEST_TIMEOUT_MS = 10_000;

export interface SettingsServer {
  /** `http://127.0.0.1:<port>/<secret>/`: the only way in. */
  url: string;
  port: number;
  session: SettingsSession;
  /** Stops the agent (flushing its buffer) and the HTTP server. */
  close(): Promise<void>;
}

export interface SettingsServerOptions extends SessionOptions {
  /** 0 picks a free port. */
  port: number;
  testTimeoutMs?: number;
}

/** A fresh sampler per test: its first sample has no CPU usage (that needs two readings), which the hub accepts. */
async function oneSample(): Promise<{ facts: AgentFacts; sample: BatchSample }> {
  const sampler = createSampler();
  const body = await sampler.sample(Date.now());
  return { facts: await sampler.facts(), sample: { ...body, seq: 0 } };
}

function handler(deps: ApiDeps, secret: string, port: () => number) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    const rest = pathAfterSecret(url, secret);
    if (rest === undefined) return sendNotFound(res);
    // A page on another site that rebinds its own name to 127.0.0.1 sends its own name as Host.
    if (!hostAllowed(req, port())) return sendError(res, 421, "WRONG_HOST", "Open the settings page as http://127.0.0.1 or http://localhost.");
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD" && !originAllowed(req, port())) {
      return sendError(res, 403, "CROSS_ORIGIN", "Requests from other sites are refused.");
    }
    if (rest === "") {
      res.writeHead(308, { location: `/${secret}/`, "cache-control": "no-store", "referrer-policy": "no-referrer" });
      return res.end();
    }
    if (rest === "/") {
      if (method !== "GET" && method !== "HEAD") return sendError(res, 405, "METHOD_NOT_ALLOWED", `${method} is not allowed on the page.`);
      return sendPage(res, renderPage);
    }
    const query = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
    if (!(await handleApi(deps, req, res, rest, query))) sendNotFound(res);
  };
}

/** Starts the page's server (and the agent, when auto-start is set); throws AgentConfigError for a bad config. */
export async function startSettingsServer(options: SettingsServerOptions): Promise<SettingsServer> {
  const session = await SettingsSession.open(options);
  const secret = newSecret();
  let port = 0;
  const deps: ApiDeps = { session, sample: oneSample, testTimeoutMs: options.testTimeoutMs ?? TEST_TIMEOUT_MS, log: options.log };
  const onRequest = handler(deps, secret, () => port);
  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      options.log("error", `settings UI: ${(err as Error).message}`);
      if (!res.headersSent) sendError(res, 500, "INTERNAL", "Something went wrong.");
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  if (session.settings.autoStart) {
    if (session.settings.hubUrl === "" || session.settings.token === "") options.log("warn", "auto-start is on, but the hub URL or token is missing: set them in the Settings tab");
    else {
      try {
        await session.start();
      } catch (err) {
        options.log("error", `auto-start failed: ${(err as Error).message}`);
      }
    }
  }

  return {
    url: `http://127.0.0.1:${port}/${secret}/`,
    port,
    session,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // The page polls with keep-alive connections: close them, or the server waits for the browser.
      server.closeAllConnections();
      await session.close();
      await closed;
    },
  };
}

export interface SettingsUiOptions {
  configPath: string;
  flags: Record<string, string | undefined>;
  env: Record<string, string | undefined>;
  port: number;
  openBrowser: boolean;
  log: Log;
}

/** Runs the settings UI until SIGINT or SIGTERM; resolves the process exit code. */
export async function runSettingsUi(options: SettingsUiOptions): Promise<number> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    options.log("error", `--port must be a port number from 0 (any free port) to 65535, not "${options.port}"`);
    return 2;
  }
  let ui: SettingsServer;
  try {
    ui = await startSettingsServer(options);
  } catch (err) {
    if (err instanceof AgentConfigError) {
      options.log("error", err.message);
      return 2;
    }
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
      options.log("error", `port ${options.port} is in use: choose another with --port, or 0 for any free port`);
      return 1;
    }
    throw err;
  }
  // The link is the key to the page: it goes to the terminal (stdout), never into the log.
  process.stdout.write(`StatusMonitor agent settings: ${ui.url}\n(only this link opens the page; it changes at every launch — press Ctrl+C to quit)\n`);
  if (options.openBrowser) openBrowser(ui.url);
  const signal = await new Promise<string>((resolve) => {
    const on = (name: string) => () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(name);
    };
    const onInt = on("SIGINT");
    const onTerm = on("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
  });
  options.log("info", `${signal}: stopping${ui.session.running ? "; unsent samples are written to the disk buffer" : ""}`);
  await ui.close();
  return 0;
}
