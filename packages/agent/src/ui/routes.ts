/** The settings page's JSON API under `/<secret>/api/`: status, settings, start/stop and the connection test. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AgentFacts, BatchSample } from "@statusmonitor/protocol";
import { testConnection } from "./connection-test.js";
import { BodyTooLarge, readBody, sendError, sendJson } from "./http-guard.js";
import { NotConfigured, SettingsRejected, type FieldProblem, type SettingsSession } from "./settings-session.js";

export interface ApiDeps {
  session: SettingsSession;
  /** One sample and the host facts, for the connection test. */
  sample: () => Promise<{ facts: AgentFacts; sample: BatchSample }>;
  testTimeoutMs: number;
  log: (level: "info" | "warn" | "error", message: string) => void;
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
  }
}

async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadRequest("The request body is not valid JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new BadRequest("The request body must be a JSON object.");
  return parsed as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new BadRequest(`${key} must be a string.`);
  return value;
}

/** The settings form as sent by the page, with the type problems of every field at once. */
function settingsInput(body: Record<string, unknown>) {
  const problems: FieldProblem[] = [];
  const { hubUrl, token, intervalS, autoStart } = body;
  if (typeof hubUrl !== "string") problems.push({ field: "hubUrl", message: "Hub URL: required" });
  if (token !== undefined && token !== null && typeof token !== "string") problems.push({ field: "token", message: "Agent token: must be text" });
  const interval = typeof intervalS === "string" && intervalS.trim() !== "" ? Number(intervalS) : intervalS;
  if (typeof interval !== "number") problems.push({ field: "intervalS", message: "Interval: required, a whole number of seconds" });
  if (autoStart !== undefined && typeof autoStart !== "boolean") problems.push({ field: "autoStart", message: "Auto-start: must be true or false" });
  if (problems.length > 0) throw new SettingsRejected(problems);
  return { hubUrl: hubUrl as string, token: (token ?? undefined) as string | undefined, intervalS: interval as number, autoStart: autoStart === true };
}

const routes: Record<string, Partial<Record<string, (deps: ApiDeps, req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => Promise<void>>>> = {
  "/api/status": {
    GET: async ({ session }, _req, res) => sendJson(res, 200, session.status()),
  },
  "/api/settings": {
    GET: async ({ session }, _req, res, query) => sendJson(res, 200, session.view(query.get("reveal") === "1")),
    PUT: async ({ session }, req, res) => {
      const { restarted } = await session.save(settingsInput(await readJsonObject(req)));
      sendJson(res, 200, { settings: session.view(), restarted, message: restarted ? "Settings saved; the agent restarted with them." : "Your settings have been saved successfully." });
    },
  },
  "/api/start": {
    POST: async ({ session }, _req, res) => {
      await session.start();
      sendJson(res, 200, session.status());
    },
  },
  "/api/stop": {
    POST: async ({ session }, _req, res) => {
      await session.stop();
      sendJson(res, 200, session.status());
    },
  },
  "/api/test": {
    POST: async ({ session, sample, testTimeoutMs }, req, res) => {
      const body = await readJsonObject(req);
      // The page tests what is in its fields; a field it leaves out (the token it only saw masked) means the saved value.
      const hubUrl = optionalString(body, "hubUrl") ?? session.settings.hubUrl;
      const token = optionalString(body, "token") ?? session.settings.token;
      sendJson(res, 200, await testConnection({ hubUrl, token, sample, timeoutMs: testTimeoutMs }));
    },
  },
};

/** Answers an API request (`path` is what follows the secret); false when no route has that path. */
export async function handleApi(deps: ApiDeps, req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<boolean> {
  const route = routes[path];
  if (!route) return false;
  const handler = route[req.method ?? "GET"];
  if (!handler) {
    res.setHeader("allow", Object.keys(route).join(", "));
    sendError(res, 405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${path}.`);
    return true;
  }
  try {
    await handler(deps, req, res, query);
  } catch (err) {
    if (err instanceof SettingsRejected) sendError(res, 400, "INVALID_SETTINGS", err.message, { problems: err.problems });
    else if (err instanceof BadRequest) sendError(res, 400, "BAD_REQUEST", err.message);
    else if (err instanceof BodyTooLarge) sendError(res, 413, "BODY_TOO_LARGE", "The request body is larger than 64 KiB.");
    else if (err instanceof NotConfigured) sendError(res, 400, "NOT_CONFIGURED", err.message);
    else {
      deps.log("error", `settings UI: ${req.method} ${path} failed: ${(err as Error).stack ?? String(err)}`);
      sendError(res, 500, "INTERNAL", `Something went wrong: ${(err as Error).message}`);
    }
  }
  return true;
}
