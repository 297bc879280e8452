/**
 * The agent's settings from defaults < config file (~/.statusmonitor/agent.json) < environment <
 * flags, validated with every problem reported at once; and saving the file with mode 0600.
 */
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export interface AgentConfig {
  /** The hub's base URL, or its /ingest or /api/v1/ingest URL. */
  hubUrl: string;
  token: string;
  intervalS: number;
  bufferDir: string;
  bufferMaxMb: number;
  /** For the settings UI: start sending when the UI starts. */
  autoStart: boolean;
}

/** What the file holds (and the UI saves): the same names as the environment variables. */
export interface ConfigFile {
  INGESTION_URL?: string;
  AGENT_TOKEN?: string;
  COLLECTION_INTERVAL?: number;
  BUFFER_DIR?: string;
  BUFFER_MAX_MB?: number;
  AUTO_START?: boolean;
}

export const MIN_INTERVAL_S = 1;
export const MAX_INTERVAL_S = 3600;
export const DEFAULT_INTERVAL_S = 1;

export class AgentConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid agent configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "AgentConfigError";
  }
}

export function defaultConfigPath(home = os.homedir()): string {
  return path.join(home, ".statusmonitor", "agent.json");
}

export interface ConfigSources {
  env?: Record<string, string | undefined>;
  /** Flags by environment name, e.g. `{ INGESTION_URL: "http://hub:8080" }`. */
  flags?: Record<string, string | undefined>;
  file?: ConfigFile;
  home?: string;
  /** Require a hub URL and a token (running); `--once` and the UI do not. */
  requireConnection?: boolean;
}

/** Reads the config file; a missing file is an empty config, an unreadable or invalid one is an error. */
export async function readConfigFile(file: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new AgentConfigError([`cannot read ${file}: ${(err as Error).message}`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AgentConfigError([`${file} is not valid JSON`]);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new AgentConfigError([`${file} must hold a JSON object`]);
  return parsed as ConfigFile;
}

/** Writes the file atomically with mode 0600 (it holds the token), creating its directory (0700). */
export async function writeConfigFile(file: string, config: ConfigFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
}

function pick(name: string, s: ConfigSources, aliases: string[] = []): string | undefined {
  for (const source of [s.flags ?? {}, s.env ?? {}]) {
    for (const key of [name, ...aliases]) {
      const value = source[key];
      if (value !== undefined && value !== "") return value;
    }
  }
  const fromFile = (s.file ?? {})[name as keyof ConfigFile];
  return fromFile === undefined || fromFile === "" ? undefined : String(fromFile);
}

export function loadAgentConfig(s: ConfigSources): AgentConfig {
  const problems: string[] = [];
  const home = s.home ?? os.homedir();
  const hubUrl = pick("INGESTION_URL", s) ?? "";
  const token = pick("AGENT_TOKEN", s) ?? "";
  // The original agent read INTERVAL while its docs said COLLECTION_INTERVAL: both work here.
  const intervalText = pick("COLLECTION_INTERVAL", s, ["INTERVAL"]) ?? String(DEFAULT_INTERVAL_S);
  const intervalS = Number(intervalText);
  if (!Number.isInteger(intervalS) || intervalS < MIN_INTERVAL_S || intervalS > MAX_INTERVAL_S) {
    problems.push(`COLLECTION_INTERVAL: must be a whole number of seconds from ${MIN_INTERVAL_S} to ${MAX_INTERVAL_S}, not "${intervalText}"`);
  }
  if (hubUrl !== "" && !/^https?:\/\/[^\s/]+/i.test(hubUrl)) problems.push(`INGESTION_URL: must be an http:// or https:// URL, not "${hubUrl}"`);
  if (s.requireConnection) {
    if (hubUrl === "") problems.push("INGESTION_URL: required — the hub's URL, e.g. http://hub.example:8080");
    if (token === "") problems.push("AGENT_TOKEN: required — the token shown when the agent was created in the dashboard");
  }
  const bufferMaxText = pick("BUFFER_MAX_MB", s) ?? "64";
  const bufferMaxMb = Number(bufferMaxText);
  if (!Number.isFinite(bufferMaxMb) || bufferMaxMb < 1 || bufferMaxMb > 100_000) problems.push(`BUFFER_MAX_MB: must be from 1 to 100000, not "${bufferMaxText}"`);
  const autoStart = ["true", "1", "yes"].includes((pick("AUTO_START", s) ?? "false").toLowerCase());
  if (problems.length > 0) throw new AgentConfigError(problems);
  return {
    hubUrl,
    token,
    intervalS,
    bufferDir: pick("BUFFER_DIR", s) ?? path.join(home, ".statusmonitor", "buffer"),
    bufferMaxMb,
    autoStart,
  };
}

/** Shows a token as its prefix and last characters only, for logs and status pages. */
export function maskToken(token: string): string {
  if (token.length <= 10) return token === "" ? "" : "…";
  return `${token.slice(0, 4)}…${token.slice(-4)}`;
}
